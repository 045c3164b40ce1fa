/**
 * Text made safe to place in HTML, in element content and in double- or single-quoted attribute
 * values alike: the five characters HTML gives meaning to become entities. The server's only HTML
 * is the mail bodies and the mail pages; the web pages are React, which escapes by itself.
 *
 * ```ts
 * escapeHtml('<b title="x">') // '&lt;b title=&quot;x&quot;&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
