import fc from 'fast-check';

/** One operation of /openapi.json: what the fuzzer knows of a route. */
export interface Operation {
  method: string;
  path: string;
  query: string[];
  pathParams: string[];
  bodyTypes: string[];
  bodyFields: string[];
}

/** A request as app.inject takes it. */
export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** Who sends it: a demo user's name, or null (anonymous, or a forged credential). */
  as: string | null;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The operations of an OpenAPI 3 document: paths, parameters and the request body's fields. */
export function operationsOf(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      const params = (op.parameters ?? []) as Json[];
      const content = (op.requestBody?.content ?? {}) as Json;
      const fields = new Set<string>();
      for (const media of Object.values<Json>(content)) {
        for (const name of Object.keys(media.schema?.properties ?? {})) fields.add(name);
      }
      out.push({
        method: method.toUpperCase(),
        path,
        query: params.filter((p) => p.in === 'query').map((p) => p.name as string),
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name as string),
        bodyTypes: Object.keys(content),
        bodyFields: [...fields],
      });
    }
  }
  return out;
}

/** Strings an attacker tries: injections, traversal, markup, control and edge-case characters. */
const HOSTILE = [
  "' OR '1'='1",
  '1; DROP TABLE cases; --',
  '" OR ""="',
  "1' UNION SELECT username, password_hash FROM users --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/dev/zero',
  'C:\\boot.ini',
  '\u0000',
  'a\u0000b',
  '\uFEFF',
  '\u202E\u202D',
  '\uD800',
  '\uDFFF\uD800',
  '𠀀𪚥🀄️👨‍👩‍👧‍👦',
  'é', // combining accent after nothing
  '\r\nX-Injected: 1',
  '${7*7}{{7*7}}',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '-1',
  '9007199254740993',
  '99999999999999999999999999999999',
  '0x1F',
  'true',
  'null',
  '[]',
  '{}',
  '',
  ' ',
  '330106',
  '330106002051',
  '2026-02-30T25:61:00Z',
  '9999-12-31T23:59:59.999Z',
];

/** Percent-encodings that are not UTF-8, or that decode to separators. */
const BAD_ENCODINGS = ['%FF', '%C3%28', '%E2%82', '%C0%AF', '%ED%A0%80', '%', '%zz', '%00', '%2F', '%5C'];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 70_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

/** A URL component: usually percent-encoded, sometimes raw, sometimes with invalid encodings. */
const urlPart: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 5,
    arbitrary: hostileString.map((s) => encodeURIComponent(s.replaceAll(/[\uD800-\uDFFF]/g, '?'))),
  },
  { weight: 2, arbitrary: fc.constantFrom(...BAD_ENCODINGS) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...BAD_ENCODINGS), fc.string({ maxLength: 8 }))
      .map(([a, b]) => a + encodeURIComponent(b)),
  },
);

/** A JSON value of any type, deep or wide, for a body field. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 0, 1, -1) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
);

/** Body texts that are not a JSON object of the right shape. */
function bodyText(fields: string[]): fc.Arbitrary<string | Buffer> {
  const object = fc
    .dictionary(fields.length > 0 ? fc.constantFrom(...fields) : fc.string({ maxLength: 8 }), anyValue, {
      maxKeys: Math.max(1, fields.length),
    })
    .chain((o) =>
      fc
        .record({ extra: fc.dictionary(fc.string({ maxLength: 6 }), anyValue, { maxKeys: 2 }) })
        .map(({ extra }) => JSON.stringify({ ...extra, ...o })),
    );
  const field = fields.length > 0 ? fc.constantFrom(...fields) : fc.constant('a');
  return fc.oneof(
    { weight: 6, arbitrary: object },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    // The same key twice, with values of different types.
    {
      weight: 1,
      arbitrary: fc
        .tuple(field, anyValue, anyValue)
        .map(([k, a, b]) => `{"${k}":${JSON.stringify(a) ?? 'null'},"${k}":${JSON.stringify(b) ?? 'null'}}`),
    },
    // Nested far deeper than any schema.
    {
      weight: 1,
      arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 100, max: 5_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
    },
    // Not JSON at all, or cut short, or not UTF-8.
    {
      weight: 1,
      arbitrary: fc.constantFrom('{', '{"a":', 'null', '""', '[1,2', '{"a":1}}', '\u0000', 'NaN', "{'a':1}"),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 64 })
        .map((b) =>
          Buffer.concat([
            Buffer.from('{"title":"'),
            Buffer.from([0xc3, 0x28, 0xff]),
            Buffer.from(b),
            Buffer.from('"}'),
          ]),
        ),
    },
    { weight: 1, arbitrary: fc.constantFrom('1e999999', '-1e999999', '123456789012345678901234567890') },
  );
}

/** A multipart body: too many parts, a file that is not an image, a broken boundary. */
const multipart: fc.Arbitrary<{ type: string; body: Buffer }> = fc
  .record({
    kind: fc.constantFrom(
      'many-parts',
      'not-an-image',
      'truncated-jpeg',
      'bad-boundary',
      'huge-header',
      'empty-file',
    ),
    name: hostileString,
  })
  .map(({ kind, name }) => {
    const boundary = 'fuzzboundary';
    const type =
      kind === 'bad-boundary' ? 'multipart/form-data' : `multipart/form-data; boundary=${boundary}`;
    const part = (headers: string, content: Buffer | string) =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`),
        Buffer.from(content),
        Buffer.from('\r\n'),
      ]);
    const file = (content: Buffer | string, mime: string) =>
      part(
        `Content-Disposition: form-data; name="file"; filename="${name.replaceAll(/["\r\n]/g, '_')}"\r\nContent-Type: ${mime}`,
        content,
      );
    const parts: Buffer[] = [];
    if (kind === 'many-parts')
      for (let i = 0; i < 300; i++) parts.push(part(`Content-Disposition: form-data; name="f${i}"`, 'x'));
    if (kind === 'not-an-image') parts.push(file('<?php system($_GET["c"]); ?>', 'image/jpeg'));
    if (kind === 'truncated-jpeg')
      parts.push(file(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]), 'image/jpeg'));
    if (kind === 'huge-header')
      parts.push(part(`Content-Disposition: form-data; name="${'n'.repeat(100_000)}"`, 'x'));
    if (kind === 'empty-file') parts.push(file('', 'image/png'));
    if (kind === 'bad-boundary') parts.push(Buffer.from('--other\r\n\r\nx'));
    return { type, body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]) };
  });

/**
 * Malformed, oversized, wrongly typed and hostile requests to one operation, from the users given
 * (their bearer tokens) and anonymous callers with forged credentials.
 */
export function requestsTo(op: Operation, tokens: Record<string, string>): fc.Arbitrary<FuzzRequest> {
  const users = Object.keys(tokens);
  const anonymous = fc.constant({ as: null as string | null, auth: {} as Record<string, string> });
  const forged = hostileString.map((s) => ({
    as: null as string | null,
    auth: {
      authorization: `Bearer ${s.replaceAll(/[^\x20-\x7e]/g, '')}`,
      cookie: `shanzhi_session=${encodeURIComponent(s.replaceAll(/[\uD800-\uDFFF]/g, '?'))}`,
    } as Record<string, string>,
  }));
  const signedIn = users.map((u) => ({
    as: u as string | null,
    auth: { authorization: `Bearer ${tokens[u]}` },
  }));
  const who =
    signedIn.length > 0
      ? fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...signedIn) },
          { weight: 1, arbitrary: anonymous },
          { weight: 1, arbitrary: forged },
        )
      : fc.oneof(anonymous, forged);
  const path = fc.tuple(...op.pathParams.map(() => urlPart)).map((values) => {
    let p = op.path;
    op.pathParams.forEach((name, i) => (p = p.replace(`{${name}}`, values[i] ?? '')));
    return p;
  });
  const names = op.query.length > 0 ? fc.constantFrom(...op.query) : fc.constant('x');
  const query = fc
    .array(
      fc.tuple(
        fc.oneof(
          { weight: 4, arbitrary: names },
          { weight: 1, arbitrary: fc.string({ maxLength: 6 }).map(encodeURIComponent) },
        ),
        urlPart,
      ),
      {
        maxLength: 6,
      },
    )
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`));
  const jsonTypes = [
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
  ];
  const body: fc.Arbitrary<{ type?: string; payload?: string | Buffer }> =
    op.method === 'GET' || op.method === 'DELETE'
      ? fc.constant({})
      : fc.oneof(
          {
            weight: 6,
            arbitrary: fc
              .tuple(fc.constantFrom(...jsonTypes), bodyText(op.bodyFields))
              .map(([type, payload]) => ({ type, payload })),
          },
          {
            weight: op.bodyTypes.some((t) => t.startsWith('multipart')) ? 3 : 1,
            arbitrary: multipart.map(({ type, body }) => ({ type, payload: body })),
          },
          { weight: 1, arbitrary: fc.constant({}) },
          {
            weight: 1,
            arbitrary: fc
              .uint8Array({ maxLength: 256 })
              .map((b) => ({ type: 'image/jpeg', payload: Buffer.from(b) })),
          },
        );
  return fc.record({ who, path, query, body }).map(({ who: w, path: p, query: q, body: b }) => ({
    method: op.method,
    url: `${p}${q}`,
    headers: { ...w.auth, ...(b.type ? { 'content-type': b.type } : {}) },
    ...(b.payload !== undefined ? { payload: b.payload } : {}),
    as: w.as,
  }));
}
