import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';

// No import circles in src/, neither between files (type-only ones included: they hide a
// missing seam) nor between folders (cases ↔ attachments was one).
const SRC = resolve('src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s+['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const text = readFileSync(file, 'utf8');
      const targets = [...text.matchAll(IMPORT)]
        .map((m) => resolve(dirname(file), (m[1] ?? m[2])!))
        .filter((t) => known.has(t));
      return [file, targets];
    }),
  );
}

/** Strongly connected groups of more than one node (Tarjan): each is a circle. */
function circles<T>(graph: Map<T, Iterable<T>>): T[][] {
  let next = 0;
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const stack: T[] = [];
  const onStack = new Set<T>();
  const found: T[][] = [];
  const visit = (v: T) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: T[] = [];
      let w: T;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) found.push(group);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const folderOf = (file: string) => {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? '(root)' : parts[0]!;
};

describe('import circles in src/', () => {
  const graph = importGraph(sources(SRC));

  it('finds a circle when there is one (the check itself works)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    assert.deepEqual(
      circles(g).map((c) => c.sort()),
      [['a', 'b', 'c']],
    );
  });

  it('no two files import each other, directly or around a circle', () => {
    const found = circles(graph).map((group) => group.map((f) => relative(SRC, f)).sort());
    assert.deepEqual(found, []);
  });

  it('no two folders import each other, directly or around a circle', () => {
    const folders = new Map<string, Set<string>>();
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      for (const target of targets) {
        const to = folderOf(target);
        if (to !== from) (folders.get(from) ?? folders.set(from, new Set()).get(from)!).add(to);
      }
    }
    assert.deepEqual(
      circles(folders).map((group) => group.sort()),
      [],
    );
  });
});
