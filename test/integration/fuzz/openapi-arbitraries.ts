import fc from 'fast-check';

/** A JSON Schema node of the OpenAPI document, as far as the generators read it. */
export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
}

export interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: SchemaNode }>;
  body?: SchemaNode;
}

/** Every operation of the document: method, path template, its parameters and JSON body schema. */
export function operationsOf(spec: { paths: Record<string, Record<string, any>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params: Array<{ name: string; in: string; schema?: SchemaNode }> = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return ops;
}

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', '__defineGetter__'];

/** Strings a parser or a database has trouble with. */
export const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\uFFFF', '\uD800', '😀'.repeat(50), "'; drop table tracks;--", '../../etc/passwd', '%00', '%', '{id}', 'null', 'NaN', '-0', '1e309', 'x'.repeat(5000)),
  fc.string({ minLength: 200, maxLength: 300 }),
);

const boundaryNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 1, 2 ** 31, -(2 ** 31), 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, 0.5, 1e-300),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, shallow, with the keys prototype pollution uses. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nastyString,
    boundaryNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom(...POLLUTION_KEYS)), tie('value'), { maxKeys: 5 }),
  ),
})).value;

const typesOf = (s: SchemaNode): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

/** Values at and just past a schema's edges, values of its type, and values of another type. */
export function valueFor(schema: SchemaNode | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 3) return anyJson;
  const alt = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (alt?.length) return fc.oneof(...alt.map((s) => valueFor(s, depth + 1)), anyJson);
  const choices: fc.Arbitrary<unknown>[] = [anyJson];
  if (schema.enum?.length) choices.push(fc.constantFrom(...schema.enum), fc.constantFrom(...schema.enum).map((v) => (typeof v === 'string' ? v.toUpperCase() + ' ' : v)));
  for (const type of typesOf(schema)) {
    if (type === 'string') {
      const edges = [schema.minLength, schema.maxLength].filter((n): n is number => typeof n === 'number').flatMap((n) => [n - 1, n, n + 1]).filter((n) => n >= 0 && n < 100_000);
      choices.push(nastyString, ...(edges.length ? [fc.constantFrom(...edges).map((n) => 'a'.repeat(n))] : []), fc.constantFrom('2024-02-30', '2024-06-15', 'https://example.com/x', 'USRC17607839', '036000291452'));
    } else if (type === 'integer' || type === 'number') {
      const edges = [schema.minimum, schema.maximum].filter((n): n is number => typeof n === 'number').flatMap((n) => [n - 1, n, n + 1]);
      choices.push(boundaryNumber, ...(edges.length ? [fc.constantFrom(...edges)] : []), boundaryNumber.map(String));
    } else if (type === 'boolean') {
      choices.push(fc.boolean(), fc.constantFrom('true', 'yes', 0, 1));
    } else if (type === 'array') {
      choices.push(fc.array(valueFor(schema.items, depth + 1), { maxLength: 4 }), fc.constant(Array.from({ length: 20_000 }, (_, i) => i)));
    } else if (type === 'object') {
      choices.push(objectFor(schema, depth + 1));
    }
  }
  return fc.oneof(...choices);
}

/** An object with some of the schema's properties (each valid-ish, boundary or wrong) and stray keys. */
export function objectFor(schema: SchemaNode, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(schema.properties ?? {});
  const known = props.length
    ? fc.record(Object.fromEntries(props.map(([k, s]) => [k, valueFor(s, depth)])), { requiredKeys: [] })
    : fc.constant({} as Record<string, unknown>);
  return fc.tuple(known, fc.dictionary(fc.constantFrom(...POLLUTION_KEYS, 'extra', ''), anyJson, { maxKeys: 2 })).map(([a, b]) => ({ ...b, ...a }));
}

/** A body as bytes on the wire: JSON of a generated value, or something that is not quite JSON. */
export function rawBody(schema: SchemaNode | undefined): fc.Arbitrary<string | Buffer> {
  return fc.oneof(
    { weight: 6, arbitrary: (schema ? objectFor(schema) : anyJson).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: anyJson.map((v) => JSON.stringify(v) ?? 'null') },
    {
      weight: 2,
      arbitrary: fc.constantFrom<string | Buffer>(
        '',
        '{',
        '{"a":1,}',
        'null',
        '[]',
        '"x"',
        '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":1}}}',
        '['.repeat(10_000) + ']'.repeat(10_000),
        '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000),
        `[${Array.from({ length: 100_000 }, () => '0').join(',')}]`,
        Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
        Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
      ),
    },
  );
}

export const contentTypes = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/xml',
      'multipart/form-data',
      'multipart/form-data; boundary=zzz',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'application/octet-stream',
      'image/png',
      '',
    ),
  },
);
