import { formatMessage, type Message } from './messages.ts';

/** What `shanzhi backup` and `shanzhi restore` say when done (docs/deployment.md), Chinese first. */
const BACKUP_DONE: Message = {
  zh: '备份已写入 {file}：{mb} MB，{store} 数据库（迁移 {migration}），{attachments} 个附件文件，用时 {seconds} 秒',
  en: 'Backup written to {file}: {mb} MB, {store} store (migration {migration}), {attachments} attachment files, {seconds} s',
};

const RESTORE_DONE: Message = {
  zh: '已从 {created_at} 的备份恢复到 {target}：{store} 数据库（迁移 {migration}），{attachments} 个附件文件，用时 {seconds} 秒。启动服务时将自动完成迁移',
  en: 'Restored the backup of {created_at} into {target}: {store} store (migration {migration}), {attachments} attachment files, {seconds} s. Starting the server migrates it if needed',
};

const figures = (facts: { ms: number; migration: string | null }) => ({
  seconds: (facts.ms / 1000).toFixed(1),
  migration: facts.migration ?? '-',
});

export function backupDoneLines(facts: {
  file: string;
  bytes: number;
  store: string;
  migration: string | null;
  attachments: number;
  ms: number;
}): string {
  const values = { ...facts, ...figures(facts), mb: (facts.bytes / (1024 * 1024)).toFixed(1) };
  return `${formatMessage(BACKUP_DONE.zh, values)}\n${formatMessage(BACKUP_DONE.en, values)}`;
}

export function restoreDoneLines(facts: {
  target: string;
  created_at: string;
  store: string;
  migration: string | null;
  attachments: number;
  ms: number;
}): string {
  const values = { ...facts, ...figures(facts) };
  return `${formatMessage(RESTORE_DONE.zh, values)}\n${formatMessage(RESTORE_DONE.en, values)}`;
}
