import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstPageFiles, lazyChunks, type ChunkGraph } from '../../bench/bundle.ts';

// A console-shaped build: the entry shares a vendor chunk with a lazy page, the lazy page brings a
// map chunk of its own and imports sections of its own, and two chunks import each other.
const graph: ChunkGraph = {
  'console.js': { imports: ['vendor.js', 'runtime.js'], dynamicImports: ['overview.js', 'rules.js'] },
  'vendor.js': { imports: ['runtime.js'] },
  'runtime.js': { imports: [] },
  'overview.js': { imports: ['vendor.js', 'maplibre.js', 'console.js'], dynamicImports: [] },
  'maplibre.js': { imports: ['runtime.js'] },
  'rules.js': { imports: ['vendor.js', 'forms.js'], dynamicImports: ['users.js'] },
  'forms.js': { imports: ['rules.js'] },
  'users.js': { imports: ['forms.js', 'table.js'] },
  'table.js': { imports: [] },
};

test('the first page is the entry and its static imports, transitively, never import()ed chunks', () => {
  assert.deepEqual(firstPageFiles(graph, 'console.js'), ['console.js', 'vendor.js', 'runtime.js']);
  assert.deepEqual(firstPageFiles(graph, 'rules.js'), ['rules.js', 'vendor.js', 'runtime.js', 'forms.js']);
});

test('a chunk imported both statically and with import() counts in the first page, once', () => {
  const g: ChunkGraph = {
    'site.js': { imports: ['map.js'], dynamicImports: ['map.js'] },
    'map.js': { imports: [] },
  };
  assert.deepEqual(firstPageFiles(g, 'site.js'), ['site.js', 'map.js']);
  assert.deepEqual(lazyChunks(g, firstPageFiles(g, 'site.js')), []);
});

test('a lazy page adds only what the first page has not loaded', () => {
  const first = firstPageFiles(graph, 'console.js');
  assert.deepEqual(lazyChunks(graph, first), [
    { file: 'overview.js', adds: ['overview.js', 'maplibre.js'] },
    { file: 'rules.js', adds: ['rules.js', 'forms.js'] },
  ]);
});

test("a page's own import()s are measured beyond the first page and that page", () => {
  const first = firstPageFiles(graph, 'console.js');
  const rules = firstPageFiles(graph, 'rules.js', new Set(first));
  assert.deepEqual(lazyChunks(graph, rules, [...first, ...rules]), [
    { file: 'users.js', adds: ['users.js', 'table.js'] },
  ]);
});

test('a chunk missing from the graph is counted as itself, with nothing behind it', () => {
  assert.deepEqual(firstPageFiles({ 'a.js': { imports: ['gone.js'] } }, 'a.js'), ['a.js', 'gone.js']);
});
