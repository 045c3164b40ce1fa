import assert from 'node:assert/strict';
import { createUser } from '../../src/accounts/create-user.ts';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { sweepCases, type SweepReport } from '../../src/cases/sweep-cases.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { COUNT_KEYS, type CountKey, type Counts } from '../../src/core/indicators/indicators.ts';
import { importGrids } from '../../src/grids/import-grids.ts';
import { seedXihu } from './actors.ts';
import { makeTestApp, type TestApp } from './app.ts';
import { collection, gridFeature, square } from './grids.ts';

/** 上保社区 of 北山街道, 西湖区: the community of the demo's grid worker and community handler. */
export const SHANGBAO = '330106002051';
/** A point inside the one grid the scenarios import (上保社区 grid 01). */
export const IN_GRID = { lon: 120.105, lat: 30.205 };

export const URBAN = 'dept-330106-urban';
export const MARKET = 'dept-330106-market';
export const HOUSING = 'dept-330106-housing';
/** 北山街道办事处: assists with 市容环境 cases (乡镇履职事项清单), so it gets a co-handler task. */
export const BEISHAN = 'office-330106002';

/** A China-time wall clock reading (`2026-03-02 09:30`) as the API writes instants (UTC ISO). */
export function cn(local: string): string {
  const iso = local.replace(' ', 'T');
  return new Date(`${iso.length === 16 ? `${iso}:00` : iso}+08:00`).toISOString();
}

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A whole case scenario over HTTP: the real app over a fresh store with 西湖区, its demo accounts
 * (password `demo`, plus `dept.housing`) and one grid in 上保社区, and a clock the test moves.
 * Everything goes through `app.inject`; the sweeper is the use case, run with the same clock.
 */
export class Scenario {
  /** Session tokens and when (by the test clock) they were opened: sessions last 12 hours. */
  private readonly tokens = new Map<string, { token: string; at: number }>();

  private constructor(
    readonly t: TestApp,
    readonly clock: ReturnType<typeof fixedClock>,
  ) {}

  static async start(): Promise<Scenario> {
    const clock = fixedClock('2026-03-02T09:00:00+08:00');
    const t = await makeTestApp(
      async (store) => {
        await seedXihu(store, clock);
        await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
        // The demo has no housing handler; a whistle needs a second department that can report in.
        await createUser(
          { db: store.db, clock, actor: null },
          {
            username: 'dept.housing',
            display_name: '西湖区住建处置员',
            password: 'demo',
            roles: ['department_handler'],
            scope: '330106',
            department_id: 'dept-330106-housing',
          },
          { allowShortPassword: true },
        );
        await importGrids({ store, clock }, collection(gridFeature(SHANGBAO, 1, square(120.1, 30.2))));
      },
      { clock },
    );
    return new Scenario(t, clock);
  }

  close(): Promise<void> {
    return this.t.close();
  }

  /** Moves the clock to a China-time reading. */
  at(local: string): void {
    this.clock.set(cn(local));
  }

  /** A bearer token of the user, logged in again once the clock has left its session's 12 hours. */
  async headers(username: string): Promise<{ authorization: string }> {
    const now = this.clock.now().getTime();
    const held = this.tokens.get(username);
    let token = held && now >= held.at && now - held.at < 11 * 3_600_000 ? held.token : undefined;
    if (!token) {
      const res = await this.t.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username, password: 'demo' },
      });
      assert.equal(res.statusCode, 200, res.body);
      token = res.json().token as string;
      this.tokens.set(username, { token, at: now });
    }
    return { authorization: `Bearer ${token}` };
  }

  /** POST /api/v1/cases as a signed-in user: a report of 暴露垃圾 (SJ0102) in 上保社区's grid. */
  async postReport(username: string, fields: Json = {}) {
    return this.t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: await this.headers(username),
      payload: {
        channel: 'web',
        category: 'SJ0102',
        title: '垃圾堆放',
        description: '小区门口暴露垃圾多日',
        location: IN_GRID,
        ...fields,
      },
    });
  }

  /** A new case reported by the signed-in resident (so that they may rate and reopen it). */
  async report(fields: Json = {}): Promise<Json> {
    const res = await this.postReport('resident', fields);
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  }

  async view(id: string, username = 'county.center'): Promise<Json> {
    const res = await this.t.app.inject({
      url: `/api/v1/cases/${id}`,
      headers: await this.headers(username),
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  }

  async post(username: string, id: string, payload: Json) {
    return this.t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/actions`,
      headers: await this.headers(username),
      payload,
    });
  }

  /** One step at the case's current version; answers the case as the actor now sees it. */
  async act(username: string, id: string, payload: Json): Promise<Json> {
    const { version } = await this.view(id);
    const res = await this.post(username, id, { ...payload, expected_version: version });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  }

  /** Dispatch to 城管, accept, feed back (with 北山街道's assisting task), verify and close. */
  async handleToClosure(id: string, times: { dispatch: string; feedback: string; close: string }) {
    this.at(times.dispatch);
    await this.act('county.center', id, { action: 'dispatch' });
    await this.act('dept.urban', id, { action: 'accept' });
    this.at(times.feedback);
    await this.act('dept.urban', id, { action: 'feedback', evidence: ['after.jpg'] });
    await this.act('township.handler', id, { action: 'feedback', evidence: ['township.jpg'] });
    this.at(times.close);
    await this.act('grid.worker', id, { action: 'verify_pass' });
    return this.act('county.center', id, { action: 'close' });
  }

  /** The sweeper's run at the current clock (notices, escalation, unanswered whistles). */
  sweep(): Promise<SweepReport> {
    return sweepCases(this.t.deps);
  }

  /**
   * GET /api/v1/indicators of 西湖区 for the cases reported on one China day (min_sample 1), after
   * checking that its counts are exactly `expected` (every other count 0), that every rate follows
   * from its counts, and that each number's drill-down lists as many cases as it shows.
   */
  async indicators(day: string, expected: Partial<Counts>): Promise<Json> {
    const headers = await this.headers('county.center');
    const res = await this.t.app.inject({
      url: `/api/v1/indicators?region=330106&from=${day}&to=${day}&min_sample=1`,
      headers,
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, expected[k] ?? 0])) as Counts;
    assert.deepEqual(body.counts, counts);
    for (const [key, ind] of Object.entries(body.indicators as Record<string, Json>)) {
      const hours = ind.numerator_key === 'handling_ms';
      const numerator = counts[ind.numerator_key as CountKey] / (hours ? 3_600_000 : 1);
      const denominator = counts[ind.denominator_key as CountKey];
      assert.equal(ind.numerator, numerator, `${key} numerator`);
      assert.equal(ind.denominator, denominator, `${key} denominator`);
      assert.equal(ind.value, denominator === 0 ? null : numerator / denominator, `${key} value`);
      assert.equal(ind.meaningful, denominator >= 1, `${key} meaningful`);
      for (const [url, total] of [
        [ind.numerator_cases_url, hours ? counts.handled : numerator],
        [ind.denominator_cases_url, denominator],
      ] as const) {
        const listed = await this.t.app.inject({ url, headers });
        assert.equal(listed.statusCode, 200, listed.body);
        assert.equal(listed.json().total, total, `${key}: ${url}`);
      }
    }
    return body;
  }
}

/** The timeline as `action→stage` steps, in order. */
export const steps = (body: Json): string[] => (body.timeline as Json[]).map((e) => `${e.action}→${e.to}`);

/** The case's tasks as `department role status`, in the order they were created. */
export const assignees = (body: Json): string[] =>
  (body.assignees as Json[]).map((a) => `${a.department_id} ${a.role} ${a.status}`);

/** The rate values of an indicators answer, by key. */
export const rates = (body: Json): Record<string, number | null> =>
  Object.fromEntries(Object.entries(body.indicators as Record<string, Json>).map(([k, v]) => [k, v.value]));
