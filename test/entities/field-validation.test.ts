import assert from 'node:assert/strict';
import { parseFieldsDefinition, validateRecordData } from '../../subgraphs/entities/entity-schema/field-definition';
import { PRODUCT_FIELDS } from './entity-helpers';

/** The schema language and record validation (pure functions: every type's edge cases). */
describe('entity field definitions and record validation', () => {
  const { fields, problems } = parseFieldsDefinition(PRODUCT_FIELDS);
  const fieldsOf = (definition: unknown) => parseFieldsDefinition(definition).problems.map((p) => `${p.field}: ${p.message}`);
  const failing = (data: Record<string, unknown>) => validateRecordData(fields, data).problems.map((p) => p.field);

  it('parses every documented type and constraint key', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(fields.map((f) => f.type), ['string', 'string', 'integer', 'float', 'boolean', 'datetime', 'text', 'enum', 'email', 'url', 'phone']);
    assert.deepEqual(fields.find((f) => f.name === 'category')?.values, ['books', 'games', 'tools']);
    assert.equal(fields.find((f) => f.name === 'available')?.default, true);
  });

  it('accepts `enum` as an alias of `values`', () => {
    const parsed = parseFieldsDefinition({ size: { type: 'enum', enum: ['s', 'm'] } });
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.fields[0].values, ['s', 'm']);
  });

  it('refuses bad definitions, naming each problem', () => {
    assert.deepEqual(fieldsOf([]), ['fields_definition: must be an object of field definitions']);
    assert.deepEqual(fieldsOf({ a: { type: 'blob' } }), ['fields_definition.a.type: must be one of string, integer, float, boolean, datetime, text, enum, email, url, phone']);
    assert.deepEqual(fieldsOf({ 'bad name': { type: 'string' } }), ['fields_definition.bad name: field names are identifiers (letters, digits, _; at most 63)']);
    assert.deepEqual(fieldsOf({ a: { type: 'string', colour: 'red' } }).length, 1);
    assert.deepEqual(fieldsOf({ a: { type: 'enum' } }), ['fields_definition.a.values: an enum needs a non-empty list of string values']);
    assert.deepEqual(fieldsOf({ a: { type: 'enum', values: ['x', 'x'] } }), ['fields_definition.a.values: must not repeat a value']);
    assert.deepEqual(fieldsOf({ a: { type: 'string', min: 1 } }), ['fields_definition.a.min: applies to integer and float fields only']);
    assert.deepEqual(fieldsOf({ a: { type: 'integer', min: 5, max: 1 } }), ['fields_definition.a.min: must not exceed max']);
    assert.deepEqual(fieldsOf({ a: { type: 'string', pattern: '(' } }), ['fields_definition.a.pattern: is not a valid regular expression']);
    assert.deepEqual(fieldsOf({ a: { type: 'integer', min_length: 2 } }), ['fields_definition.a.min_length: applies to text fields only']);
    assert.deepEqual(fieldsOf({ a: { type: 'integer', default: 'x' } }), ['fields_definition.a.default: must be an integer']);
    assert.deepEqual(fieldsOf({ a: { type: 'string', required: 'yes' } }), ['fields_definition.a.required: must be true or false']);
  });

  it('accepts a valid record, applies defaults and stores datetimes in UTC', () => {
    const valid = validateRecordData(fields, {
      title: 'Dune',
      sku: 'ABC-123',
      stock: 0,
      price: 9.5,
      released: '2024-03-01T10:00:00+02:00',
      notes: 'x',
      category: 'books',
      contact: 'a@example.com',
      homepage: 'https://example.com/x',
      phone: '+1 (555) 123-4567',
    });
    assert.deepEqual(valid.problems, []);
    assert.equal(valid.data.available, true);
    assert.equal(valid.data.released, '2024-03-01T08:00:00.000Z');
  });

  it('lists every failing field at once', () => {
    assert.deepEqual(failing({ sku: 'abc', stock: 1.5, price: 'free', available: 'yes', unknown: 1 }).sort(), [
      'data.available',
      'data.price',
      'data.sku',
      'data.stock',
      'data.title',
      'data.unknown',
    ]);
  });

  for (const [name, bad, good] of [
    ['title', ['x', 'y'.repeat(41), 12], ['ab', 'y'.repeat(40)]],
    ['sku', ['AB-123', 'abc-123', 'ABC-1234'], ['XYZ-000']],
    ['stock', [-1, 1001, 2.5, '3', Number.MAX_SAFE_INTEGER + 2], [0, 1000]],
    ['price', [-0.01, '1', Infinity], [0, 1e9, 3.14]],
    ['available', ['true', 1, 0], [true, false]],
    ['released', ['2024-13-01', 'yesterday', '2024-01-01T10:00', 1700000000], ['2024-01-01', '2024-01-01T10:00:00Z', '2024-01-01T10:00:00.123+05:30']],
    ['notes', ['n'.repeat(501), 5], ['', 'n'.repeat(500)]],
    ['category', ['Books', 'music', ''], ['books', 'tools']],
    ['contact', ['no-at.example.com', 'a@b', 'a b@c.de'], ['a.b+c@d.example']],
    ['homepage', ['ftp://example.com', 'example.com', 'javascript:alert(1)'], ['http://localhost:3000', 'https://example.com/?q=1']],
    ['phone', ['12345', 'call me', '+1234567890123456'], ['+44 20 7946 0958', '555-123-4567']],
  ] as const) {
    it(`${name}: refuses ${bad.length} bad values, accepts ${good.length} good ones`, () => {
      for (const value of bad) assert.deepEqual(failing({ title: name === 'title' ? value : 'ok', [name]: value }).includes(`data.${name}`), true, `${JSON.stringify(value)} is refused`);
      for (const value of good) assert.deepEqual(failing({ title: name === 'title' ? value : 'ok', [name]: value }), [], `${JSON.stringify(value)} is accepted`);
    });
  }

  it('treats null as absent: required fields are then missing', () => {
    assert.deepEqual(failing({ title: null }), ['data.title']);
    assert.deepEqual(failing({ title: 'ok', price: null }), []);
  });
});
