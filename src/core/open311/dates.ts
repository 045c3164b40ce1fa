/**
 * GeoReport v2 dates: the W3C subset of ISO 8601 with a time zone. Shanzhi answers in UTC with `Z`
 * and whole seconds (`2026-03-02T01:30:00Z`). Takes a Date (PostgreSQL) or ISO text (SQLite).
 */
export function w3cDateTime(value: Date | string): string {
  // SQLite hands back the UTC text it stored: cut it rather than parse it (a list has thousands).
  if (typeof value === 'string' && STORED_UTC.test(value)) return `${value.slice(0, 19)}Z`;
  const iso = (typeof value === 'string' ? new Date(value) : value).toISOString();
  return `${iso.slice(0, 19)}Z`;
}

const STORED_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function w3cOrNull(value: Date | string | null | undefined): string | null {
  return value === null || value === undefined ? null : w3cDateTime(value);
}

// YYYY-MM-DDThh:mm[:ss[.s…]] followed by Z or ±hh:mm (the W3C profile); or a bare date.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date and time as clients send it, or null when it is not one. A time needs its zone; a bare
 * date (a W3C form too) is taken as midnight UTC.
 */
export function parseW3cDateTime(text: string): Date | null {
  const value = text.trim();
  if (!DATE_TIME.test(value) && !DATE.test(value)) return null;
  const when = new Date(DATE.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(when.getTime()) ? null : when;
}
