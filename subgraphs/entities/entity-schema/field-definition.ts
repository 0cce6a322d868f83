import type { FieldError } from '../../../src/errors';

/** The field types of `fields_definition` (001_… "Supported field types"). */
export const FIELD_TYPES = ['string', 'integer', 'float', 'boolean', 'datetime', 'text', 'enum', 'email', 'url', 'phone'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Types whose values are strings (length and pattern constraints apply; like/ilike search). */
export const TEXT_TYPES: readonly FieldType[] = ['string', 'text', 'email', 'url', 'phone'];
export const NUMBER_TYPES: readonly FieldType[] = ['integer', 'float'];

/** A field's value: every type's values are JSON primitives. */
export type FieldValue = string | number | boolean;

/** One field of a schema, normalized (stored as such in `entity_schemas.fields`). */
export interface FieldDefinition {
  name: string;
  type: FieldType;
  required: boolean;
  default?: FieldValue;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  values?: string[];
}

/** Constraint keys as the wire writes them → the normalized property. `enum` is an alias of `values`. */
const WIRE_KEYS = { type: 'type', required: 'required', default: 'default', min: 'min', max: 'max', min_length: 'minLength', max_length: 'maxLength', pattern: 'pattern', values: 'values', enum: 'values' } as const;

export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const MAX_FIELDS = 100;
const MAX_PATTERN_LENGTH = 500;

/**
 * Parses a wire `fields_definition` (`{"price": {"type": "float", "min": 0}}`) into field
 * definitions, listing every problem under `fields_definition.<field>[.<key>]`.
 */
export function parseFieldsDefinition(definition: unknown, where = 'fields_definition'): { fields: FieldDefinition[]; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const fields: FieldDefinition[] = [];
  if (!isObject(definition)) return { fields, problems: [{ field: where, message: 'must be an object of field definitions' }] };
  const entries = Object.entries(definition);
  if (entries.length > MAX_FIELDS) problems.push({ field: where, message: `must have at most ${MAX_FIELDS} fields` });
  for (const [name, spec] of entries) {
    const at = `${where}.${name}`;
    if (!FIELD_NAME.test(name)) problems.push({ field: at, message: 'field names are identifiers (letters, digits, _; at most 63)' });
    if (!isObject(spec)) {
      problems.push({ field: at, message: 'must be an object with a type' });
      continue;
    }
    const field = parseField(name, spec, at, problems);
    if (field) fields.push(field);
  }
  return { fields, problems };
}

function parseField(name: string, spec: Record<string, unknown>, at: string, problems: FieldError[]): FieldDefinition | undefined {
  const before = problems.length;
  for (const key of Object.keys(spec)) if (!(key in WIRE_KEYS)) problems.push({ field: `${at}.${key}`, message: `is not a constraint key (known: ${Object.keys(WIRE_KEYS).join(', ')})` });
  const type = spec.type;
  if (!FIELD_TYPES.includes(type as FieldType)) {
    problems.push({ field: `${at}.type`, message: `must be one of ${FIELD_TYPES.join(', ')}` });
    return undefined;
  }
  const field: FieldDefinition = { name, type: type as FieldType, required: false };
  if (spec.required !== undefined) {
    if (typeof spec.required !== 'boolean') problems.push({ field: `${at}.required`, message: 'must be true or false' });
    else field.required = spec.required;
  }
  const numberKey = (key: 'min' | 'max') => {
    if (spec[key] === undefined || spec[key] === null) return;
    if (typeof spec[key] !== 'number' || !Number.isFinite(spec[key])) problems.push({ field: `${at}.${key}`, message: 'must be a number' });
    else if (!NUMBER_TYPES.includes(field.type)) problems.push({ field: `${at}.${key}`, message: 'applies to integer and float fields only' });
    else field[key] = spec[key] as number;
  };
  numberKey('min');
  numberKey('max');
  const lengthKey = (wire: 'min_length' | 'max_length', key: 'minLength' | 'maxLength') => {
    if (spec[wire] === undefined || spec[wire] === null) return;
    if (!Number.isInteger(spec[wire]) || (spec[wire] as number) < 0) problems.push({ field: `${at}.${wire}`, message: 'must be a non-negative integer' });
    else if (!TEXT_TYPES.includes(field.type)) problems.push({ field: `${at}.${wire}`, message: 'applies to text fields only' });
    else field[key] = spec[wire] as number;
  };
  lengthKey('min_length', 'minLength');
  lengthKey('max_length', 'maxLength');
  if (field.min !== undefined && field.max !== undefined && field.min > field.max) problems.push({ field: `${at}.min`, message: 'must not exceed max' });
  if (field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) {
    problems.push({ field: `${at}.min_length`, message: 'must not exceed max_length' });
  }
  if (spec.pattern !== undefined && spec.pattern !== null) {
    if (typeof spec.pattern !== 'string' || spec.pattern.length > MAX_PATTERN_LENGTH) problems.push({ field: `${at}.pattern`, message: `must be a regular expression of at most ${MAX_PATTERN_LENGTH} characters` });
    else if (!TEXT_TYPES.includes(field.type)) problems.push({ field: `${at}.pattern`, message: 'applies to text fields only' });
    else if (!compiles(spec.pattern)) problems.push({ field: `${at}.pattern`, message: 'is not a valid regular expression' });
    else field.pattern = spec.pattern;
  }
  const values = spec.values ?? spec.enum;
  if (field.type === 'enum') {
    const wire = spec.enum !== undefined && spec.values === undefined ? 'enum' : 'values';
    if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string' && v.length > 0)) {
      problems.push({ field: `${at}.${wire}`, message: 'an enum needs a non-empty list of string values' });
    } else if (new Set(values).size !== values.length) problems.push({ field: `${at}.${wire}`, message: 'must not repeat a value' });
    else field.values = values as string[];
  } else if (values !== undefined && values !== null) problems.push({ field: `${at}.values`, message: 'applies to enum fields only' });
  if (problems.length > before) return undefined;
  if (spec.default !== undefined && spec.default !== null) {
    const problem = valueProblem(field, spec.default);
    if (problem) problems.push({ field: `${at}.default`, message: problem });
    else field.default = normalizeValue(field, spec.default as FieldValue);
  }
  return problems.length > before ? undefined : field;
}

/** The wire form of definitions: `{name: {type, required, …constraints}}`. */
export function fieldsDefinitionOf(fields: FieldDefinition[]): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    fields.map((f) => {
      const spec: Record<string, unknown> = { type: f.type, required: f.required };
      if (f.default !== undefined) spec.default = f.default;
      if (f.min !== undefined) spec.min = f.min;
      if (f.max !== undefined) spec.max = f.max;
      if (f.minLength !== undefined) spec.min_length = f.minLength;
      if (f.maxLength !== undefined) spec.max_length = f.maxLength;
      if (f.pattern !== undefined) spec.pattern = f.pattern;
      if (f.values !== undefined) spec.values = f.values;
      return [f.name, spec];
    }),
  );
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ().-]{7,24}$/;
/** ISO 8601 date or date-time (with an offset when a time is given). */
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** Why `value` does not fit `field` (type and constraints), or undefined. */
export function valueProblem(field: FieldDefinition, value: unknown): string | undefined {
  switch (field.type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return 'must be an integer';
      return rangeProblem(field, value);
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      return rangeProblem(field, value);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'datetime':
      return typeof value === 'string' && ISO_DATETIME.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'must be an ISO 8601 date-time';
    case 'enum':
      return typeof value === 'string' && field.values!.includes(value) ? undefined : `must be one of ${field.values!.join(', ')}`;
    default: {
      if (typeof value !== 'string') return 'must be a string';
      if (field.type === 'email' && (value.length > 254 || !EMAIL.test(value))) return 'must be an email address';
      if (field.type === 'url' && !isHttpUrl(value)) return 'must be an http(s) URL';
      if (field.type === 'phone' && (!PHONE.test(value) || !between(value.replace(/\D/g, '').length, 7, 15))) return 'must be a phone number';
      if (field.minLength !== undefined && [...value].length < field.minLength) return `must be at least ${field.minLength} characters`;
      if (field.maxLength !== undefined && [...value].length > field.maxLength) return `must be at most ${field.maxLength} characters`;
      if (field.pattern !== undefined && !new RegExp(field.pattern, 'u').test(value)) return `must match ${field.pattern}`;
      return undefined;
    }
  }
}

/** Values as stored: datetimes in one UTC form, so that stored strings order as instants. */
export function normalizeValue(field: FieldDefinition, value: FieldValue): FieldValue {
  return field.type === 'datetime' ? new Date(value as string).toISOString() : value;
}

/**
 * Validates a record's `data` against its schema: every failing field is listed
 * (`data.<field>`); missing fields take their default. Returns the data as stored.
 */
export function validateRecordData(fields: FieldDefinition[], data: unknown): { data: Record<string, FieldValue>; problems: FieldError[] } {
  if (!isObject(data)) return { data: {}, problems: [{ field: 'data', message: 'must be an object' }] };
  const problems: FieldError[] = [];
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const key of Object.keys(data)) if (!byName.has(key)) problems.push({ field: `data.${key}`, message: 'is not a field of the schema' });
  const stored: Record<string, FieldValue> = {};
  for (const field of fields) {
    const value = data[field.name] ?? field.default;
    if (value === undefined || value === null) {
      if (field.required) problems.push({ field: `data.${field.name}`, message: 'is required' });
      continue;
    }
    const problem = valueProblem(field, value);
    if (problem) problems.push({ field: `data.${field.name}`, message: problem });
    else stored[field.name] = normalizeValue(field, value as FieldValue);
  }
  return { data: stored, problems };
}

function rangeProblem(field: FieldDefinition, value: number): string | undefined {
  if (field.min !== undefined && value < field.min) return `must be at least ${field.min}`;
  if (field.max !== undefined && value > field.max) return `must be at most ${field.max}`;
  return undefined;
}

function between(n: number, min: number, max: number): boolean {
  return n >= min && n <= max;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
