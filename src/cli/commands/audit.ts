import { anchorAudit } from '../../audit/anchor-audit.ts';
import { verifyAudit } from '../../audit/verify-audit.ts';
import { loadConfig } from '../../config.ts';
import { systemClock } from '../../core/clock.ts';
import { auditLine, describeIssue } from '../../i18n/audit.ts';
import type { Command } from '../command.ts';

/** The anchor file: --file when given, else SHANZHI_AUDIT_ANCHOR_FILE, else none. */
function anchorFile(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : loadConfig().auditAnchorFile;
}

/** Tamper-evident logs from the command line (docs/audit.md). */
export const AUDIT_COMMANDS: Record<string, Command> = {
  'audit anchor': {
    usage: 'shanzhi audit anchor [--file <path>]',
    summary:
      '锚定尚未锚定的日期：每日各案件最后哈希与审计日志末端的摘要，链式写入 audit_anchors（及库外文件）/ Anchor the days not anchored yet',
    options: { file: { type: 'string' } },
    async run(store, values) {
      const { anchored } = await anchorAudit(
        { store, clock: systemClock },
        { file: anchorFile(values.file) },
      );
      if (anchored.length === 0) return auditLine('nothing', {});
      return auditLine('anchored', {
        count: anchored.length,
        first: anchored[0]!.period,
        last: anchored.at(-1)!.period,
      });
    },
  },
  'audit verify': {
    usage: 'shanzhi audit verify [--case <id>] [--file <anchor file>]',
    summary:
      '校验事件记录链、审计日志链与锚点，逐条列出被修改、删除、插入或调换的记录 / Verify the event and audit chains and the anchors',
    options: { case: { type: 'string' }, file: { type: 'string' } },
    async run(store, values) {
      const caseId = typeof values.case === 'string' ? values.case : undefined;
      const report = await verifyAudit(
        { db: store.db },
        { caseId, anchorFile: caseId === undefined ? anchorFile(values.file) : null },
      );
      const facts = { ...report, count: report.issues.length };
      if (report.issues.length === 0) return auditLine('clean', facts);
      for (const issue of report.issues) process.stdout.write(`${describeIssue(issue)}\n`);
      // A plain Error: the CLI prints its message as the one-line reason and exits with 1.
      throw new Error(auditLine('failed', facts));
    },
  },
};
