import type { RestRequestInfo, SelectedPage } from '../face';

/** 001_… lists default to 20 per page (max 100, checked by each list's arguments). */
export const V1_DEFAULT_PER_PAGE = 20;

/**
 * The `/v1` page body (001_… `GET /v1/users`): the items under the collection's name (the last
 * segment of the path: `users`), then `total`, `page`, `per_page`, `has_next`, `has_prev`.
 */
export function v1Page({ items, total }: SelectedPage, { url, variables }: RestRequestInfo): unknown {
  const collection = url.pathname.split('/').filter(Boolean).at(-1) ?? 'items';
  // some 001 lists (GET /v1/plans) page with skip/limit instead of page/per_page
  const offsetPaged = variables.limit !== undefined && variables.page === undefined;
  const perPage = Number(offsetPaged ? variables.limit : variables.per_page ?? V1_DEFAULT_PER_PAGE);
  const page = offsetPaged ? Math.floor(Number(variables.skip ?? 0) / perPage) + 1 : Number(variables.page ?? 1);
  return { [collection]: items, total, page, per_page: perPage, has_next: page * perPage < total, has_prev: page > 1 };
}
