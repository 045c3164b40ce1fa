import {
  CATEGORY_KINDS,
  depthOf,
  isCategoryCode,
  parentCodeOf,
  segmentOwner,
  type SegmentOwner,
} from './codes.ts';

/** A category as rules see it: no region, no timestamps. */
export interface CategoryDraft {
  code: string;
  parent_code: string | null;
  name: string;
  name_en: string;
  kind: string;
}

export interface TreeProblem {
  /** Position of the offending draft in the list given. */
  index: number;
  code: string;
  reason: string;
}

export const MAX_NAME_LENGTH = 60;

/**
 * Checks a list of new or changed categories against itself and the categories already there
 * (`known`, by code). A draft's parent may be another draft or a known category. `owner` is the
 * kind of segment the defining region may use below the roots (docs/taxonomy.md).
 */
export function validateTree(
  drafts: readonly CategoryDraft[],
  known: ReadonlyMap<string, Pick<CategoryDraft, 'kind'>>,
  owner: SegmentOwner,
): TreeProblem[] {
  const problems: TreeProblem[] = [];
  const byCode = new Map<string, number>();
  const siblingNames = new Map<string, number>();
  drafts.forEach((d, index) => {
    const problem = (reason: string) => problems.push({ index, code: d.code, reason });
    if (!isCategoryCode(d.code)) return problem('code must be 1–5 segments of 2 characters 0-9/A-Z');
    if (byCode.has(d.code)) return problem(`code ${d.code} appears twice`);
    byCode.set(d.code, index);
    if (d.parent_code !== parentCodeOf(d.code)) {
      return problem(
        `parent code must be ${parentCodeOf(d.code) ?? 'empty'} (the code less its last segment)`,
      );
    }
    const segment = segmentOwner(d.code);
    if (depthOf(d.code) > 1 && segment !== owner) {
      return problem(
        owner === 'base'
          ? 'a province code segment below the roots is two digits 01–99'
          : 'a local addition code segment starts with a letter (A0–ZZ)',
      );
    }
    const name = d.name.trim();
    if (name === '' || name.length > MAX_NAME_LENGTH)
      return problem(`name must have 1–${MAX_NAME_LENGTH} characters`);
    if (!(CATEGORY_KINDS as readonly string[]).includes(d.kind)) {
      return problem(`kind must be one of ${CATEGORY_KINDS.join(', ')}`);
    }
    const sibling = `${d.parent_code ?? ''}/${name}`;
    if (siblingNames.has(sibling)) return problem(`name ${name} appears twice under the same parent`);
    siblingNames.set(sibling, index);
  });
  drafts.forEach((d, index) => {
    if (d.parent_code === null || problems.some((p) => p.index === index)) return;
    const parentIndex = byCode.get(d.parent_code);
    const parentKind = parentIndex !== undefined ? drafts[parentIndex]?.kind : known.get(d.parent_code)?.kind;
    if (parentKind === undefined) {
      problems.push({ index, code: d.code, reason: `parent ${d.parent_code} does not exist` });
    } else if (parentKind !== d.kind) {
      problems.push({
        index,
        code: d.code,
        reason: `kind ${d.kind} differs from its parent's (${parentKind})`,
      });
    }
  });
  return problems.sort((a, b) => a.index - b.index);
}

/** Marks each node a leaf (cases may be filed there) when no node in the same list is its child. */
export function markLeaves<T extends { code: string; parent_code: string | null }>(
  nodes: readonly T[],
): Array<T & { leaf: boolean }> {
  const parents = new Set(nodes.map((n) => n.parent_code));
  return nodes.map((n) => ({ ...n, leaf: !parents.has(n.code) }));
}

/** Depth-first order: each node right after its parent, siblings by `sort` then code. */
export function treeOrder<T extends { code: string; parent_code: string | null; sort: number }>(
  nodes: readonly T[],
): T[] {
  const children = new Map<string | null, T[]>();
  for (const n of nodes) children.set(n.parent_code, [...(children.get(n.parent_code) ?? []), n]);
  const codes = new Set(nodes.map((n) => n.code));
  const out: T[] = [];
  const walk = (parent: string | null) => {
    const list = (children.get(parent) ?? []).sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code));
    for (const n of list) {
      out.push(n);
      walk(n.code);
    }
  };
  walk(null);
  // Nodes whose parent is not in the list (cannot happen for a visible taxonomy) still appear.
  for (const n of nodes) if (n.parent_code !== null && !codes.has(n.parent_code)) out.push(n);
  return out;
}
