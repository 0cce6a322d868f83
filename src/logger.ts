import pino from 'pino';
import { config } from './config';

/** Structured JSON logs on stdout; per-request children carry request id and tenant. */
export const rootLogger = pino({
  level: config().logLevel,
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = pino.Logger;

export function serviceLogger(service: string): Logger {
  return rootLogger.child({ service });
}
