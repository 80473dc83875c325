/**
 * A checker for the subset of JSON Schema the AudioDN OpenAPI document uses: $ref, allOf,
 * type (or type arrays), nullable, const, enum, required, properties, items, pattern,
 * minimum/maximum and the uuid, date-time and uri formats.
 *
 * One leniency: an optional property may be null. AudioDN itself sends null for unset
 * optional fields (its webhook payload shapes spell them "string | null"); its component
 * schemas only list the non-null type.
 */
export type Schema = Record<string, any>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      return true;
  }
}

function formatOk(format: string, v: string): boolean {
  if (format === 'uuid') return UUID.test(v);
  if (format === 'date-time') return DATE_TIME.test(v) && !Number.isNaN(Date.parse(v));
  if (format === 'uri') {
    try {
      new URL(v);
      return true;
    } catch {
      return false;
    }
  }
  return true;
}

export function createChecker(root: Schema) {
  function resolve(ref: string): Schema {
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    return ref
      .slice(2)
      .split('/')
      .reduce<any>((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], root);
  }

  function check(schema: Schema, value: unknown, path: string, errors: string[]): void {
    if (schema.$ref) return check(resolve(schema.$ref), value, path, errors);
    if (schema.allOf) for (const s of schema.allOf) check(s, value, path, errors);
    if (value === null && schema.nullable) return;
    if (schema.type) {
      const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (!types.some((t) => typeOk(t, value))) {
        errors.push(`${path}: expected ${types.join('|')}, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`);
        return;
      }
    }
    if ('const' in schema && value !== schema.const) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
    if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
    if (typeof value === 'string') {
      if (schema.format && !formatOk(schema.format, value)) errors.push(`${path}: ${JSON.stringify(value)} is not a ${schema.format}`);
      if (schema.pattern && !new RegExp(schema.pattern).test(value)) errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
    }
    if (typeof value === 'number') {
      if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const obj = value as Record<string, unknown>;
      for (const key of schema.required ?? []) if (!(key in obj)) errors.push(`${path}.${key}: required`);
      for (const [key, sub] of Object.entries<Schema>(schema.properties ?? {})) {
        if (!(key in obj) || obj[key] === undefined) continue;
        if (obj[key] === null && !(schema.required ?? []).includes(key)) continue;
        check(sub, obj[key], `${path}.${key}`, errors);
      }
    }
    if (Array.isArray(value) && schema.items) value.forEach((item, i) => check(schema.items, item, `${path}[${i}]`, errors));
  }

  return {
    resolve,
    /** Problems of `value` against `schema`; empty when it conforms. */
    validate(schema: Schema, value: unknown): string[] {
      const errors: string[] = [];
      check(schema, value, '$', errors);
      return errors;
    },
  };
}
