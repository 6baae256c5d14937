import { createHash, randomBytes } from 'node:crypto';

/** 128 random bits, URL-safe: ids cannot be guessed or enumerated. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** An identity key: `sqb_` and 256 random bits. Shown once, stored only as a hash. */
export function newIdentityKey(): string {
  return `sqb_${randomBytes(32).toString('base64url')}`;
}

/** Keys carry 256 random bits, so a plain SHA-256 is enough (no slow KDF needed). */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}
