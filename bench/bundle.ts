import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Rolldown } from 'vite';
import { row, type BenchOptions, type BenchRow } from './row.ts';

const CONFIG = fileURLToPath(new URL('../web/vite.config.ts', import.meta.url));
/** The console's budget from the issue: its first page under 300 KB of JavaScript, gzipped. */
const CONSOLE_BUDGET_KB = 300;
const KB = 1024;
/** The libraries that must stay out of a first page: MapLibre, and ECharts with its renderer. */
const HEAVY = /[\\/]node_modules[\\/](maplibre-gl|echarts|zrender)[\\/]/;

/**
 * A build's chunks and their imports, by file name: rolldown's output (chunk.imports,
 * chunk.dynamicImports) or a Vite manifest (its keys and `imports`/`dynamicImports`) alike.
 */
export type ChunkGraph = Record<string, { imports: readonly string[]; dynamicImports?: readonly string[] }>;

/**
 * What a browser fetches before `entry` runs: the entry and its static imports, transitively
 * (Vite's modulepreload list), never what is only reached through `import()`. Entry first.
 */
export function firstPageFiles(graph: ChunkGraph, entry: string, loaded: ReadonlySet<string> = new Set()) {
  const out: string[] = [];
  const seen = new Set(loaded);
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    out.push(file);
    for (const next of graph[file]?.imports ?? []) visit(next);
  };
  visit(entry);
  return out;
}

/**
 * The chunks `import()`ed by anything in `files` that is not already `loaded` (by default `files`
 * itself): the pages that load on demand from there. Each comes with what opening it adds (its own
 * static closure minus what is loaded).
 */
export function lazyChunks(graph: ChunkGraph, files: readonly string[], loaded: readonly string[] = files) {
  const have = new Set(loaded);
  const lazy = [...new Set(files.flatMap((f) => graph[f]?.dynamicImports ?? []))].filter((f) => !have.has(f));
  return lazy.map((file) => ({ file, adds: firstPageFiles(graph, file, have) }));
}

interface Built {
  graph: ChunkGraph;
  chunks: Map<string, Rolldown.OutputChunk>;
}

/** The production build of web/ (its own config), written to a temporary directory, not web/dist. */
async function buildWeb(): Promise<Built> {
  const { build } = await import('vite');
  const outDir = mkdtempSync(join(tmpdir(), 'shanzhi-bench-bundle-'));
  try {
    const result = await build({
      configFile: CONFIG,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
    const chunks = new Map<string, Rolldown.OutputChunk>();
    for (const item of outputs.flatMap((o) => o.output))
      if (item.type === 'chunk') chunks.set(item.fileName, item);
    const graph: ChunkGraph = {};
    for (const [file, c] of chunks) graph[file] = { imports: c.imports, dynamicImports: c.dynamicImports };
    return { graph, chunks };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Gzip at level 9, as scripts/build-web.ts precompresses what the server sends. */
const gz = (c: Rolldown.OutputChunk) => gzipSync(c.code, { level: 9 }).length;
const br = (c: Rolldown.OutputChunk) =>
  brotliCompressSync(c.code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kb = (bytes: number) => bytes / KB;

/** The heavy libraries (by package) whose JavaScript modules are in the given chunks. */
function heavyIn(built: Built, files: readonly string[]): string[] {
  const found = new Set<string>();
  for (const f of files)
    for (const id of built.chunks.get(f)?.moduleIds ?? []) {
      const m = HEAVY.exec(id);
      if (m && !id.endsWith('.css')) found.add(m[1]!);
    }
  return [...found].sort();
}

const sum = (built: Built, files: readonly string[], size = gz) =>
  files.reduce((n, f) => n + size(built.chunks.get(f)!), 0);
const names = (built: Built, files: readonly string[]) =>
  files.map((f) => built.chunks.get(f)?.name ?? f).join(', ');

function entryFile(built: Built, name: string): string {
  for (const [file, c] of built.chunks) if (c.isEntry && c.name === name) return file;
  throw new Error(`bench bundle: no entry chunk named ${name} (web/vite.config.ts inputs)`);
}

/** The first-page row of one entry, the row counting heavy libraries in it, and its lazy chunks. */
function measureEntry(built: Built, entry: 'console' | 'site', label: string, budget: number | null) {
  const first = firstPageFiles(built.graph, entryFile(built, entry));
  const heavy = heavyIn(built, first);
  const rows = [
    row(
      `bundle.${label}_first_page_js_gz`,
      kb(sum(built, first)),
      'KB',
      'lower',
      budget === null ? null : { name: 'budget', value: budget },
      `entry + static imports (${names(built, first)}), JS only, gzip -9, KB = 1,024 bytes; ` +
        `brotli -11 ${kb(sum(built, first, br)).toFixed(1)} KB`,
    ),
    row(
      `bundle.${label}_first_page_map_chart_libs`,
      heavy.length,
      'libraries',
      'lower',
      null,
      heavy.length === 0
        ? 'maplibre-gl and echarts are absent from the first page: lazy chunks only'
        : `IN THE FIRST PAGE: ${heavy.join(', ')}`,
    ),
  ];
  return { first, rows, lazy: lazyChunks(built.graph, first) };
}

/**
 * The web app's production bundle, built with web/vite.config.ts into a temporary directory (the
 * real web/dist that `npm start` serves is not touched). From the build's chunk graph: each
 * entry's first page — the entry chunk and its static imports, transitively, as the HTML
 * modulepreloads them — in gzipped KB of JavaScript, the console's beside its 300 KB budget; the
 * number of map and chart libraries (maplibre-gl, echarts/zrender) found among the first page's
 * modules (0 is right); and for each console page loaded with `import()` (overview, grid, rules)
 * what opening it adds beyond the first page, with the heavy libraries it brings. CSS is not
 * counted. `quick` changes nothing: the build is the measurement.
 */
export async function benchBundle(_options: BenchOptions): Promise<BenchRow[]> {
  const built = await buildWeb();
  const consolePage = measureEntry(built, 'console', 'console', CONSOLE_BUDGET_KB);
  const site = measureEntry(built, 'site', 'resident', null);
  const out = [...consolePage.rows, ...site.rows];
  for (const { file, adds } of consolePage.lazy) {
    const name = (built.chunks.get(file)?.name ?? file).toLowerCase();
    const heavy = heavyIn(built, adds);
    // What that page's own import()s add in turn (the rule editors' sections), beyond it.
    const nested = lazyChunks(built.graph, adds, [...consolePage.first, ...adds]).map(
      (n) => `${built.chunks.get(n.file)?.name ?? n.file} ${kb(sum(built, n.adds)).toFixed(1)}`,
    );
    out.push(
      row(
        `bundle.console_${name}_chunk_js_gz`,
        kb(sum(built, adds)),
        'KB',
        'lower',
        null,
        `added when opened: ${names(built, adds)}` +
          (heavy.length ? `; brings ${heavy.join(', ')}` : '') +
          (nested.length ? `; then on demand: ${nested.join(', ')} KB` : ''),
      ),
    );
  }
  for (const { file, adds } of site.lazy) {
    out.push(
      row(
        `bundle.resident_${(built.chunks.get(file)?.name ?? file).toLowerCase()}_chunk_js_gz`,
        kb(sum(built, adds)),
        'KB',
        'lower',
        null,
        `added when loaded: ${names(built, adds)}`,
      ),
    );
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchBundle({ quick: process.argv.includes('--quick'), databaseUrl: undefined }));
}
