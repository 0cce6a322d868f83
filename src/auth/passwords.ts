import argon2 from 'argon2';

/** argon2id with the OWASP minimum parameters (19 MiB, t=2, p=1). */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/** False for an account without a password (created by the tenant, until its user sets one). */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) return false;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Documented policy: min 8 chars, 1 uppercase, 1 lowercase, 1 digit. Returns the problem, if any. */
export function passwordPolicyProblem(password: string): string | undefined {
  if (password.length < 8) return 'must be at least 8 characters';
  if (password.length > 128) return 'must be at most 128 characters';
  if (!/[A-Z]/.test(password)) return 'must contain an uppercase letter';
  if (!/[a-z]/.test(password)) return 'must contain a lowercase letter';
  if (!/[0-9]/.test(password)) return 'must contain a digit';
  return undefined;
}
