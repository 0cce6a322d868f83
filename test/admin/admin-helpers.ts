import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { authenticator } from 'otplib';
import pg from 'pg';
import { rest, PASSWORD, type HttpResult } from '../helpers/client';
import { makeAdmin } from '../helpers/factory';
import { onPlatformStop, testPlatform } from '../helpers/global';

/** The installation's operator, made once per test run through the setup endpoint itself. */
export interface OperatorSetup {
  username: string;
  password: string;
  /** What setup answered (status, body and headers), for the test of setup itself. */
  response: HttpResult;
}

let operatorSetup: Promise<OperatorSetup> | undefined;

/**
 * Runs setup once (it only works while no admin exists): every admin test calls this before it
 * makes further admins, so setup meets an installation without admins whichever file runs first.
 */
export function operator(): Promise<OperatorSetup> {
  operatorSetup ??= (async () => {
    const status = await rest('GET', '/api/v1/auth/status');
    assert.deepEqual(status.body, { setup_required: true }, 'nothing else in the suite may create admins before setup');
    const username = `operator-${randomUUID().slice(0, 8)}`;
    const response = await rest('POST', '/api/v1/auth/setup', { username, password: PASSWORD });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return { username, password: PASSWORD, response };
  })();
  return operatorSetup;
}

export interface TestAdmin {
  id: string;
  username: string;
  password: string;
  /** A session token (Bearer), from logging in over the API. */
  token: string;
}

/** A further admin, signed in (no 2FA yet). */
export async function signedInAdmin(prefix = 'admin'): Promise<TestAdmin> {
  await operator();
  const username = `${prefix}-${randomUUID().slice(0, 8)}`;
  const id = await makeAdmin(username, PASSWORD);
  const login = await rest('POST', '/api/v1/auth/login', { username, password: PASSWORD });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return { id, username, password: PASSWORD, token: login.body.access_token };
}

/** The TOTP an authenticator app shows `steps` 30-second steps from now (computed with otplib, like the server). */
export function totp(secret: string, steps = 0): string {
  return authenticator.clone({ epoch: Date.now() + steps * 30_000 }).generate(secret);
}

/** The admin_session cookie a response sets, with its attributes. */
export function sessionCookie(response: HttpResult): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith('admin_session='));
}

let db: pg.Pool | undefined;

/** Outbox events (type and payload, oldest first) whose payload has `key` = `value`. */
export async function eventsWith(key: string, value: string): Promise<Array<{ type: string; payload: Record<string, unknown>; tenant_id: string | null }>> {
  if (!db) {
    const pool = new pg.Pool({ connectionString: testPlatform().databaseUrl, max: 1 });
    onPlatformStop(() => pool.end());
    db = pool;
  }
  const { rows } = await db.query(`SELECT type, payload, tenant_id FROM platform.outbox WHERE payload->>$1 = $2 ORDER BY created_at, id`, [key, value]);
  return rows;
}
