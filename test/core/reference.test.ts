import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boxAround, haversineMeters } from '../../src/core/geo/distance.ts';
import { chinaDay, formatReference, parseReference } from '../../src/core/workflow/reference.ts';

test('a reference is county, report day and a five-digit sequence', () => {
  assert.equal(formatReference('330106', '20260302', 17), '330106-20260302-00017');
  assert.equal(formatReference('330106', '20260302', 123456), '330106-20260302-123456');
});

test('the report day is the calendar day in China (UTC+8), not in UTC', () => {
  assert.equal(chinaDay(new Date('2026-03-01T15:59:59.999Z')), '20260301');
  assert.equal(chinaDay(new Date('2026-03-01T16:00:00Z')), '20260302');
  assert.equal(chinaDay(new Date('2026-12-31T16:00:00Z')), '20270101');
});

test('malformed parts are refused rather than formatted into a wrong reference', () => {
  assert.throws(() => formatReference('3301', '20260302', 1), RangeError);
  assert.throws(() => formatReference('330106', '2026-03-02', 1), RangeError);
  assert.throws(() => formatReference('330106', '20260302', 0), RangeError);
});

test('a reference reads back into its parts; other text is not a reference', () => {
  assert.deepEqual(parseReference(' 330106-20260302-00017 '), {
    county: '330106',
    day: '20260302',
    sequence: 17,
  });
  assert.equal(parseReference('330106-2026032-00017'), undefined);
  assert.equal(parseReference('abc'), undefined);
});

test('haversine distances match known lengths within a metre', () => {
  const a = { lon: 120.1, lat: 30.2 };
  // One thousandth of a degree of latitude is about 111.2 m everywhere.
  assert.ok(Math.abs(haversineMeters(a, { lon: 120.1, lat: 30.201 }) - 111.2) < 1);
  // Along a parallel it shrinks with the cosine of the latitude (30.2°: about 96.1 m).
  assert.ok(Math.abs(haversineMeters(a, { lon: 120.101, lat: 30.2 }) - 96.1) < 1);
  assert.equal(haversineMeters(a, a), 0);
});

test('the box around a point holds every point within the distance', () => {
  const c = { lon: 120.13, lat: 30.27 };
  const box = boxAround(c, 50);
  for (let deg = 0; deg < 360; deg += 15) {
    const r = (deg * Math.PI) / 180;
    // Walk out to 50 m in each direction by bisection on the exact distance.
    let lo = 0;
    let hi = 0.001;
    for (let i = 0; i < 50; i++) {
      const mid = (lo + hi) / 2;
      const p = { lon: c.lon + mid * Math.cos(r), lat: c.lat + mid * Math.sin(r) };
      if (haversineMeters(c, p) < 50) lo = mid;
      else hi = mid;
    }
    const p = { lon: c.lon + lo * Math.cos(r), lat: c.lat + lo * Math.sin(r) };
    assert.ok(p.lon >= box.minX && p.lon <= box.maxX && p.lat >= box.minY && p.lat <= box.maxY, `${deg}°`);
  }
});
