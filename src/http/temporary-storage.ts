import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BlobStorage } from '../attachments/blob-storage.ts';
import { DiskBlobStorage } from '../attachments/disk-storage.ts';

/**
 * Without a configured store (tests, tools that build the app), files go to a temporary directory
 * removed when the app closes. The server always passes `<data dir>/attachments` (src/main.ts).
 */
export async function temporaryStorage(scope: FastifyInstance): Promise<BlobStorage> {
  const dir = mkdtempSync(join(tmpdir(), 'shanzhi-attachments-'));
  scope.addHook('onClose', async () => rmSync(dir, { recursive: true, force: true }));
  return DiskBlobStorage.open(dir);
}
