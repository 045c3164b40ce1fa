import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { normalizeAddress, redactAddresses } from '../../src/core/mail/address.ts';
import { areaProblem, coveringRegionCodes, isInArea } from '../../src/core/mail/area.ts';
import { nextDigestAt, retryDelayMs } from '../../src/core/mail/schedule.ts';
import { renderMail } from '../../src/core/mail/templates.ts';
import { readLink, signLink } from '../../src/core/mail/tokens.ts';

const sign = (data: string) => createHmac('sha256', 'k').update(data).digest('base64url');
const otherKey = (data: string) => createHmac('sha256', 'other').update(data).digest('base64url');

test('a signed link reads back; altered, cut or signed with another key it does not', () => {
  const token = signLink({ p: 'unsubscribe', k: 'case', id: 'f-1' }, sign);
  assert.deepEqual(readLink(token, sign), { p: 'unsubscribe', k: 'case', id: 'f-1' });
  const forged = signLink({ p: 'unsubscribe', k: 'case', id: 'f-2' }, otherKey);
  assert.equal(readLink(forged, sign), null);
  const [body, mac] = token.split('.') as [string, string];
  const swapped = Buffer.from(JSON.stringify({ p: 'unsubscribe', k: 'area', id: 'f-1' })).toString(
    'base64url',
  );
  assert.equal(readLink(`${swapped}.${mac}`, sign), null);
  assert.equal(readLink(body, sign), null);
  assert.equal(readLink(`${body}.${mac.slice(1)}`, sign), null);
  assert.equal(readLink('', sign), null);
});

test('addresses are kept lower-case and trimmed; errors keep no address', () => {
  assert.equal(normalizeAddress('  Li.Si@Example.ORG '), 'li.si@example.org');
  for (const bad of ['li', 'li@', '@example.org', 'li@example', 'a b@example.org', 'li@example.c']) {
    assert.equal(normalizeAddress(bad), null, bad);
  }
  assert.equal(
    redactAddresses('550 5.1.1 <li@example.org>: no such user'),
    '550 5.1.1 <<address>>: no such user',
  );
});

test('an area is a region subtree or a circle; candidates come from the region and its ancestors', () => {
  const community = { kind: 'region', code: '330106002051', level: 'community' } as const;
  const township = { kind: 'region', code: '330106002000', level: 'township' } as const;
  assert.equal(isInArea(community, { region_code: '330106002051', point: null }), true);
  assert.equal(isInArea(community, { region_code: '330106002052', point: null }), false);
  assert.equal(isInArea(township, { region_code: '330106002052', point: null }), true);
  assert.deepEqual(coveringRegionCodes('330106002051'), ['330106000000', '330106002000', '330106002051']);
  const circle = { kind: 'circle', center: { lon: 120.1, lat: 30.2 }, radius_m: 500 } as const;
  // 0.004° of latitude is about 445 m; 0.005° about 556 m.
  assert.equal(isInArea(circle, { region_code: 'x', point: { lon: 120.1, lat: 30.204 } }), true);
  assert.equal(isInArea(circle, { region_code: 'x', point: { lon: 120.1, lat: 30.205 } }), false);
  assert.equal(isInArea(circle, { region_code: 'x', point: null }), false);
  assert.match(areaProblem({ ...circle, radius_m: 10 }) ?? '', /radius_m/);
  assert.match(
    areaProblem({ kind: 'region', code: '330000000000', level: 'province' }) ?? '',
    /county or below/,
  );
});

test('digests go out at 08:00 in China; retries back off exponentially up to an hour', () => {
  assert.equal(nextDigestAt(new Date('2026-03-02T09:00:00+08:00')).toISOString(), '2026-03-03T00:00:00.000Z');
  assert.equal(nextDigestAt(new Date('2026-03-02T07:59:00+08:00')).toISOString(), '2026-03-02T00:00:00.000Z');
  assert.equal(nextDigestAt(new Date('2026-03-02T00:00:00Z')).toISOString(), '2026-03-03T00:00:00.000Z');
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => retryDelayMs(n)),
    [30_000, 60_000, 120_000, 240_000],
  );
  assert.equal(retryDelayMs(40), 3_600_000);
});

test('every mail says it in Chinese first, then English, with its links in full', () => {
  const mail = renderMail(
    {
      template: 'case_status',
      reference: '330106-20260302-00017',
      from: { zh: '已立案', en: 'Registered' },
      to: { zh: '已派遣', en: 'Dispatched' },
      action: { zh: '派遣', en: 'Dispatched' },
      at: '2026-03-02T01:30:00.000Z',
    },
    { view: 'https://s.example/?reference=x', unsubscribe: 'https://s.example/mail/unsubscribe?token=t' },
  );
  assert.equal(
    mail.subject,
    '【善治】事件 330106-20260302-00017：已派遣 / Case 330106-20260302-00017: Dispatched',
  );
  assert.ok(mail.text.indexOf('您关注的事件') < mail.text.indexOf('Case 330106'));
  assert.match(mail.text, /2026-03-02 09:30/, 'times in China Standard Time');
  assert.match(mail.text, /退订 \/ Unsubscribe: https:\/\/s\.example\/mail\/unsubscribe\?token=t/);
  assert.match(mail.html, /<div lang="zh-CN">.*<\/div>\n<hr>\n<div lang="en">/s);
});
