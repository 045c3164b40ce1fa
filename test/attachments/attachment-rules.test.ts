import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cacheControl,
  decideAttachmentAccess,
  isCasePublic,
  matchesEtag,
} from '../../src/core/attachments/access.ts';
import { attachmentIdOf, splitRefs } from '../../src/core/attachments/refs.ts';
import { sniffType } from '../../src/core/attachments/sniff.ts';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

test('the type is read from the first bytes', () => {
  assert.equal(sniffType(bytes([0xff, 0xd8, 0xff, 0xe1], 'xxxx')), 'image/jpeg');
  assert.equal(sniffType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a], 'rest')), 'image/png');
  assert.equal(sniffType(bytes('GIF89a', [1, 0])), 'image/gif');
  assert.equal(sniffType(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')), 'image/webp');
  assert.equal(sniffType(bytes('%PDF-1.7\n')), 'application/pdf');
  const ftyp = (major: string, ...compatible: string[]) =>
    bytes([0, 0, 0, 16 + 4 * compatible.length], 'ftyp', major, [0, 0, 0, 0], ...compatible);
  assert.equal(sniffType(ftyp('heic', 'mif1', 'heic')), 'image/heic');
  assert.equal(sniffType(ftyp('avif', 'mif1', 'avif')), 'image/avif');
  assert.equal(sniffType(ftyp('mif1', 'avif')), 'image/avif');
  assert.equal(sniffType(ftyp('mif1', 'heic')), 'image/heic');
  assert.equal(sniffType(ftyp('isom', 'mp41')), null, 'an MP4 video is not an image');
  assert.equal(sniffType(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
  assert.equal(sniffType(bytes('hello')), null);
  assert.equal(sniffType(new Uint8Array()), null);
  assert.equal(sniffType(bytes([0xff, 0xd8])), null, 'too short to be sure');
});

test('references name attachments by id or URL; anything else is a link', () => {
  const id = '3f2a7c1e-8b4d-4e6f-9a0b-1c2d3e4f5a6b';
  assert.equal(attachmentIdOf(id), id);
  assert.equal(attachmentIdOf(id.toUpperCase()), id);
  assert.equal(attachmentIdOf(`/api/v1/attachments/${id}`), id);
  assert.equal(attachmentIdOf(`/api/v1/attachments/${id}/thumbnail`), null);
  assert.equal(attachmentIdOf(`https://elsewhere.example/${id}`), null);
  assert.deepEqual(splitRefs([id, `/api/v1/attachments/${id}`, 'after.jpg']), {
    attachmentIds: [id],
    links: ['after.jpg'],
  });
});

test('a case is public from registration on, unless voided', () => {
  assert.equal(isCasePublic({ stage: 'reported', registered_at: null }), false);
  assert.equal(isCasePublic({ stage: 'verifying', registered_at: null }), false);
  assert.equal(isCasePublic({ stage: 'registered', registered_at: '2026-03-02T01:00:00Z' }), true);
  assert.equal(isCasePublic({ stage: 'closed', registered_at: '2026-03-02T01:00:00Z' }), true);
  assert.equal(isCasePublic({ stage: 'voided', registered_at: '2026-03-02T01:00:00Z' }), false);
  assert.equal(isCasePublic({ stage: 'merged', registered_at: null }), false);
});

test('who sees a private attachment', () => {
  const nobody = { holdsKey: false, isUploader: false, isReporter: false, staffMayRead: false };
  const reported = { stage: 'reported', registered_at: null } as const;
  assert.deepEqual(decideAttachmentAccess({ case: reported, ...nobody }), { allowed: false });
  for (const who of ['holdsKey', 'isUploader', 'isReporter', 'staffMayRead'] as const) {
    assert.deepEqual(decideAttachmentAccess({ case: reported, ...nobody, [who]: true }), {
      allowed: true,
      visibility: 'private',
    });
  }
  // Unclaimed: staff rights over a case do not apply, there is no case.
  assert.deepEqual(decideAttachmentAccess({ case: null, ...nobody, staffMayRead: true }), { allowed: false });
  assert.deepEqual(
    decideAttachmentAccess({ case: { stage: 'handling', registered_at: '2026-03-02T01:00:00Z' }, ...nobody }),
    { allowed: true, visibility: 'public' },
  );
});

test('caching follows visibility, and entity tags compare weakly', () => {
  assert.equal(cacheControl('private'), 'private, no-cache');
  assert.match(cacheControl('public'), /^public, max-age=\d+, immutable$/);
  assert.equal(matchesEtag('"abc"', '"abc"'), true);
  assert.equal(matchesEtag('W/"abc"', '"abc"'), true);
  assert.equal(matchesEtag('"x", "abc"', '"abc"'), true);
  assert.equal(matchesEtag('*', '"abc"'), true);
  assert.equal(matchesEtag('"abd"', '"abc"'), false);
  assert.equal(matchesEtag(undefined, '"abc"'), false);
});
