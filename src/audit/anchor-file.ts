import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { AnchorLine } from '../core/audit/verify-anchors.ts';

/**
 * The anchors' copy outside the database (SHANZHI_AUDIT_ANCHOR_FILE): one JSON line per anchor,
 * appended and fsynced after its commit. Someone who can rewrite the database and every hash in
 * it still cannot make the old lines agree, so keep the file where the database's writers cannot
 * (another disk, a write-once bucket, a printout).
 */
export function appendAnchorLines(file: string, lines: readonly AnchorLine[]): void {
  if (lines.length === 0) return;
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The file's lines (none when it does not exist yet); a line that is not an anchor is an error. */
export function readAnchorFile(file: string): AnchorLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = JSON.parse(line) as Partial<AnchorLine>;
      if (typeof parsed.period !== 'string' || typeof parsed.digest !== 'string') {
        throw new Error(`${file}:${i + 1}: not an anchor line`);
      }
      return { period: parsed.period, digest: parsed.digest };
    });
}
