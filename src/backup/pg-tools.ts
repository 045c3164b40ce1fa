import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { DomainError } from '../core/errors.ts';

export type PgTool = 'pg_dump' | 'pg_restore' | 'psql';

/**
 * The PostgreSQL client program on PATH, else the newest under /usr/lib/postgresql/<version>/bin
 * (Debian installs the server's own there without linking every tool onto PATH). Null when absent.
 */
export function findPgTool(tool: PgTool, path = process.env.PATH ?? ''): string | null {
  const debian = (() => {
    try {
      return readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin`);
    } catch {
      return [];
    }
  })();
  for (const dir of [...path.split(delimiter).filter(Boolean), ...debian]) {
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export function requirePgTool(tool: PgTool): string {
  const found = findPgTool(tool);
  if (!found) throw new DomainError('backup.tool_missing', { tool });
  return found;
}

/**
 * How a client program reaches the store: the connection string without its password, which
 * goes in PGPASSWORD instead, since other users of the machine can read a process's arguments.
 */
export function pgConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  // URLSearchParams writes a space as `+`, which libpq does not read back as one (`options=-c
  // search_path=…` would reach the server as `-c+search_path`): percent-encode every parameter.
  const params = [...parsed.searchParams].map(
    ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
  );
  parsed.search = params.length > 0 ? `?${params.join('&')}` : '';
  return {
    dbname: parsed.toString(),
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  };
}

/** `"name"` as PostgreSQL quotes an identifier (also for pg_dump's --schema pattern). */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Resolves when the child exits 0; otherwise fails with the last lines of what it said on stderr. */
export function waitFor(child: ChildProcess, tool: PgTool): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    child.once('error', (error) =>
      reject(new DomainError('backup.tool_failed', { tool, reason: error.message })),
    );
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      const said = stderr.trim().split('\n').slice(-3).join(' | ');
      reject(new DomainError('backup.tool_failed', { tool, reason: said || `exit ${code ?? signal}` }));
    });
  });
}

/** Runs a client program to completion with its output ignored. */
export function runPgTool(tool: PgTool, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(requirePgTool(tool), args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  return waitFor(child, tool);
}
