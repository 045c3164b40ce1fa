import { pathToFileURL } from 'node:url';
import { drive, KINDS, KindStats, load1, Mix, processFigures, startLoadServer } from './load.ts';

/**
 * `npm run soak` (not in CI): the load test's mix at a steady rate for SHANZHI_SOAK_MINUTES (30),
 * sampling the server process every 10 s — resident memory (VmRSS; the server exposes no heap
 * figure) and open file descriptors (/proc/PID/fd) — and judging growth after a warm-up (the
 * first 5 minutes, or the first fifth of a shorter soak) by the least-squares slope of each:
 *
 * - memory passes when its slope is under RSS_MB_PER_HOUR (20 MB/h): a leak of only 12 bytes a
 *   request at 500 req/s would be twice that, while the page cache and JIT settle well under it;
 * - file handles pass when their slope is under FDS_PER_HOUR (10/h): the connections are a fixed
 *   pool and the store's files stay open, so the count should not move at all.
 *
 * SHANZHI_SOAK_RATE (500) sets the rate; DATABASE_URL soaks PostgreSQL (a fresh database beside it).
 */
export const RSS_MB_PER_HOUR = 20;
export const FDS_PER_HOUR = 10;
const SAMPLE_SECONDS = 10;

export interface Sample {
  at_s: number;
  rss_mb: number;
  fds: number;
  requests: number;
  p99_ms: number;
  non2xx: number;
  server_errors: number;
  load1: number;
}

export interface Growth {
  warmup_s: number;
  samples: number;
  rss_mb_per_hour: number;
  fds_per_hour: number;
  rss_first_mb: number;
  rss_last_mb: number;
  fds_first: number;
  fds_last: number;
  pass: boolean;
}

export interface SoakReport {
  store: 'sqlite' | 'postgresql';
  rate: number;
  seconds: number;
  samples: Sample[];
  growth: Growth;
  requests: Record<string, number>;
  server_errors: number;
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export function growthOf(samples: Sample[], warmupSeconds: number): Growth {
  const after = samples.filter((s) => s.at_s >= warmupSeconds);
  const xs = after.map((s) => s.at_s / 3600);
  const rss = slope(
    xs,
    after.map((s) => s.rss_mb),
  );
  const fds = slope(
    xs,
    after.map((s) => s.fds),
  );
  return {
    warmup_s: warmupSeconds,
    samples: after.length,
    rss_mb_per_hour: Number(rss.toFixed(2)),
    fds_per_hour: Number(fds.toFixed(2)),
    rss_first_mb: after[0]?.rss_mb ?? NaN,
    rss_last_mb: after.at(-1)?.rss_mb ?? NaN,
    fds_first: after[0]?.fds ?? NaN,
    fds_last: after.at(-1)?.fds ?? NaN,
    pass: after.length >= 2 && rss < RSS_MB_PER_HOUR && fds < FDS_PER_HOUR,
  };
}

/** Runs the soak on a fresh server; `sampleSeconds` is 10 except in the test. */
export async function runSoak(
  databaseUrl: string | undefined,
  options: { rate: number; seconds: number; demoCases: number; sampleSeconds?: number },
): Promise<SoakReport> {
  const every = options.sampleSeconds ?? SAMPLE_SECONDS;
  const started = await startLoadServer(databaseUrl, options.demoCases);
  try {
    const mix = await Mix.prepare(started.url);
    const stats: Record<string, KindStats> = {};
    for (const k of KINDS) stats[k] = new KindStats();
    const totals: Record<string, number> = Object.fromEntries(KINDS.map((k) => [k, 0]));
    let serverErrors = 0;
    const samples: Sample[] = [];
    const t0 = performance.now();
    const sample = () => {
      // Each window's latencies are taken and dropped, so the driver itself does not grow.
      const window = new KindStats();
      for (const k of KINDS) {
        const s = stats[k]!;
        totals[k]! += s.latencies.length;
        window.latencies.push(...s.latencies);
        for (const [code, n] of s.statuses) window.statuses.set(code, (window.statuses.get(code) ?? 0) + n);
        s.latencies = [];
        s.statuses = new Map();
      }
      const w = window.summary(every);
      serverErrors += w.server_errors;
      const figures = processFigures(started.pid);
      samples.push({
        at_s: Math.round((performance.now() - t0) / 1000),
        rss_mb: Number((figures.rssKb / 1024).toFixed(1)),
        fds: figures.fds,
        requests: w.requests,
        p99_ms: Number(w.p99.toFixed(1)),
        non2xx: w.non2xx,
        server_errors: w.server_errors,
        load1: load1(),
      });
    };
    const timer = setInterval(sample, every * 1000);
    try {
      await drive(started.url, mix, { rate: options.rate, seconds: options.seconds }, stats);
    } finally {
      clearInterval(timer);
    }
    sample();
    const warmup = Math.min(300, options.seconds / 5);
    return {
      store: started.store,
      rate: options.rate,
      seconds: options.seconds,
      samples,
      growth: growthOf(samples, warmup),
      requests: totals,
      server_errors: serverErrors,
    };
  } finally {
    await started.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const minutes = Number(process.env.SHANZHI_SOAK_MINUTES || 30);
  const rate = Number(process.env.SHANZHI_SOAK_RATE || 500);
  const store = process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite';
  process.stderr.write(
    `soak: ${minutes} min at ${rate} req/s on ${store}, sampling every ${SAMPLE_SECONDS} s …\n`,
  );
  const report = await runSoak(process.env.DATABASE_URL || undefined, {
    rate,
    seconds: minutes * 60,
    demoCases: 20_000,
  });
  // One row a minute (every sixth sample) keeps the table readable; the slopes use every sample.
  console.table(report.samples.filter((_, i) => i % 6 === 5 || i === report.samples.length - 1));
  console.table([report.growth]);
  console.log(`  requests: ${JSON.stringify(report.requests)}, 5xx: ${report.server_errors}`);
  console.log(
    `  ${report.growth.pass ? 'PASS' : 'FAIL'}: after a ${report.growth.warmup_s} s warm-up, RSS ${report.growth.rss_mb_per_hour} MB/h (limit ${RSS_MB_PER_HOUR}), file handles ${report.growth.fds_per_hour}/h (limit ${FDS_PER_HOUR})`,
  );
  process.exitCode = report.growth.pass && report.server_errors === 0 ? 0 : 1;
}
