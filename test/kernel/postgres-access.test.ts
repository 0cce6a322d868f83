import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureServerCanReach, PostgresAccessError, serverUser } from '../../src/db/postgres-access';

/**
 * As root, embedded PostgreSQL runs as the `postgres` user; these tests check, as that user, what
 * it can enter. Without root there is no second user (PostgreSQL runs as the caller) and nothing
 * to grant, so there is nothing here to test.
 */
const isRoot = process.getuid?.() === 0;

// Registered only where it applies (CI runs as root); not a skipped test elsewhere.
if (isRoot) describe('embedded PostgreSQL as root: access of the postgres user', () => {
  let home: string;
  let data: string;

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'private-home-')); // mode 700, like /root
    data = path.join(home, 'checkout', '.data');
    fs.mkdirSync(data, { recursive: true });
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('grants search permission on exactly the directory that blocks it, once', () => {
    const lines: string[] = [];
    ensureServerCanReach([data], serverUser(), (line) => lines.push(line));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], new RegExp(`could not enter ${home}: granted it search permission \\((setfacl -m u:postgres:x|chmod o\\+x) ${home}\\)`));
    assert.equal(fs.statSync(home).mode & 0o006, 0, 'others still cannot list or write');
    ensureServerCanReach([data], serverUser(), (line) => lines.push(line));
    assert.equal(lines.length, 1, 'nothing left to grant');
  });

  it('stops with one line saying why and what to do when it cannot grant', () => {
    const refuse = () => {
      throw new Error('Operation not permitted');
    };
    assert.throws(
      () => ensureServerCanReach([data], serverUser(), () => undefined, refuse),
      (error: unknown) =>
        error instanceof PostgresAccessError &&
        !error.message.includes('\n') &&
        error.message.includes(`cannot enter ${home} (Operation not permitted)`) &&
        /setfacl -m u:postgres:x .*chmod o\+x .*DATABASE_URL/.test(error.message),
    );
  });
});
