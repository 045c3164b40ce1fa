import { systemClock } from '../../core/clock.ts';
import { addFileKey } from '../../db/keyring.ts';
import { loadConfig } from '../../config.ts';
import { keysLine } from '../../i18n/personal.ts';
import { rotateKeys } from '../../personal/rotate-keys.ts';
import type { Command } from '../command.ts';

/** Personal-data keys from the command line (docs/personal-data.md). */
export const KEY_COMMANDS: Record<string, Command> = {
  'keys rotate': {
    usage: 'shanzhi keys rotate [--batch <rows>]',
    summary:
      '个人信息密钥轮换：启用新密钥（数据目录密钥文件）或 SHANZHI_PERSONAL_KEYS 的第一个密钥，服务运行中分批重新加密 / Rotate the personal-data key and re-seal every value in batches while servers run',
    options: { batch: { type: 'string' } },
    async run(store, values) {
      const batch = typeof values.batch === 'string' ? Number.parseInt(values.batch, 10) : 500;
      const { dataDir } = loadConfig();
      const report = await rotateKeys(
        { store, clock: systemClock },
        {
          batch: Number.isInteger(batch) && batch > 0 ? batch : 500,
          // The data directory's ring gets a new key; a configured ring already names its current one.
          ...(store.keyring.file ? { addKey: () => addFileKey(dataDir) } : {}),
          onBatch: (done) => process.stderr.write(`  ${keysLine('progress', { done })}\n`),
        },
      );
      return keysLine('rotated', { ...report });
    },
  },
};
