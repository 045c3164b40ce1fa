// The dependency rule of docs/ARCHITECTURE.md as an ESLint rule: every relative import is
// resolved to the folder under src/ it lands in, and checked against what the importing folder
// may use. Patterns on the import string cannot tell `core/calendar/` from `calendar/`; a
// resolved path can.
import { dirname, relative, resolve, sep } from 'node:path';

/** Folders under src/ that only adapters may import. */
const ADAPTERS = new Set(['api', 'http', 'cli']);

/** `src/cases/x.ts` → 'cases'; a file directly in src/ → '(root)'; outside src/ → null. */
function folderOf(srcDir, file) {
  const rel = relative(srcDir, file);
  if (rel.startsWith('..') || rel === '') return null;
  const parts = rel.split(sep);
  return parts.length === 1 ? '(root)' : parts[0];
}

/** Why `from` may not import `to`, or null when it may. */
export function refusal(from, to) {
  if (from === to || to === null) return null;
  if (from === 'core') return 'core/ imports nothing else under src/ (pure rules)';
  if (from === 'api') return to === 'core' ? null : 'api/ (the Zod contract) imports only core/';
  if (ADAPTERS.has(from) || from === '(root)') return null;
  if (ADAPTERS.has(to)) return `feature folders never import ${to}/ (adapters depend on features, not back)`;
  if (to === '(root)')
    return 'feature folders never import the entry files in src/ (main.ts, startup.ts, config.ts)';
  return null;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'the folder dependency rule of docs/ARCHITECTURE.md' },
    schema: [],
    messages: { crossed: '{{from}}/ may not import {{target}}: {{why}}' },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const srcDir = resolve(context.cwd ?? process.cwd(), 'src');
    const from = folderOf(srcDir, file);
    if (from === null) return {};
    function check(node, source) {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = resolve(dirname(file), source.value);
      const why = refusal(from, folderOf(srcDir, target));
      if (why) {
        context.report({
          node,
          messageId: 'crossed',
          data: { from, target: relative(srcDir, target), why },
        });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export default { rules: { boundaries: rule } };
