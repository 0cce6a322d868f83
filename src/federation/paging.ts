import { validationError } from '../errors';

export const MAX_PAGE_SIZE = 100;
/** `per_page` of the /api/v1 lists when the request gives none (000_… "Pagination"). */
export const DEFAULT_PER_PAGE = 25;

/** Validates `first`/`offset` list arguments (422 naming the argument). */
export function checkPage(first: number, offset: number): void {
  if (first < 1 || first > MAX_PAGE_SIZE) throw validationError([{ field: 'first', message: `must be between 1 and ${MAX_PAGE_SIZE}` }]);
  if (offset < 0) throw validationError([{ field: 'offset', message: 'must not be negative' }]);
}
