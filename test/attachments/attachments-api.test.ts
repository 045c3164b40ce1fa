import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { attachToCase } from '../../src/cases/attach-to-case.ts';
import { actOnCase } from '../../src/cases/act-on-case.ts';
import { hashReporterKey } from '../../src/personal/reporter-key.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { ACTORS } from '../helpers/actors.ts';
import { makeCase } from '../helpers/cases.ts';
import {
  formWithFile,
  hasGpsPointer,
  makeAttachmentApp,
  phonePhoto,
  type AttachmentTestApp,
} from './attachment-app.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00');
const MAX = 256 * 1024;
let t: AttachmentTestApp;
let residentId: string;

before(async () => {
  t = await makeAttachmentApp(clock, { maxBytes: MAX });
  residentId = (
    await t.store.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'resident')
      .executeTakeFirstOrThrow()
  ).id;
});
after(() => t.close());

interface Uploaded {
  id: string;
  url: string;
  thumbnail_url: string | null;
  content_type: string;
  bytes: number;
  width: number | null;
  height: number | null;
  upload_key: string;
}

async function upload(data: Buffer, type = 'application/octet-stream', headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    payload: data,
    headers: { 'content-type': type, ...headers },
  });
}

async function uploaded(data: Buffer, type?: string, headers?: Record<string, string>): Promise<Uploaded> {
  const res = await upload(data, type, headers);
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

async function get(url: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'GET', url, headers });
}

/** A reported case in 西湖区 that claims the uploads. */
async function caseWith(ids: string[], fields: { reporter_user_id?: string } = {}) {
  const { id } = await makeCase({ db: t.store.db, keyring: t.store.keyring, clock }, fields);
  await inTransaction(t.store.db, (tx) =>
    attachToCase(tx, { caseId: id, refs: ids, actor: null, at: clock.now() }),
  );
  return id;
}

async function step(caseId: string, action: 'register' | 'void', reason?: string) {
  const { version } = await t.store.db
    .selectFrom('cases')
    .select('version')
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
  await actOnCase({ store: t.store, clock, rules: t.deps.rules }, ACTORS.county, caseId, {
    action,
    expected_version: version,
    ...(reason ? { reason } : {}),
  });
}

test('a phone photo is stored upright and without EXIF, GPS or XMP; only the re-encoded image is kept', async () => {
  const original = await phonePhoto();
  const source = await sharp(original).metadata();
  assert.ok(source.exif && hasGpsPointer(source.exif), 'the test photo carries a GPS position');

  const body = await uploaded(original, 'image/jpeg');
  assert.equal(body.content_type, 'image/jpeg');
  assert.deepEqual([body.width, body.height], [200, 400], 'turned upright by its orientation');
  assert.equal(body.url, `/api/v1/attachments/${body.id}`);
  assert.equal(body.thumbnail_url, `/api/v1/attachments/${body.id}/thumbnail`);

  const res = await get(`${body.url}?key=${body.upload_key}`);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'image/jpeg');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  const served = res.rawPayload;
  assert.equal(served.length, body.bytes);
  const meta = await sharp(served).metadata();
  assert.equal(meta.exif, undefined);
  assert.equal(meta.xmp, undefined);
  assert.equal(meta.iptc, undefined);
  assert.equal(meta.icc, undefined);
  assert.ok(meta.orientation === undefined || meta.orientation === 1);
  assert.deepEqual([meta.width, meta.height], [200, 400]);
  for (const marker of ['Exif\0\0', 'TestCam', 'GPSLatitude', 'http://ns.adobe.com/xap', 'xmpmeta']) {
    assert.ok(!served.includes(Buffer.from(marker, 'latin1')), `no ${JSON.stringify(marker)} in the file`);
  }

  const thumb = await get(`${body.thumbnail_url}?key=${body.upload_key}`);
  assert.equal(thumb.statusCode, 200);
  assert.equal(thumb.headers['content-type'], 'image/webp');
  const thumbMeta = await sharp(thumb.rawPayload).metadata();
  assert.equal(thumbMeta.exif, undefined);
  assert.deepEqual([thumbMeta.width, thumbMeta.height], [160, 320]);

  // On disk: the re-encoded image and its thumbnail, nothing with the original bytes.
  const row = await t.store.db
    .selectFrom('attachments')
    .selectAll()
    .where('id', '=', body.id)
    .executeTakeFirstOrThrow();
  const stored = await t.storage.get(row.blob_key);
  assert.deepEqual(stored, served);
  assert.notEqual(row.upload_key_hash, body.upload_key, 'only the hash of the upload key is stored');
  const files = readdirSync(join(t.storage.root, body.id.slice(0, 2))).filter((f) => f.startsWith(body.id));
  assert.deepEqual(files.sort(), [`${body.id}.jpg`, `${body.id}.thumb.webp`]);
});

test('the type comes from the content: a PNG named photo.jpg in a form is a PNG', async () => {
  const png = await sharp({ create: { width: 30, height: 20, channels: 4, background: '#00000000' } })
    .png()
    .toBuffer();
  const form = formWithFile('file', 'photo.jpg', 'image/jpeg', png);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', ...form });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().content_type, 'image/png');
  assert.deepEqual([res.json().width, res.json().height], [30, 20]);
});

test('a text file that calls itself an image is refused with 415, a broken JPEG with 422', async () => {
  const text = await upload(Buffer.from('I am a photo, honestly'), 'image/jpeg');
  assert.equal(text.statusCode, 415);
  assert.equal(text.json().error.code, 'attachment.unsupported_type');
  assert.match(text.json().error.message, /不支持的文件类型/);
  assert.match(text.json().error.message_en, /Unsupported file type/);

  const form = formWithFile('file', 'cat.png', 'image/png', Buffer.from('<svg onload="alert(1)"/>'));
  const svg = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', ...form });
  assert.equal(svg.statusCode, 415);

  const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64)]);
  const res = await upload(broken, 'image/jpeg');
  assert.equal(res.statusCode, 422);
  assert.equal(res.json().error.code, 'attachment.unreadable');
});

test('a file over the limit is refused with 413 as a body and as a form, and nothing is kept', async () => {
  const before = await t.store.db.selectFrom('attachments').select('id').execute();
  const big = Buffer.alloc(MAX + 1, 0xff);
  const raw = await upload(big, 'image/jpeg');
  assert.equal(raw.statusCode, 413);
  assert.equal(raw.json().error.code, 'attachment.too_large');
  assert.match(raw.json().error.message, /0\.3 MB/);

  const form = formWithFile('file', 'big.jpg', 'image/jpeg', big);
  const multi = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', ...form });
  assert.equal(multi.statusCode, 413);
  assert.equal(multi.json().error.code, 'attachment.too_large');

  const after = await t.store.db.selectFrom('attachments').select('id').execute();
  assert.equal(after.length, before.length);
  assert.deepEqual(readdirSync(join(t.storage.root, '.tmp')), []);
});

test('a request without a file is refused with 400', async () => {
  const empty = await upload(Buffer.alloc(0));
  assert.equal(empty.statusCode, 400);
  assert.equal(empty.json().error.code, 'attachment.missing_file');
  const form = formWithFile('photo', 'a.jpg', 'image/jpeg', await phonePhoto());
  const wrongField = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', ...form });
  assert.equal(wrongField.statusCode, 400);
});

test('a private photo is hidden from strangers, shown to its uploader, staff in scope and the reporter, public once registered', async () => {
  const photo = await uploaded(await phonePhoto(), 'image/jpeg');
  const key = photo.upload_key;
  // Before any case claims it: the uploader's key only.
  assert.equal((await get(photo.url)).statusCode, 404);
  assert.equal((await get(photo.url, await t.as('county.center'))).statusCode, 404);
  let res = await get(photo.url, { 'x-upload-key': key });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['cache-control'], 'private, no-cache');

  const caseId = await caseWith([photo.id], { reporter_user_id: residentId });
  const stranger = await get(photo.url);
  assert.equal(stranger.statusCode, 404);
  assert.equal(stranger.json().error.code, 'attachment.not_found', 'the same answer as for no such file');
  assert.equal((await get(`${photo.url}?key=wrong`)).statusCode, 404);
  assert.equal((await get(`${photo.url}?key=${key}`)).statusCode, 200);
  assert.equal((await get(photo.url, await t.as('county.center'))).statusCode, 200, 'staff in scope');
  assert.equal(
    (await get(photo.url, await t.as('dept.market'))).statusCode,
    404,
    'a department not on the case',
  );
  assert.equal((await get(photo.url, await t.as('resident'))).statusCode, 200, 'the signed-in reporter');
  const thumb = await get(photo.thumbnail_url!);
  assert.equal(thumb.statusCode, 404);

  await step(caseId, 'register');
  res = await get(photo.url);
  assert.equal(res.statusCode, 200, 'public once registered');
  assert.equal(res.headers['cache-control'], 'public, max-age=3600, immutable');
  assert.equal((await get(photo.thumbnail_url!)).statusCode, 200);

  await step(caseId, 'void', '重复上报');
  assert.equal((await get(photo.url)).statusCode, 404, 'a voided case is not public');
  assert.equal((await get(photo.url, await t.as('county.center'))).statusCode, 200);
});

test('an anonymous reporter sees the photos of their case with the reporter key', async () => {
  const photo = await uploaded(await phonePhoto(), 'image/jpeg');
  const caseId = await caseWith([photo.id]);
  await t.store.db
    .updateTable('cases')
    .set({ reporter_key_hash: hashReporterKey('reporter-secret') })
    .where('id', '=', caseId)
    .execute();
  assert.equal((await get(`${photo.url}?key=reporter-secret`)).statusCode, 200);
  assert.equal((await get(`${photo.url}?key=someone-else`)).statusCode, 404);
});

test('a repeated request with the ETag gets 304; a stranger gets 404 even with the right ETag', async () => {
  const photo = await uploaded(await phonePhoto(), 'image/jpeg');
  const first = await get(`${photo.url}?key=${photo.upload_key}`);
  const etag = first.headers.etag as string;
  assert.match(etag, /^"[0-9a-f]{64}"$/);
  const again = await get(`${photo.url}?key=${photo.upload_key}`, { 'if-none-match': etag });
  assert.equal(again.statusCode, 304);
  assert.equal(again.rawPayload.length, 0);
  assert.equal(again.headers.etag, etag);
  assert.equal(again.headers['cache-control'], 'private, no-cache');
  const changed = await get(`${photo.url}?key=${photo.upload_key}`, { 'if-none-match': '"other"' });
  assert.equal(changed.statusCode, 200);
  assert.equal((await get(photo.url, { 'if-none-match': etag })).statusCode, 404);
});

test('staff may attach a PDF, which is served as a download; residents may not', async () => {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const anonymous = await upload(pdf, 'application/pdf');
  assert.equal(anonymous.statusCode, 415);
  const doc = await uploaded(pdf, 'application/pdf', await t.as('dept.urban'));
  assert.equal(doc.content_type, 'application/pdf');
  assert.equal(doc.thumbnail_url, null);
  const res = await get(doc.url, await t.as('dept.urban'));
  assert.equal(res.statusCode, 200, 'the signed-in uploader sees their upload');
  assert.equal(res.headers['content-disposition'], `attachment; filename="${doc.id}.pdf"`);
  assert.deepEqual(res.rawPayload, pdf);
  assert.equal((await get(doc.url, await t.as('dept.market'))).statusCode, 404);
});

test('unknown and malformed ids are 404, and a stale token is 401', async () => {
  assert.equal((await get('/api/v1/attachments/00000000-0000-4000-8000-000000000000')).statusCode, 404);
  assert.equal((await get('/api/v1/attachments/..%2F..%2Fshanzhi.sqlite')).statusCode, 404);
  assert.equal((await get(`/api/v1/attachments/${'x'.repeat(300)}`)).statusCode, 404);
  const res = await upload(await phonePhoto(), 'image/jpeg', { authorization: 'Bearer nope' });
  assert.equal(res.statusCode, 401);
});

test('the OpenAPI document describes the upload and the served files', async () => {
  const doc = (await get('/openapi.json')).json();
  assert.ok(doc.paths['/api/v1/attachments'].post.requestBody.content['multipart/form-data']);
  assert.ok(doc.paths['/api/v1/attachments/{id}'].get);
  assert.ok(doc.paths['/api/v1/attachments/{id}/thumbnail'].get);
  assert.ok(doc.paths['/api/v1/cases'].post, 'the JSON routes are still there');
});
