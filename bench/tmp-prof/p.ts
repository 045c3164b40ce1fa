import { Session } from 'node:inspector/promises';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { systemClock } from '/work/main/src/core/clock.ts';
import { openStore } from '/work/main/src/db/database.ts';
import { migrateToLatest } from '/work/main/src/db/migrate.ts';
import { DEMO_BOX } from '/work/main/src/demo/demo-grids.ts';
import { seedDemo } from '/work/main/src/demo/seed-demo.ts';
import { buildApp, makeAppDeps } from '/work/main/src/http/app.ts';
import { listCategories } from '/work/main/src/taxonomy/list-categories.ts';
process.env.SHANZHI_DEMO_CASES = process.env.SHANZHI_DEMO_CASES ?? '2000';
const store = openStore({ dataDir: mkdtempSync('/tmp/prof2/d') });
await migrateToLatest(store);
await seedDemo({ store, clock: systemClock }, { password: 'demo' });
const leaves = (await listCategories(store.db, '330106')).filter((c) => c.leaf).map((c) => c.code);
const app = await buildApp(makeAppDeps(store, systemClock), { logLevel: 'silent' });
let i = 0;
const mk = () => ({ channel: 'web', category: leaves[i % leaves.length], title: `t ${i++}`, description: 'desc desc', location: { lon: DEMO_BOX.minLon + Math.random() * (DEMO_BOX.maxLon - DEMO_BOX.minLon), lat: DEMO_BOX.minLat + Math.random() * (DEMO_BOX.maxLat - DEMO_BOX.minLat) }, idempotency_key: randomUUID() });
const run = async (n: number) => { let k = 0; const t = performance.now(); await Promise.all([0,1,2,3].map(async () => { while (k++ < n) { const r = await app.inject({ method: 'POST', url: '/api/v1/cases', payload: mk() }); if (r.statusCode !== 201) throw new Error(r.body); } })); return n / ((performance.now() - t) / 1000); };
await run(300);
const s = new Session(); s.connect();
const prof = process.argv.includes('--prof');
if (prof) { await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 100 }); await s.post('Profiler.start'); }
console.log('cases/s', (await run(3000)).toFixed(0));
if (prof) { const { profile } = await s.post('Profiler.stop'); writeFileSync('/tmp/prof/x.cpuprofile', JSON.stringify(profile)); }
await app.close(); await store.close();
