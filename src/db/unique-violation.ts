import { QueryFailedError } from 'typeorm';

/**
 * The unique constraint a failed statement broke ('' when PostgreSQL named none), or undefined for
 * any other error: services turn a lost race for a unique value into their domain's 409.
 */
export function uniqueViolation(error: unknown): string | undefined {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : (error as { code?: string; constraint?: string } | undefined);
  return driverError?.code === '23505' ? driverError.constraint ?? '' : undefined;
}
