import { DomainError } from '../errors.ts';
import { parseW3cDateTime, w3cDateTime } from './dates.ts';

/** The datatypes of GeoReport v2 service attributes, in the spec's order. */
export const ATTRIBUTE_DATATYPES = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
] as const;
export type AttributeDatatype = (typeof ATTRIBUTE_DATATYPES)[number];

export interface AttributeValue {
  key: string;
  name: string;
}

/** One question of a service definition, as GET services/{code} shows it. */
export interface AttributeDefinition {
  code: string;
  /** The spec's `order`: positive, unique within the definition; 1 is shown first. */
  order: number;
  datatype: AttributeDatatype;
  /** false: information shown to the user, no input expected. */
  variable: boolean;
  required: boolean;
  description: string;
  datatype_description: string | null;
  /** The choices of a list datatype; empty for the others. */
  values: AttributeValue[];
}

export const ATTRIBUTE_LIMITS = {
  attributesMax: 50,
  codeMax: 64,
  descriptionMax: 500,
  valuesMax: 100,
  stringMax: 200,
  textMax: 4000,
  extraMax: 50,
  extraValueMax: 1000,
} as const;

const CODE = /^[A-Za-z0-9_-]+$/;

export function isListDatatype(datatype: AttributeDatatype): boolean {
  return datatype === 'singlevaluelist' || datatype === 'multivaluelist';
}

/** What is wrong with a definition an administrator submits; empty when it may be saved. */
export function checkDefinition(attributes: readonly AttributeDefinition[]): string[] {
  const problems: string[] = [];
  const L = ATTRIBUTE_LIMITS;
  if (attributes.length > L.attributesMax) problems.push(`at most ${L.attributesMax} attributes`);
  const codes = new Set<string>();
  const orders = new Set<number>();
  for (const a of attributes) {
    const at = `attribute ${a.code}`;
    if (!CODE.test(a.code) || a.code.length > L.codeMax) {
      problems.push(`${at}: a code is 1–${L.codeMax} letters, digits, '_' or '-'`);
    }
    if (codes.has(a.code)) problems.push(`${at}: code used twice`);
    codes.add(a.code);
    if (!Number.isInteger(a.order) || a.order < 1) problems.push(`${at}: order is a positive integer`);
    if (orders.has(a.order)) problems.push(`${at}: order ${a.order} used twice`);
    orders.add(a.order);
    if (!(ATTRIBUTE_DATATYPES as readonly string[]).includes(a.datatype)) {
      problems.push(`${at}: datatype is one of ${ATTRIBUTE_DATATYPES.join(', ')}`);
    }
    if (a.description.trim() === '' || [...a.description].length > L.descriptionMax) {
      problems.push(`${at}: description is 1–${L.descriptionMax} characters`);
    }
    if (!a.variable && a.required)
      problems.push(`${at}: an attribute that takes no input cannot be required`);
    if (isListDatatype(a.datatype)) {
      if (a.values.length === 0 || a.values.length > L.valuesMax) {
        problems.push(`${at}: a list has 1–${L.valuesMax} values`);
      }
      const keys = new Set<string>();
      for (const v of a.values) {
        if (v.key.trim() === '' || v.name.trim() === '')
          problems.push(`${at}: every value has a key and a name`);
        if (keys.has(v.key)) problems.push(`${at}: value key ${v.key} used twice`);
        keys.add(v.key);
      }
    } else if (a.values.length > 0) {
      problems.push(`${at}: only list datatypes have values`);
    }
  }
  return problems;
}

/** An answer as a form sends it: one value, or several for `attribute[code][]`. */
export type RawAnswer = string | string[];
export type Answer = string | number | string[];

export interface CheckedAnswers {
  /** Answers to the definition's input attributes, typed (numbers, UTC datetimes, key lists). */
  answers: Record<string, Answer>;
  /** Attributes the definition does not name (clients such as FixMyStreet add their own), kept as text. */
  extra: Record<string, string>;
}

function invalid(code: string, rule: string): DomainError {
  return new DomainError('open311.attribute_invalid', { code, rule });
}

function single(a: AttributeDefinition, raw: RawAnswer): string {
  if (Array.isArray(raw)) {
    if (raw.length !== 1) throw invalid(a.code, `one value (${a.datatype})`);
    return raw[0]!;
  }
  return raw;
}

function checkOne(a: AttributeDefinition, raw: RawAnswer): Answer {
  const L = ATTRIBUTE_LIMITS;
  const keys = new Set(a.values.map((v) => v.key));
  switch (a.datatype) {
    case 'string': {
      const text = single(a, raw).trim();
      if ([...text].length > L.stringMax || /[\r\n]/.test(text)) {
        throw invalid(a.code, `one line of at most ${L.stringMax} characters`);
      }
      return text;
    }
    case 'text': {
      const text = single(a, raw).trim();
      if ([...text].length > L.textMax) throw invalid(a.code, `at most ${L.textMax} characters`);
      return text;
    }
    case 'number': {
      const text = single(a, raw).trim();
      const n = Number(text);
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) || !Number.isFinite(n)) {
        throw invalid(a.code, 'a number');
      }
      return n;
    }
    case 'datetime': {
      const when = parseW3cDateTime(single(a, raw).trim());
      if (!when) throw invalid(a.code, 'a date and time with its time zone, e.g. 2026-03-02T09:30:00+08:00');
      return w3cDateTime(when);
    }
    case 'singlevaluelist': {
      const key = single(a, raw).trim();
      if (!keys.has(key)) throw invalid(a.code, `one of ${[...keys].join(', ')}`);
      return key;
    }
    case 'multivaluelist': {
      const list = (Array.isArray(raw) ? raw : raw.split(',')).map((k) => k.trim()).filter((k) => k !== '');
      const bad = list.filter((k) => !keys.has(k));
      if (bad.length > 0) throw invalid(a.code, `values among ${[...keys].join(', ')}`);
      return [...new Set(list)];
    }
  }
}

function isEmpty(raw: RawAnswer | undefined): boolean {
  if (raw === undefined) return true;
  return Array.isArray(raw) ? raw.every((v) => v.trim() === '') : raw.trim() === '';
}

/**
 * Checks a request's `attribute[code]` answers against the service definition: every required
 * input attribute answered, each answer of its datatype (lists: keys of the definition). An empty
 * answer counts as none, as the spec asks of optional parameters. Throws `open311.attribute_invalid`.
 */
export function checkAnswers(
  definition: readonly AttributeDefinition[],
  raw: Readonly<Record<string, RawAnswer>>,
): CheckedAnswers {
  const answers: Record<string, Answer> = {};
  const byCode = new Map(definition.map((a) => [a.code, a]));
  for (const a of definition) {
    if (!a.variable) continue;
    const given = raw[a.code];
    if (given === undefined || isEmpty(given)) {
      if (a.required) throw invalid(a.code, 'required');
      continue;
    }
    const value = checkOne(a, given);
    if (a.required && Array.isArray(value) && value.length === 0) throw invalid(a.code, 'required');
    answers[a.code] = value;
  }
  const extra: Record<string, string> = {};
  const unknown = Object.keys(raw).filter((code) => !byCode.has(code));
  if (unknown.length > ATTRIBUTE_LIMITS.extraMax) {
    throw invalid(unknown[0]!, `at most ${ATTRIBUTE_LIMITS.extraMax} attributes the service does not define`);
  }
  for (const code of unknown) {
    const value = ([] as string[]).concat(raw[code]!).join(',');
    if ([...value].length > ATTRIBUTE_LIMITS.extraValueMax || code.length > ATTRIBUTE_LIMITS.codeMax) {
      throw invalid(code, `at most ${ATTRIBUTE_LIMITS.extraValueMax} characters`);
    }
    if (value.trim() !== '') extra[code] = value;
  }
  return { answers, extra };
}

/**
 * The answers as lines a handler reads in the case description, in the definition's order:
 * `井盖状况 / Cover condition: 缺失 / Missing`.
 */
export function describeAnswers(
  definition: readonly AttributeDefinition[],
  answers: Readonly<Record<string, Answer>>,
): string[] {
  const lines: string[] = [];
  for (const a of [...definition].sort((x, y) => x.order - y.order)) {
    const value = answers[a.code];
    if (value === undefined) continue;
    const names = new Map(a.values.map((v) => [v.key, v.name]));
    const shown = ([] as Array<string | number>)
      .concat(value)
      .map((v) => names.get(String(v)) ?? String(v))
      .join('、');
    lines.push(`${a.description}: ${shown}`);
  }
  return lines;
}

/** An attribute in the spec's field order, for the JSON and XML answers. */
export function specAttribute(a: AttributeDefinition) {
  return {
    variable: a.variable,
    code: a.code,
    datatype: a.datatype,
    required: a.required,
    datatype_description: a.datatype_description,
    order: a.order,
    description: a.description,
    values: a.values.map((v) => ({ key: v.key, name: v.name })),
  };
}
