import { readFileSync, writeFileSync } from 'node:fs';
import type { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { DomainError } from '../core/errors.ts';
import type { Store } from '../db/database.ts';

/** One `shanzhi` command: its usage line, summary (Chinese first), options and what it does. */
export interface Command {
  usage: string;
  summary: string;
  options: NonNullable<Parameters<typeof parseArgs>[0]>['options'];
  positionals?: number;
  /** Returns a line for stderr ('' for none); throws a DomainError to fail with a one-line reason. */
  run(store: Store, values: Record<string, unknown>, positionals: string[]): Promise<string>;
}

/**
 * A command that runs before any store is opened, with the configuration only: `restore` needs
 * the store still empty, and opening it would create and migrate it.
 */
export interface StorelessCommand extends Omit<Command, 'run'> {
  withoutStore: true;
  run(config: Config, values: Record<string, unknown>, positionals: string[]): Promise<string>;
}

/** Writes from the command line are the system's own, recorded as such in the audit log. */
export const SYSTEM = { user_id: null, username: 'system' };

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new DomainError('request.invalid', { issues: `${file}: ${(error as Error).message}` });
  }
}

export function readJson(file: string): unknown {
  try {
    return JSON.parse(readText(file));
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('request.invalid', { issues: `${file}: ${(error as Error).message}` });
  }
}

/** An export goes to `out` when given (and says so), else to stdout (and says nothing). */
export function writeOutput(text: string, out: string | undefined, done: string): string {
  if (!out) {
    process.stdout.write(text);
    return '';
  }
  writeFileSync(out, text);
  return done;
}
