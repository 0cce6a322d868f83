import { IsISO8601, IsInt, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { Authenticated } from './access';

import { DEFAULT_PER_PAGE, MAX_PAGE_SIZE as MAX_PER_PAGE } from './paging';

export { DEFAULT_PER_PAGE, MAX_PER_PAGE };

const ISO_DATE = { message: 'must be an ISO 8601 date' };

/**
 * The list arguments of every `/api/v1` list (000_… "Common Parameters"): page, filters, search
 * and sort. A resolver takes them with `@Args() list: ListArgs` and hands them to `listPage`
 * (src/db/list-query.ts) with the resource's `ListSpec`, which checks `sort` and `status`.
 */
@ArgsType()
export class ListArgs {
  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Field(() => Int, { nullable: true, description: 'Page number (default 1)' })
  page?: number | null;

  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: `must be between 1 and ${MAX_PER_PAGE}` })
  @Max(MAX_PER_PAGE, { message: `must be between 1 and ${MAX_PER_PAGE}` })
  @Field(() => Int, { nullable: true, description: `Items per page (default ${DEFAULT_PER_PAGE}, max ${MAX_PER_PAGE})` })
  perPage?: number | null;

  @IsOptional()
  @Field(() => String, { nullable: true, description: 'Comma-separated sortable fields, "-" for descending: "-created_at,name"' })
  sort?: string | null;

  @IsOptional()
  @Field(() => String, { nullable: true, description: 'Only items in this status (the values depend on the resource)' })
  status?: string | null;

  @IsOptional()
  @MaxLength(200, { message: 'must be at most 200 characters' })
  @Field(() => String, { nullable: true, description: 'Text searched in the resource’s searchable fields' })
  search?: string | null;

  @IsOptional()
  @IsISO8601({ strict: true }, ISO_DATE)
  @Field(() => String, { nullable: true, description: 'ISO 8601: created at or after' })
  createdAfter?: string | null;

  @IsOptional()
  @IsISO8601({ strict: true }, ISO_DATE)
  @Field(() => String, { nullable: true, description: 'ISO 8601: created at or before' })
  createdBefore?: string | null;

  @IsOptional()
  @IsISO8601({ strict: true }, ISO_DATE)
  @Field(() => String, { nullable: true, description: 'ISO 8601: updated at or after' })
  updatedAfter?: string | null;

  @IsOptional()
  @IsISO8601({ strict: true }, ISO_DATE)
  @Field(() => String, { nullable: true, description: 'ISO 8601: updated at or before' })
  updatedBefore?: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * The GraphQL page of a type (`ApiKeyPage { items total }`). Its root field carries the access
 * rule; the items carry their type's.
 */
export function PageOf<T extends object>(itemType: ClassType<T>, name = `${itemType.name}Page`) {
  @ObjectType(name, { description: `A page of ${itemType.name} and how many there are in all` })
  @Authenticated()
  class PageType implements Page<T> {
    @Field(() => [itemType])
    items!: T[];

    @Field(() => Int, { description: 'Items matching the filters, on every page' })
    total!: number;
  }
  return PageType;
}
