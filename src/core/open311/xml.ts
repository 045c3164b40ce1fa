/**
 * GeoReport v2's XML: the same tree as the JSON, arrays wrapped in an element whose children are
 * named by `items` (`services` → `service`, `attributes` → `attribute`). No namespace; UTF-8.
 */
export type XmlValue =
  string | number | boolean | null | undefined | XmlValue[] | { [key: string]: XmlValue };

// Characters XML 1.0 cannot carry at all (C0 controls but tab, line feed, carriage return; lone
// surrogates; U+FFFE/U+FFFF) are dropped rather than producing a document no parser reads.
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function element(
  name: string,
  value: XmlValue,
  items: Readonly<Record<string, string>>,
  out: string[],
): void {
  if (value === null || value === undefined) {
    out.push(`<${name}/>`);
    return;
  }
  if (Array.isArray(value)) {
    const child = items[name];
    if (!child) throw new Error(`xml: no element name for the items of ${name}`);
    out.push(`<${name}>`);
    for (const v of value) element(child, v, items, out);
    out.push(`</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [k, v] of Object.entries(value)) element(k, v, items, out);
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
}

/** A whole document: `toXml('services', [...], { services: 'service' })`. */
export function toXml(root: string, value: XmlValue, items: Readonly<Record<string, string>> = {}): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>\n'];
  element(root, value, items, out);
  out.push('\n');
  return out.join('');
}
