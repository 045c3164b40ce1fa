import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDomainError } from '../../src/core/errors.ts';
import { depthOf, nextSegment, parentCodeOf, segmentOwner } from '../../src/core/taxonomy/codes.ts';
import { assertCanAdd, assertCanEdit } from '../../src/core/taxonomy/inheritance.ts';
import { markLeaves, validateTree, type CategoryDraft } from '../../src/core/taxonomy/tree.ts';

const ZJ = { code: '330000000000', level: 1 };
const XIHU = { code: '330106000000', level: 3 };
const draft = (code: string, name = `n${code}`, kind = 'event'): CategoryDraft => ({
  code,
  parent_code: parentCodeOf(code),
  name,
  name_en: '',
  kind,
});

test('a child code is its parent’s code plus one 2-character segment', () => {
  assert.equal(parentCodeOf('SJ0101'), 'SJ01');
  assert.equal(parentCodeOf('SJ'), null);
  assert.equal(depthOf('SJ0101'), 3);
});

test('below the roots, province segments are digits and local segments start with a letter', () => {
  assert.equal(segmentOwner('SJ0101'), 'base');
  assert.equal(segmentOwner('SJ01A0'), 'local');
  assert.equal(segmentOwner('SJ0100'), undefined);
  assert.equal(nextSegment(['01', '02', '04'], 'base'), '03');
  assert.equal(nextSegment(['A0', 'A1'], 'local'), 'A2');
});

test('a valid tree passes; each broken rule is named with its position', () => {
  assert.deepEqual(validateTree([draft('SJ'), draft('SJ01'), draft('SJ0101')], new Map(), 'base'), []);
  const problems = validateTree(
    [draft('SJ'), draft('SJ01'), draft('sj02'), draft('SJ0101', 'x'), draft('SJ0102', 'x'), draft('XX01')],
    new Map(),
    'base',
  );
  assert.deepEqual(
    problems.map((p) => p.index),
    [2, 4, 5],
  );
  assert.match(problems[1]!.reason, /appears twice/);
  assert.match(problems[2]!.reason, /does not exist/);
});

test('a county’s tree uses letter segments; a child keeps its parent’s kind', () => {
  const known = new Map([['SJ01', { kind: 'event' }]]);
  assert.deepEqual(validateTree([draft('SJ01A0')], known, 'local'), []);
  assert.match(validateTree([draft('SJ0107')], known, 'local')[0]!.reason, /starts with a letter/);
  assert.match(validateTree([draft('SJ01A0', 'x', 'dispute')], known, 'local')[0]!.reason, /kind/);
});

test('a node is a leaf when nothing in the list has it as parent', () => {
  const leaves = markLeaves([draft('SJ'), draft('SJ01'), draft('SJ0101')]);
  assert.deepEqual(
    leaves.map((n) => n.leaf),
    [false, false, true],
  );
});

test('inheritance: a county adds under a province inner node, not a new root nor under a province leaf', () => {
  const inner = { code: 'SJ01', region_code: ZJ.code, region_level: 1, leaf: false };
  assert.doesNotThrow(() => assertCanAdd(XIHU, inner));
  assert.doesNotThrow(() => assertCanAdd(ZJ, null));
  for (const parent of [null, { ...inner, code: 'SJ0101', leaf: true }]) {
    assert.throws(
      () => assertCanAdd(XIHU, parent),
      (e) => isDomainError(e) && e.code === 'category.add_refused',
    );
  }
  assert.throws(
    () => assertCanAdd({ code: '330106002000', level: 4 }, inner),
    (e) => isDomainError(e) && e.code === 'category.add_refused',
  );
});

test('inheritance: only the defining region renames or removes a category', () => {
  const node = { code: 'SJ01', region_code: ZJ.code, region_level: 1 };
  assert.doesNotThrow(() => assertCanEdit(ZJ, node));
  assert.throws(
    () => assertCanEdit(XIHU, node),
    (e) =>
      isDomainError(e) &&
      e.code === 'category.inherited_readonly' &&
      /lower region/.test(String(e.details.rule)),
  );
});
