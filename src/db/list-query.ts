import type { ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { validationError } from '../errors';
import type { ListArgs, Page } from '../federation/list-args';
import { DEFAULT_PER_PAGE } from '../federation/paging';

/** What one resource's lists allow: the part of `ListArgs` that differs per resource. */
export interface ListSpec<T> {
  /** Wire sort names → entity properties, e.g. `{ created_at: 'createdAt', name: 'name' }`. */
  sortable: Record<string, keyof T & string>;
  /** Applied when `sort` is absent (wire names, like the `sort` parameter). */
  defaultSort: string;
  /** Status values → the SQL condition on the row (`alias` is the row's alias). */
  statuses?: Record<string, (alias: string) => string>;
  /** Properties searched (case-insensitive substring) by `search`; without them `search` is refused. */
  searchable?: Array<keyof T & string>;
  /** Properties the date filters read (default `createdAt` / `updatedAt`). */
  createdAt?: keyof T & string;
  updatedAt?: keyof T & string;
}

/**
 * One page of a tenant's rows with the `/api/v1` list arguments applied: tenant, filters, search,
 * sort (the primary key breaks ties, so pages never overlap) and page. `scope` adds the
 * resource's own conditions. Unknown `sort` fields or `status` values are 422s naming the argument.
 */
export async function listPage<T extends ObjectLiteral>(
  repository: Repository<T>,
  tenantId: string,
  args: ListArgs,
  spec: ListSpec<T>,
  scope?: (query: SelectQueryBuilder<T>, alias: string) => void,
): Promise<Page<T>> {
  const alias = 'item';
  const query = repository.createQueryBuilder(alias).where(`${alias}.tenantId = :tenantId`, { tenantId });
  scope?.(query, alias);
  return queryPage(query, alias, args, spec);
}

/**
 * `listPage` on a query already restricted to what the caller may see, for lists that are not
 * one tenant's rows (e.g. the workspaces of a tenant admin).
 */
export async function queryPage<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, args: ListArgs, spec: ListSpec<T>): Promise<Page<T>> {
  const order = sortOrder(args.sort ?? spec.defaultSort, spec);
  if (args.status != null) {
    const condition = spec.statuses?.[args.status];
    if (!condition) throw validationError([{ field: 'status', message: `must be one of: ${Object.keys(spec.statuses ?? {}).join(', ') || '(none)'}` }]);
    query.andWhere(condition(alias));
  }
  const dates: Array<[string | null | undefined, string, '>=' | '<=']> = [
    [args.createdAfter, spec.createdAt ?? 'createdAt', '>='],
    [args.createdBefore, spec.createdAt ?? 'createdAt', '<='],
    [args.updatedAfter, spec.updatedAt ?? 'updatedAt', '>='],
    [args.updatedBefore, spec.updatedAt ?? 'updatedAt', '<='],
  ];
  // Times are answered to the millisecond and stored to the microsecond: "before X" keeps all of X's millisecond.
  dates.forEach(([value, property, operator], i) => {
    if (value == null) return;
    const date = new Date(value);
    if (operator === '>=') query.andWhere(`${alias}.${property} >= :date${i}`, { [`date${i}`]: date });
    else query.andWhere(`${alias}.${property} < :date${i}`, { [`date${i}`]: new Date(date.getTime() + 1) });
  });
  if (args.search != null && args.search !== '') {
    if (!spec.searchable?.length) throw validationError([{ field: 'search', message: 'is not supported by this list' }]);
    const pattern = `%${args.search.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    query.andWhere(`(${spec.searchable.map((p) => `${alias}.${p} ILIKE :search`).join(' OR ')})`, { search: pattern });
  }
  for (const [property, direction] of order) query.addOrderBy(`${alias}.${property}`, direction);
  query.addOrderBy(`${alias}.id`, order.at(-1)?.[1] ?? 'ASC');
  const perPage = args.perPage ?? DEFAULT_PER_PAGE;
  const [items, total] = await query
    .offset(((args.page ?? 1) - 1) * perPage)
    .limit(perPage)
    .getManyAndCount();
  return { items, total };
}

/** `-created_at,name` → `[['createdAt', 'DESC'], ['name', 'ASC']]`; unknown fields are a 422 on `sort`. */
function sortOrder<T>(sort: string, spec: ListSpec<T>): Array<[string, 'ASC' | 'DESC']> {
  const terms = sort.split(',').map((t) => t.trim());
  const unknown = terms.filter((t) => !spec.sortable[t.replace(/^-/, '')]);
  if (unknown.length || terms.length === 0) {
    throw validationError([{ field: 'sort', message: `has unknown fields: ${unknown.join(', ') || '(empty)'} (sortable: ${Object.keys(spec.sortable).join(', ')})` }]);
  }
  return terms.map((t) => [spec.sortable[t.replace(/^-/, '')], t.startsWith('-') ? 'DESC' : 'ASC']);
}
