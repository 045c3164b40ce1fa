import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import {
  checkAnswers,
  checkDefinition,
  describeAnswers,
  type AttributeDefinition,
} from '../../src/core/open311/attributes.ts';
import { parseW3cDateTime, w3cDateTime } from '../../src/core/open311/dates.ts';
import { nearbyBounds, requestFilter } from '../../src/core/open311/filters.ts';
import {
  chooseUpdateAction,
  open311Status,
  stagesOf,
  UPDATE_ACTIONS,
} from '../../src/core/open311/status.ts';
import { showsDetails } from '../../src/core/open311/visibility.ts';
import { toXml } from '../../src/core/open311/xml.ts';
import { FINAL_STAGES, STAGES } from '../../src/core/workflow/stages.ts';
import { TRANSITIONS } from '../../src/core/workflow/transitions.ts';
import { isDomainError } from '../../src/core/errors.ts';

const attr = (a: Partial<AttributeDefinition> & Pick<AttributeDefinition, 'code' | 'order' | 'datatype'>) =>
  ({
    variable: true,
    required: false,
    description: a.code,
    datatype_description: null,
    values: [],
    ...a,
  }) satisfies AttributeDefinition;

const DEFINITION: AttributeDefinition[] = [
  attr({
    code: 'state',
    order: 1,
    datatype: 'singlevaluelist',
    required: true,
    values: [
      { key: 'a', name: 'A' },
      { key: 'b', name: 'B' },
    ],
  }),
  attr({
    code: 'who',
    order: 2,
    datatype: 'multivaluelist',
    values: [
      { key: 'x', name: 'X' },
      { key: 'y', name: 'Y' },
    ],
  }),
  attr({ code: 'area', order: 3, datatype: 'number' }),
  attr({ code: 'seen', order: 4, datatype: 'datetime' }),
  attr({ code: 'name', order: 5, datatype: 'string' }),
  attr({ code: 'notes', order: 6, datatype: 'text' }),
  attr({ code: 'info', order: 7, datatype: 'text', variable: false }),
];

function refusal(work: () => unknown): Record<string, unknown> {
  try {
    work();
  } catch (error) {
    assert.ok(isDomainError(error));
    assert.equal(error.code, 'open311.attribute_invalid');
    return error.details;
  }
  assert.fail('expected a refusal');
}

test('answers are checked against their datatype and typed', () => {
  const { answers, extra } = checkAnswers(DEFINITION, {
    state: 'b',
    who: ['x', 'y', 'x'],
    area: '2.5',
    seen: '2026-03-02T09:30:00+08:00',
    name: ' 北门 ',
    notes: '第一行\n第二行',
    info: 'ignored',
    fixmystreet_id: '123',
  });
  assert.deepEqual(answers, {
    state: 'b',
    who: ['x', 'y'],
    area: 2.5,
    seen: '2026-03-02T01:30:00Z',
    name: '北门',
    notes: '第一行\n第二行',
  });
  assert.deepEqual(extra, { fixmystreet_id: '123' }, 'kept apart; a question without input is ignored');
  assert.deepEqual(describeAnswers(DEFINITION, answers).slice(0, 2), ['state: B', 'who: X、Y']);
});

test('a required answer, a value outside the list, a bad number or date, a line break in a string are refused', () => {
  assert.deepEqual(
    refusal(() => checkAnswers(DEFINITION, {})),
    { code: 'state', rule: 'required' },
  );
  assert.deepEqual(
    refusal(() => checkAnswers(DEFINITION, { state: '  ' })),
    { code: 'state', rule: 'required' },
  );
  assert.equal(refusal(() => checkAnswers(DEFINITION, { state: 'c' })).code, 'state');
  assert.equal(refusal(() => checkAnswers(DEFINITION, { state: ['a', 'b'] })).code, 'state');
  assert.equal(refusal(() => checkAnswers(DEFINITION, { state: 'a', who: ['x', 'z'] })).code, 'who');
  assert.equal(refusal(() => checkAnswers(DEFINITION, { state: 'a', area: '2 m²' })).code, 'area');
  assert.equal(
    refusal(() => checkAnswers(DEFINITION, { state: 'a', seen: '2026-03-02 09:30' })).code,
    'seen',
  );
  assert.equal(refusal(() => checkAnswers(DEFINITION, { state: 'a', name: 'a\nb' })).code, 'name');
});

test('a definition with repeated codes or orders, an empty list or values on a plain field is refused', () => {
  assert.deepEqual(checkDefinition(DEFINITION), []);
  const problems = checkDefinition([
    attr({ code: 'a', order: 1, datatype: 'string', values: [{ key: 'k', name: 'n' }] }),
    attr({ code: 'a', order: 1, datatype: 'singlevaluelist' }),
    attr({ code: 'bad code', order: 0, datatype: 'text', variable: false, required: true }),
  ]);
  assert.equal(problems.length, 7, problems.join('\n'));
});

test('open and closed: every final stage is closed, parked is still open', () => {
  for (const stage of STAGES) {
    assert.equal(open311Status(stage), FINAL_STAGES.includes(stage) ? 'closed' : 'open', stage);
  }
  assert.equal(open311Status('parked'), 'open');
  assert.deepEqual(stagesOf(['closed']).sort(), [...FINAL_STAGES].sort());
});

test('a posted update becomes the first mapped action the actor may take, else a note', () => {
  assert.equal(chooseUpdateAction('IN_PROGRESS', ['accept', 'return', 'escalate']), 'accept');
  assert.equal(chooseUpdateAction('FIXED', ['feedback', 'escalate']), 'feedback');
  assert.equal(chooseUpdateAction('NOT_COUNCILS_RESPONSIBILITY', ['accept', 'return']), 'return');
  assert.equal(chooseUpdateAction('IN_PROGRESS', ['register', 'void']), null);
  assert.equal(chooseUpdateAction('OPEN', ['register']), null);
  for (const actions of Object.values(UPDATE_ACTIONS)) {
    for (const a of actions) assert.ok(a in TRANSITIONS, a);
  }
});

test('GET requests filters: ids override, 90 days by default, at most 90 days apart, statuses checked', () => {
  const now = new Date('2026-03-02T01:00:00Z');
  assert.deepEqual(
    requestFilter({ service_request_id: 'a, b,a', status: 'bogus', radius: '0', page: '0' }, now),
    { kind: 'ids', ids: ['a', 'b'] },
    'ids override nearby search and paging too: those parameters are not even read',
  );
  const window = requestFilter({ service_code: '', status: 'open' }, now);
  assert.ok(window.kind === 'window');
  assert.equal(window.from.toISOString(), '2025-12-02T01:00:00.000Z');
  assert.equal(window.to.toISOString(), now.toISOString());
  assert.equal(window.service_codes, null, 'an empty parameter is the same as none');
  assert.deepEqual(window.statuses, ['open']);
  assert.equal(window.near, null);
  assert.equal(window.offset, 0);
  assert.equal(window.limit, 1000);
  const from = requestFilter({ start_date: '2026-01-01T00:00:00+08:00' }, now);
  assert.ok(from.kind === 'window');
  assert.equal(from.to.toISOString(), '2026-03-31T16:00:00.000Z');
  assert.throws(() =>
    requestFilter({ start_date: '2025-01-01T00:00:00Z', end_date: '2025-06-01T00:00:00Z' }, now),
  );
  assert.throws(() => requestFilter({ status: 'pending' }, now));
  assert.throws(() => requestFilter({ start_date: 'yesterday' }, now));
});

function parameterRefusal(work: () => unknown): Record<string, unknown> {
  try {
    work();
  } catch (error) {
    assert.ok(isDomainError(error));
    assert.equal(error.code, 'open311.parameter_invalid');
    return error.details;
  }
  assert.fail('expected a refusal');
}

test('nearby search takes lat and long together, and a radius of 1–10,000 m (500 by default)', () => {
  const now = new Date('2026-03-02T01:00:00Z');
  const near = (q: Record<string, string>) => {
    const f = requestFilter(q, now);
    assert.ok(f.kind === 'window');
    return f.near;
  };
  assert.deepEqual(near({ lat: '30.205', long: '120.105' }), { lat: 30.205, lon: 120.105, radius: 500 });
  assert.deepEqual(near({ lat: ' 30.2 ', long: '120', radius: '10000' }), {
    lat: 30.2,
    lon: 120,
    radius: 10000,
  });
  assert.equal(near({ lat: '', long: '', radius: '' }), null, 'empty parameters are none');
  const refused = (q: Record<string, string>) => parameterRefusal(() => requestFilter(q, now)).parameter;
  assert.equal(refused({ lat: '30.2' }), 'long', 'lat without long');
  assert.equal(refused({ long: '120.1' }), 'lat', 'long without lat');
  assert.equal(refused({ radius: '300' }), 'radius', 'a radius without a point');
  assert.equal(refused({ lat: '30.2', long: '120.1', radius: '0' }), 'radius');
  assert.equal(refused({ lat: '30.2', long: '120.1', radius: '10001' }), 'radius');
  assert.equal(refused({ lat: '30.2', long: '120.1', radius: '5km' }), 'radius');
  assert.equal(refused({ lat: '91', long: '120.1' }), 'lat');
  assert.equal(refused({ lat: '30.2', long: '1e2' }), 'long');
  assert.equal(refused({ lat: 'north', long: '120.1' }), 'lat');
});

test('the circle is a box for the index and an equirectangular test in degrees', () => {
  const b = nearbyBounds({ lat: 30, lon: 120, radius: 1113.2 });
  assert.ok(Math.abs(b.degrees - 0.01) < 1e-12);
  assert.ok(Math.abs(b.k - Math.sqrt(3) / 2) < 1e-12);
  assert.ok(Math.abs(b.lat.max - 30.01) < 1e-12);
  assert.ok(Math.abs(b.lon!.max - 120 - 0.01 / b.k) < 1e-12, 'a degree of longitude is shorter');
  assert.equal(nearbyBounds({ lat: 90, lon: 0, radius: 500 }).lon, null, 'at the pole every longitude');
});

test('paging: page from 1, page_size 1–1,000 (1,000 by default), as an offset and a limit', () => {
  const now = new Date('2026-03-02T01:00:00Z');
  const page = (q: Record<string, string>) => {
    const f = requestFilter(q, now);
    assert.ok(f.kind === 'window');
    return [f.offset, f.limit];
  };
  assert.deepEqual(page({}), [0, 1000]);
  assert.deepEqual(page({ page: '3', page_size: '20' }), [40, 20]);
  assert.deepEqual(page({ page: '2' }), [1000, 1000]);
  assert.deepEqual(page({ page: '', page_size: '' }), [0, 1000]);
  const refused = (q: Record<string, string>) => parameterRefusal(() => requestFilter(q, now));
  assert.deepEqual(refused({ page: '0' }), { parameter: 'page', rule: 'an integer of at least 1' });
  assert.deepEqual(refused({ page_size: '1001' }), {
    parameter: 'page_size',
    rule: 'an integer from 1 to 1000',
  });
  assert.equal(refused({ page_size: '0' }).parameter, 'page_size');
  assert.equal(refused({ page: '1.5' }).parameter, 'page', 'not an integer');
  assert.equal(refused({ page: '-1' }).parameter, 'page');
  assert.equal(refused({ page_size: 'ten' }).parameter, 'page_size');
  assert.equal(refused({ page: '99999999999999999999' }).parameter, 'page');
});

test('dates are read with their zone and written in UTC with Z', () => {
  assert.equal(w3cDateTime(parseW3cDateTime('2026-03-02T09:30:15.250+08:00')!), '2026-03-02T01:30:15Z');
  assert.equal(parseW3cDateTime('2026-03-02')!.toISOString(), '2026-03-02T00:00:00.000Z');
  assert.equal(parseW3cDateTime('2026-03-02T09:30:00'), null, 'a time needs its zone');
});

test('XML escapes markup and drops characters XML cannot carry', () => {
  const xml = toXml('service_requests', [{ description: 'a < b & "c" \u0001 ok', lat: null }], {
    service_requests: 'request',
  });
  assert.equal(XMLValidator.validate(xml), true);
  assert.ok(xml.includes('<description>a &lt; b &amp; &quot;c&quot;  ok</description><lat/>'));
});

test('only matters of public space show their details in the public feed', () => {
  assert.ok(showsDetails('component') && showsDetails('event') && showsDetails('hazard'));
  assert.ok(!showsDetails('dispute') && !showsDetails('public_order') && !showsDetails(null));
});
