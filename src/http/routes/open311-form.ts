import type { RawAnswer } from '../../core/open311/attributes.ts';

/**
 * Parameters as text: a parameter given twice (`status=open&status=closed`, which the spec allows
 * for lists) becomes one comma list; numbers from a JSON body become text; files are dropped.
 */
export function textParams(source: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (source === null || typeof source !== 'object') return out;
  for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
    const list = (Array.isArray(value) ? value : [value]).filter((v): v is string | number | boolean =>
      ['string', 'number', 'boolean'].includes(typeof v),
    );
    if (list.length > 0) out[key] = list.map(String).join(',');
  }
  return out;
}

const ATTRIBUTE = /^attribute\[([^\]]+)\](\[\])?$/;

/**
 * A POST's fields (the query string's, then the body's, which win) and its `attribute[code]`
 * answers: `attribute[code][]` and repeated keys keep every value, for multivaluelist.
 */
export function formFields(
  body: unknown,
  query: unknown,
): { fields: Record<string, string | undefined>; attributes: Record<string, RawAnswer> } {
  const merged = { ...asRecord(query), ...asRecord(body) };
  const fields: Record<string, unknown> = {};
  const attributes: Record<string, RawAnswer> = {};
  for (const [key, value] of Object.entries(merged)) {
    const match = ATTRIBUTE.exec(key);
    if (!match) {
      fields[key] = value;
      continue;
    }
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    const code = match[1]!;
    attributes[code] = match[2] || values.length > 1 ? values : (values[0] ?? '');
  }
  // A JSON body may nest them: { attribute: { code: value } }.
  const nested = merged.attribute;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    for (const [code, value] of Object.entries(nested as Record<string, unknown>)) {
      if (typeof value === 'string' || typeof value === 'number') attributes[code] = String(value);
      else if (Array.isArray(value)) attributes[code] = value.map(String);
    }
    delete fields.attribute;
  }
  return { fields: textParams(fields), attributes };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}
