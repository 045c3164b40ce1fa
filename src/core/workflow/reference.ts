/**
 * Reference numbers residents read out on the phone: `330106-20260302-00017` is the 17th case of
 * 西湖区 (county 330106) reported on 2 March 2026, China time. The sequence restarts each county and
 * day; it has at least five digits and grows a sixth on a day with more than 99,999 reports.
 */

/** China Standard Time is UTC+8 all year round (no daylight saving since 1991). */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

const REFERENCE_PATTERN = /^(\d{6})-(\d{8})-(\d{5,})$/;

/** The calendar day in China of an instant, as `YYYYMMDD`: `chinaDay(2026-03-01T16:30Z)` → `'20260302'`. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/** The six significant digits of the county a 12-digit (or shorter) region code lies in. */
export function countyDigits(regionCode: string): string {
  return regionCode.slice(0, 6);
}

export function formatReference(county: string, day: string, sequence: number): string {
  if (!/^\d{6}$/.test(county)) throw new RangeError(`a county has 6 digits: ${county}`);
  if (!/^\d{8}$/.test(day)) throw new RangeError(`a day is YYYYMMDD: ${day}`);
  if (!Number.isInteger(sequence) || sequence < 1)
    throw new RangeError(`a sequence starts at 1: ${sequence}`);
  return `${county}-${day}-${String(sequence).padStart(5, '0')}`;
}

export interface ReferenceParts {
  county: string;
  day: string;
  sequence: number;
}

/** The parts of a reference number, or undefined when the text is not one. */
export function parseReference(text: string): ReferenceParts | undefined {
  const match = REFERENCE_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, county, day, sequence] = match as unknown as [string, string, string, string];
  return { county, day, sequence: Number(sequence) };
}
