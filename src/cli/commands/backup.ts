import { backupStore } from '../../backup/backup-store.ts';
import { restoreStore } from '../../backup/restore-store.ts';
import { loadConfig } from '../../config.ts';
import { systemClock } from '../../core/clock.ts';
import { backupDoneLines, restoreDoneLines } from '../../i18n/backup.ts';
import type { Command, StorelessCommand } from '../command.ts';

const backup: Command = {
  usage: 'shanzhi backup FILE',
  summary:
    '在线备份数据库与附件到一个文件，服务无须停止 / Back up the database and attachments into one file while the server runs',
  options: {},
  positionals: 1,
  async run(store, _values, [file]) {
    const config = loadConfig();
    const report = await backupStore(
      { store, clock: systemClock, dataDir: config.dataDir, databaseUrl: config.databaseUrl },
      file!,
    );
    return backupDoneLines(report);
  },
};

const restore: StorelessCommand = {
  withoutStore: true,
  usage: 'shanzhi restore FILE',
  summary:
    '校验备份文件后恢复到空的数据目录与空数据库 / Check a backup in full, then restore it into an empty data directory and database',
  options: {},
  positionals: 1,
  async run(config, _values, [file]) {
    const report = await restoreStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl }, file!);
    return restoreDoneLines(report);
  },
};

/** Backup and restore of the database and the attachment files (docs/deployment.md). */
export const BACKUP_COMMANDS: Record<string, Command | StorelessCommand> = { backup, restore };
