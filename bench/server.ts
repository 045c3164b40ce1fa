import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { row, type BenchOptions, type BenchRow } from './row.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Started {
  startMs: number;
  rssMb: number;
}

/** Starts the server as `npm start` does, waits for /healthz, does some locates, reads its RSS. */
async function startServer(dataDir: string, demo: boolean): Promise<Started> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SHANZHI_DATA_DIR: dataDir,
      SHANZHI_DEMO: demo ? '1' : '0',
      SHANZHI_LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      // 2,000 locates in a row from one address: the rate limits are off.
      SHANZHI_RATE_LIMIT_PER_MINUTE: '0',
      SHANZHI_RATE_LIMIT_ADDRESS_PER_MINUTE: '0',
    },
    stdio: 'ignore',
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const startMs = performance.now() - started;
    for (let i = 0; i < 2000; i++) {
      await fetch(
        `${url}/api/v1/locate?lon=${120.05 + (i % 100) * 0.0015}&lat=${30.2 + Math.floor(i / 20) * 0.0015}`,
      );
    }
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return { startMs, rssMb: rssKb / 1024 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/** Start-up time and resident memory of the real server with the demo province loaded. */
export async function benchServer(_options: BenchOptions): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'shanzhi-bench-server-'));
  const empty = mkdtempSync(join(tmpdir(), 'shanzhi-bench-empty-'));
  try {
    const fresh = await startServer(dir, true);
    const restart = await startServer(dir, true);
    const bare = await startServer(empty, false);
    return [
      row(
        'server.start_fresh_demo_ms',
        fresh.startMs,
        'ms',
        'lower',
        {
          name: 'restart on the seeded data directory',
          value: restart.startMs,
        },
        'fresh data directory to healthy, demo seeded; target < 30 s',
      ),
      row(
        'server.rss_demo_mb',
        restart.rssMb,
        'MB',
        'lower',
        {
          name: 'server on an empty database (SHANZHI_DEMO=0)',
          value: bare.rssMb,
        },
        'resident memory after 2,000 locates with the demo province loaded; target < 300 MB',
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  }
}
