import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { isDomainError } from '../core/errors.ts';
import { openStore } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { GridProblem } from '../grids/import-grids.ts';
import { oneLineReason } from '../startup.ts';
import type { Command, StorelessCommand } from './command.ts';
import { BACKUP_COMMANDS } from './commands/backup.ts';
import { CASE_COMMANDS } from './commands/cases.ts';
import { FOUNDATION_COMMANDS } from './commands/foundation.ts';
import { RULE_COMMANDS } from './commands/rules.ts';
import { MAIL_COMMANDS } from './commands/mail.ts';
import { OPEN311_COMMANDS } from './commands/open311.ts';
import { AUDIT_COMMANDS } from './commands/audit.ts';
import { KEY_COMMANDS } from './commands/keys.ts';
import { openKeyring } from '../db/keyring.ts';

const COMMANDS: Record<string, Command | StorelessCommand> = {
  ...FOUNDATION_COMMANDS,
  ...KEY_COMMANDS,
  ...RULE_COMMANDS,
  ...CASE_COMMANDS,
  ...MAIL_COMMANDS,
  ...OPEN311_COMMANDS,
  ...BACKUP_COMMANDS,
  ...AUDIT_COMMANDS,
};

function help(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `善治 Shanzhi command line\n\nUsage:\n${lines.join('\n')}\n\nEvery command takes --help. Configuration: SHANZHI_DATA_DIR, DATABASE_URL (see README).`;
}

function printProblems(error: unknown): void {
  if (isDomainError(error) && error.code === 'grid.import_rejected') {
    for (const p of error.details.problems as GridProblem[]) {
      process.stderr.write(
        `  feature ${p.index}${p.code ? ` (${p.code})` : ''}: ${p.reason} — ${p.detail}\n`,
      );
    }
  }
  // Row-level rejections of file imports: { row, reason } (taxonomy, responsibility lists).
  const rows = isDomainError(error)
    ? (error.details.errors as Array<{ row: unknown; reason: string }> | undefined)
    : undefined;
  for (const e of Array.isArray(rows) ? rows : [])
    process.stderr.write(`  row ${String(e.row)}: ${e.reason}\n`);
}

export async function runCli(argv: string[]): Promise<number> {
  // Commands are one word (`sweep`) or two (`regions import`).
  const find = (name: string) => COMMANDS[name];
  const words = find(`${argv[0]} ${argv[1]}`) ? 2 : 1;
  const command = words === 2 ? find(`${argv[0]} ${argv[1]}`) : find(argv[0] ?? '');
  if (!command) {
    const asked = argv.length === 0 || argv[0] === '--help' || argv[0] === 'help';
    (asked ? process.stdout : process.stderr).write(`${help()}\n`);
    if (!asked) process.stderr.write(`shanzhi: unknown command "${argv.join(' ')}"\n`);
    return asked ? 0 : 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(words),
      options: { ...command.options, help: { type: 'boolean' } },
      allowPositionals: true,
    });
  } catch (error) {
    process.stderr.write(`shanzhi: ${(error as Error).message}\nusage: ${command.usage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${command.usage}\n  ${command.summary}\n`);
    return 0;
  }
  if (parsed.positionals.length !== (command.positionals ?? 0)) {
    process.stderr.write(`shanzhi: wrong arguments\nusage: ${command.usage}\n`);
    return 2;
  }
  const config = loadConfig();
  const store =
    'withoutStore' in command
      ? null
      : openStore({
          databaseUrl: config.databaseUrl,
          dataDir: config.dataDir,
          keyring: openKeyring({
            keys: config.personalKeys,
            index: config.personalIndexKey,
            dataDir: config.dataDir,
          }),
        });
  try {
    let message: string;
    if ('withoutStore' in command) message = await command.run(config, parsed.values, parsed.positionals);
    else {
      await migrateToLatest(store!);
      message = await command.run(store!, parsed.values, parsed.positionals);
    }
    if (message) process.stderr.write(`${message}\n`);
    return 0;
  } catch (error) {
    printProblems(error);
    process.stderr.write(`shanzhi: ${oneLineReason(error)}\n`);
    return 1;
  } finally {
    await store?.close();
  }
}
