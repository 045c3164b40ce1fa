import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { drive, KINDS, KindStats, Mix, startLoadServer, type LoadServer } from '../../bench/load.ts';

/**
 * The load test's structure, not its speed (no timed assertion here: `npm run bench load` gives the
 * figures): on a real server with a small demo, a few seconds of the mix at a low rate send the
 * kinds in the proportions, every workflow step and report is accepted, and nothing
 * answers 5xx. A mix that silently sent failures would make the benchmark's figures meaningless.
 */
let server: LoadServer;

before(async () => {
  server = await startLoadServer(process.env.DATABASE_URL || undefined, 300);
});

after(async () => {
  await server?.stop();
});

test(
  'the mix is 70 % reads, 20 % steps and 10 % reports, each answered as it should be',
  { timeout: 120_000 },
  async () => {
    const mix = await Mix.prepare(server.url);
    assert.ok(mix.ids.length > 0 && mix.ready.length > 0, 'the demo gives cases to read and to move on');
    const stats: Record<string, KindStats> = {};
    await drive(server.url, mix, { rate: 100, seconds: 4 }, stats);
    const summaries = Object.fromEntries(KINDS.map((k) => [k, (stats[k] ?? new KindStats()).summary(4)]));
    const total = KINDS.reduce((n, k) => n + summaries[k]!.requests, 0);
    assert.ok(total >= 300, `sent ${total} requests`);
    const share = (k: (typeof KINDS)[number]) => summaries[k]!.requests / total;
    assert.ok(
      Math.abs(share('worklist') + share('case') - 0.7) < 0.05,
      `reads ${share('worklist') + share('case')}`,
    );
    assert.ok(Math.abs(share('action') - 0.2) < 0.05, `actions ${share('action')}`);
    assert.ok(Math.abs(share('intake') - 0.1) < 0.05, `intake ${share('intake')}`);
    for (const k of KINDS) {
      const s = summaries[k]!;
      assert.equal(s.server_errors, 0, `${k}: 5xx`);
      assert.equal(s.errors, 0, `${k}: no answer`);
      assert.equal(s.non2xx - s.conflicts, 0, `${k}: refused ${JSON.stringify([...stats[k]!.statuses])}`);
    }
    assert.equal(mix.starved, 0, 'an action found no case ready');
    assert.equal(mix.dropped, 0, 'a step was refused');
  },
);
