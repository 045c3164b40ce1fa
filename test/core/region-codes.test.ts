import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWithin, normalizeRegionCode, subtreeRange } from '../../src/core/regions/codes.ts';

test('every short form of a region code becomes the 12-digit form and names its level', () => {
  assert.deepEqual(normalizeRegionCode('33'), { code: '330000000000', level: 'province' });
  assert.deepEqual(normalizeRegionCode('3301'), { code: '330100000000', level: 'city' });
  assert.deepEqual(normalizeRegionCode('330106'), { code: '330106000000', level: 'county' });
  assert.deepEqual(normalizeRegionCode('330106002'), { code: '330106002000', level: 'township' });
  assert.deepEqual(normalizeRegionCode('330106002001'), { code: '330106002001', level: undefined });
});

test('a code of another length or with letters is refused with region.invalid_code', () => {
  for (const bad of ['3', '33010', '3301060020', 'abcdef', '', '33010600200a']) {
    assert.throws(() => normalizeRegionCode(bad), { code: 'region.invalid_code' });
  }
});

test('a county subtree is one code range holding all its townships and communities and nothing else', () => {
  const { low, high } = subtreeRange('330106000000', 'county');
  assert.deepEqual({ low, high }, { low: '330106000000', high: '330106999999' });
  assert.ok(isWithin('330106002001', '330106000000', 'county'));
  assert.ok(!isWithin('330105002001', '330106000000', 'county'));
  assert.ok(isWithin('330106002001', '330000000000', 'province'));
});
