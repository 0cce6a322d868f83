import type { FieldError } from '../../../src/errors';
import { isObject, normalizeValue, TEXT_TYPES, valueProblem, type FieldDefinition, type FieldValue } from '../entity-schema/field-definition';

/** The documented operators (001_… "Supported operators"). */
export const SEARCH_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'not_in'] as const;
export type SearchOperator = (typeof SEARCH_OPERATORS)[number];

/** One condition on a record field. */
export interface SearchFilter {
  field: string;
  operator: string;
  value: unknown;
}

/** Columns a search may order by besides the schema's fields. */
const ORDER_COLUMNS: Record<string, string> = { created_at: 'r.created_at', updated_at: 'r.updated_at' };
const DIRECTIONS: Record<string, 'ASC' | 'DESC'> = { asc: 'ASC', desc: 'DESC' };
const MAX_IN_VALUES = 100;

/**
 * The wire `query` of `POST /v1/entity/records/search`: `{field: value}` for equality,
 * `{field: {operator, value}}` for an operator, or a list of those for several on one field.
 */
export function filtersFromQuery(query: unknown): { filters: SearchFilter[]; problems: FieldError[] } {
  const filters: SearchFilter[] = [];
  const problems: FieldError[] = [];
  if (query === undefined || query === null) return { filters, problems };
  if (!isObject(query)) return { filters, problems: [{ field: 'query', message: 'must be an object of field filters' }] };
  for (const [field, condition] of Object.entries(query)) {
    const conditions = Array.isArray(condition) && condition.length > 0 && condition.every(isOperatorForm) ? condition : [condition];
    for (const c of conditions) {
      if (isOperatorForm(c)) {
        const extra = Object.keys(c).filter((k) => k !== 'operator' && k !== 'value');
        if (extra.length) problems.push({ field: `query.${field}`, message: `has unknown keys: ${extra.join(', ')} (an operator form is {operator, value})` });
        else filters.push({ field, operator: c.operator, value: c.value });
      } else if (Array.isArray(c) || isObject(c)) {
        problems.push({ field: `query.${field}`, message: 'must be a value, or {operator, value}' });
      } else filters.push({ field, operator: 'eq', value: c });
    }
  }
  return { filters, problems };
}

function isOperatorForm(value: unknown): value is { operator: string; value: unknown } {
  return isObject(value) && 'operator' in value;
}

/** SQL over `entities.entity_records r`: a condition and an ordering, every input a parameter. */
export interface CompiledSearch {
  conditions: string[];
  orderBy: string;
  params: unknown[];
}

/**
 * Compiles filters and an ordering, typed by the schema's fields, to parameterized SQL. Field
 * names, values and patterns only ever travel as parameters; operators and directions are looked
 * up in fixed tables; anything unknown is a 422 problem, never SQL.
 *
 * Typed comparisons use jsonb's own order: numbers compare as numbers, strings (datetimes are
 * stored in one UTC ISO form, so they order as instants) as strings, and enums by value.
 * Equality is containment (`data @> {"f": v}`), which the GIN index on `data` serves.
 */
export function compileSearch(
  fields: FieldDefinition[] | undefined,
  filters: SearchFilter[],
  order: { by: string; dir: string },
  params: unknown[],
): { compiled?: CompiledSearch; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const byName = new Map((fields ?? []).map((f) => [f.name, f]));
  const conditions: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  for (const filter of filters) {
    const at = `query.${filter.field}`;
    const field = byName.get(filter.field);
    if (!fields) {
      problems.push({ field: 'schema_id', message: 'is required to filter on record fields' });
      break;
    }
    if (!field) {
      problems.push({ field: at, message: `is not a field of the schema (fields: ${[...byName.keys()].join(', ') || 'none'})` });
      continue;
    }
    if (!SEARCH_OPERATORS.includes(filter.operator as SearchOperator)) {
      problems.push({ field: `${at}.operator`, message: `must be one of ${SEARCH_OPERATORS.join(', ')}` });
      continue;
    }
    const operator = filter.operator as SearchOperator;
    const problem = operatorProblem(field, operator, filter.value);
    if (problem) {
      problems.push({ field: `${at}.value`, message: problem });
      continue;
    }
    conditions.push(conditionSql(field, operator, filter.value, param));
  }
  let orderBy = '';
  const dir = DIRECTIONS[order.dir.toLowerCase()];
  if (!dir) problems.push({ field: 'order_dir', message: 'must be asc or desc' });
  if (ORDER_COLUMNS[order.by]) orderBy = `${ORDER_COLUMNS[order.by]} ${dir}, r.id ${dir}`;
  else if (byName.has(order.by)) orderBy = `r.data -> ${param(order.by)} ${dir} NULLS LAST, r.created_at DESC, r.id DESC`;
  else problems.push({ field: 'order_by', message: `must be created_at, updated_at or a field of the schema${fields ? ` (${[...byName.keys()].join(', ')})` : ''}` });
  return problems.length ? { problems } : { compiled: { conditions, orderBy, params }, problems };
}

/** Why `value` cannot be compared with `operator` on `field`, or undefined. */
function operatorProblem(field: FieldDefinition, operator: SearchOperator, value: unknown): string | undefined {
  // Values are typed by the field, without its constraints (a filter may lie outside them).
  const typeOnly: FieldDefinition = { name: field.name, type: field.type, required: false, values: field.values };
  if (operator === 'in' || operator === 'not_in') {
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_IN_VALUES) return `must be a list of 1 to ${MAX_IN_VALUES} values`;
    const problem = value.map((v) => valueProblem(typeOnly, v)).find(Boolean);
    return problem && `each value ${problem}`;
  }
  if (operator === 'like' || operator === 'ilike') {
    if (!TEXT_TYPES.includes(field.type) && field.type !== 'enum') return `${operator} applies to text fields (this one is ${field.type})`;
    return typeof value === 'string' && value.length <= 500 ? undefined : 'must be a pattern string of at most 500 characters';
  }
  if (field.type === 'boolean' && operator !== 'eq' && operator !== 'ne') return `${operator} does not apply to boolean fields`;
  return valueProblem(typeOnly, value);
}

function conditionSql(field: FieldDefinition, operator: SearchOperator, value: unknown, param: (v: unknown) => string): string {
  const json = (v: unknown) => JSON.stringify(normalizeValue(field, v as FieldValue));
  switch (operator) {
    case 'eq':
      return `r.data @> ${param(JSON.stringify({ [field.name]: normalizeValue(field, value as FieldValue) }))}::jsonb`;
    case 'ne':
      return `(r.data -> ${param(field.name)}) IS DISTINCT FROM ${param(json(value))}::jsonb`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return `(r.data -> ${param(field.name)}) ${COMPARISONS[operator]} ${param(json(value))}::jsonb`;
    case 'like':
    case 'ilike':
      return `(r.data ->> ${param(field.name)}) ${operator === 'like' ? 'LIKE' : 'ILIKE'} ${param(value)}`;
    case 'in':
      return `(r.data -> ${param(field.name)}) = ANY(${param((value as unknown[]).map(json))}::jsonb[])`;
    case 'not_in':
      return `NOT COALESCE((r.data -> ${param(field.name)}) = ANY(${param((value as unknown[]).map(json))}::jsonb[]), false)`;
  }
}

const COMPARISONS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
