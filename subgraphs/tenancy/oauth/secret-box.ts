import { jose } from './esm-packages';
import { derivedKey } from './oauth-keys';

/** Encrypts provider client secrets at rest (JWE, direct AES-256-GCM); they are never returned. */
export class SecretBox {
  private readonly key: Uint8Array;

  constructor(jwtSecret: string) {
    this.key = derivedKey(jwtSecret, 'oauth-client-secret');
  }

  seal(plaintext: string): Promise<string> {
    return new jose.CompactEncrypt(new TextEncoder().encode(plaintext)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(this.key);
  }

  async open(sealed: string): Promise<string> {
    const { plaintext } = await jose.compactDecrypt(sealed, this.key);
    return new TextDecoder().decode(plaintext);
  }
}
