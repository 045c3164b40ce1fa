import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { DiskBlobStorage } from '../../src/attachments/disk-storage.ts';
import type { Clock } from '../../src/core/clock.ts';
import type { AttachmentLimits } from '../../src/core/attachments/limits.ts';
import { buildApp } from '../../src/http/app.ts';
import { makeAppDeps, type AppDeps } from '../../src/http/deps.ts';
import { seedXihu } from '../helpers/actors.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

export interface AttachmentTestApp {
  app: FastifyInstance;
  store: TestStore;
  deps: AppDeps;
  storage: DiskBlobStorage;
  /** `Authorization` headers of a demo account (password demo). */
  as(username: string): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

/**
 * The real app over a fresh store with 西湖区 and the demo accounts, its attachments kept under the
 * test store's data directory (removed on close), as the server keeps them under its own.
 */
export async function makeAttachmentApp(
  clock: Clock,
  limits: Partial<AttachmentLimits> = {},
): Promise<AttachmentTestApp> {
  const store = await makeTestStore();
  await seedXihu(store, clock);
  await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
  const storage = await DiskBlobStorage.open(join(store.dataDir, 'attachments'));
  const deps: AppDeps = { ...makeAppDeps(store, clock, 0), storage, attachmentLimits: limits };
  const app = await buildApp(deps, { logLevel: 'silent' });
  const tokens = new Map<string, string>();
  return {
    app,
    store,
    deps,
    storage,
    async as(username) {
      let token = tokens.get(username);
      if (!token) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { username, password: 'demo' },
        });
        assert.equal(res.statusCode, 200, res.body);
        token = res.json().token as string;
        tokens.set(username, token);
      }
      return { authorization: `Bearer ${token}` };
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/** A multipart/form-data body with one file part, as a phone browser's form sends it. */
export function formWithFile(
  field: string,
  filename: string,
  type: string,
  data: Buffer,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----shanzhi-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
        `Content-Type: ${type}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/**
 * A 400×200 JPEG as a phone takes it: rotated by EXIF orientation 6, with the camera's make, a GPS
 * position (杭州 西湖, 30°16′N 120°8′E) and an XMP packet that repeats the position.
 */
export async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 400, height: 200, channels: 3, background: '#c04020' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'Phone 1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '30/1 16/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '120/1 8/1 0/1',
      },
    })
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
        '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="30,16.0N"/>' +
        '</rdf:RDF></x:xmpmeta>',
    )
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** Whether an EXIF block in the bytes has the GPS IFD pointer (tag 0x8825, either byte order). */
export function hasGpsPointer(bytes: Buffer): boolean {
  return bytes.includes(Buffer.from([0x88, 0x25])) || bytes.includes(Buffer.from([0x25, 0x88]));
}
