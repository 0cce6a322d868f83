import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { authenticator } from 'otplib';
import QRCode from 'qrcode';

/**
 * TOTP per RFC 6238 (otplib: SHA-1, 6 digits, 30 s steps, as every authenticator app expects),
 * the secret encrypted at rest, and single-use recovery codes stored as digests.
 */
const STEP_SECONDS = 30;
/** One step either side: a phone clock a little off still works. */
const WINDOW = 1;
const totp = authenticator.clone({ step: STEP_SECONDS, window: WINDOW });

export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Agent SaaS Platform';

export function newTotpSecret(): string {
  return totp.generateSecret(20);
}

/** The otpauth:// URI and the QR code image of it (a PNG data URL) an authenticator app scans. */
export async function totpEnrolment(username: string, secret: string): Promise<{ otpauthUrl: string; qrCode: string }> {
  const otpauthUrl = totp.keyuri(username, ISSUER, secret);
  return { otpauthUrl, qrCode: await QRCode.toDataURL(otpauthUrl) };
}

/**
 * The time step `code` is valid for (within the window), or undefined. Callers refuse a step not
 * after the last one accepted, so an observed code cannot be replayed.
 */
export function totpStep(secret: string, code: string, now = Date.now()): number | undefined {
  const normalized = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(normalized)) return undefined;
  // One clock reading for the check and the step, so a step boundary between them cannot skew it.
  const delta = totp.clone({ epoch: now }).checkDelta(normalized, secret);
  if (delta === null) return undefined;
  return Math.floor(now / 1000 / STEP_SECONDS) + delta;
}

/** Recovery codes as shown once to the admin: `xxxxx-xxxxx`, lowercase base32-ish. */
export function newRecoveryCodes(): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** Recovery codes have 49 bits of randomness: a fast digest suffices (no dictionary to attack). */
export function recoveryCodeDigest(code: string): string {
  return createHash('sha256').update(code.trim().toLowerCase()).digest('hex');
}

export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** AES-256-GCM with a key derived from the platform secret: a leaked table alone reveals no secret. */
export class SecretBox {
  private readonly key: Buffer;

  constructor(platformSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', platformSecret, 'tenancy', 'admin-totp-secret', 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || !data) throw new Error('unknown sealed secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
