import { Pool } from 'pg';
import type { Logger } from '../logger';

/**
 * A pg pool for a service's own queries. An idle connection that fails (PostgreSQL restarting,
 * a network blip) is logged and replaced on next use; without a listener, pg's `error` event
 * would end the whole process.
 */
export function createPool(options: { url: string; name: string; max: number; log: Logger }): Pool {
  const pool = new Pool({ connectionString: options.url, max: options.max, application_name: options.name });
  pool.on('error', (error) => options.log.error({ err: error }, 'idle database connection failed'));
  return pool;
}
