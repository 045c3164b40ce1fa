#!/usr/bin/env node
// Runs every test file under test/ with node:test through tsx. Node 20's --test does not
// discover .ts files by itself, so the files are listed here and passed explicitly.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const filter = process.argv.slice(2);
const files = collect('test').filter((f) => filter.length === 0 || filter.some((p) => f.includes(p)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const store = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'SQLite (embedded)';
console.log(`Running ${files.length} test files on ${store}`);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, SHANZHI_LOG_LEVEL: process.env.SHANZHI_LOG_LEVEL ?? 'silent' },
});
process.exit(result.status ?? 1);
