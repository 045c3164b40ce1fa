// Builds the resident site (web/) into web/dist, precompressed, when it is missing or older than
// its sources. `npm start` runs it first (prestart), the browser test calls ensureWebBuild(), and
// `npm run build:web` forces a build. docs/web.md explains the choice.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const WEB = fileURLToPath(new URL('../web/', import.meta.url));
const DIST = join(WEB, 'dist');
/** Written last by a successful build: its time is the build's. */
const STAMP = join(DIST, '.built');
const LOCK = join(WEB, '.build-lock');
const SOURCES = ['src', 'public', 'index.html', 'console.html', 'vite.config.ts'];
const COMPRESSIBLE = /\.(?:js|css|html|svg|json|txt)$/;

function newestSource(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestSource(join(path, name))),
    stat.mtimeMs,
  );
}

/** Whether web/dist is missing or older than anything it is built from. */
export function isWebBuildStale(): boolean {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return SOURCES.some((s) => newestSource(join(WEB, s)) > built);
}

/** .br and .gz beside each text file, which the server sends to clients that accept them. */
function precompress(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      precompress(path);
      continue;
    }
    if (!COMPRESSIBLE.test(name) || statSync(path).size < 1024) continue;
    const data = readFileSync(path);
    writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One build at a time across processes (a server starting while a test builds): a lock directory,
 * taken over when older than five minutes (its builder died).
 */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 5 * 60_000) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Builds web/dist unless it is up to date (or `force`). Answers whether it built. Without Vite (an
 * install that left out dev dependencies) an existing build is served as it is; with neither, the
 * server still starts and its `/` says how to build.
 */
export async function ensureWebBuild(options: { force?: boolean; log?: (line: string) => void } = {}) {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!options.force && !isWebBuildStale()) return false;
  return withLock(async () => {
    if (!options.force && !isWebBuildStale()) return false; // another process built it meanwhile
    let vite: typeof import('vite');
    try {
      vite = await import('vite');
    } catch {
      log(
        `web: vite is not installed; ${existsSync(STAMP) ? 'serving the existing build' : 'the site is not built'}`,
      );
      return false;
    }
    const started = Date.now();
    log('web: building the resident site (web/ → web/dist) …');
    await vite.build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
    precompress(DIST);
    writeFileSync(STAMP, new Date().toISOString());
    log(`web: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return true;
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const force = !process.argv.includes('--if-stale');
  ensureWebBuild({ force }).catch((error: unknown) => {
    process.stderr.write(`web: build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    // Before `npm start` a failed build must not keep the API from starting.
    process.exit(force ? 1 : 0);
  });
}
