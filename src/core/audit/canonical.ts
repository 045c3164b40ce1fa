/**
 * The one text a hash is taken over, whichever store a row was read from: object keys sorted at
 * every depth (PostgreSQL's jsonb hands keys back in its own order, SQLite keeps them as written),
 * arrays in their order, everything else as JSON.stringify writes it.
 *
 * ```ts
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

/**
 * An instant as the chains hash it: ISO 8601 UTC with milliseconds. SQLite keeps the text it was
 * given and PostgreSQL a timestamptz; both read back to this form.
 */
export function canonicalInstant(at: string): string {
  return new Date(at).toISOString();
}
