import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Room credentials. Codes are what people type: 8 characters from 32 unambiguous ones (no I, O,
 * 0, 1) = 40 bits, guessed only online and under a per-address limit on wrong attempts. Tokens
 * are what devices keep: `<record id>.<32 random bytes, base64url>`, stored as SHA-256 of the
 * secret only (as session cookies are).
 */
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 8;

export function newCode(): string {
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** Upper case, without spaces and dashes (people type `abcd-2345`). */
export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

export const isWellFormedCode = (code: string) => code.length === CODE_LENGTH && [...code].every((ch) => CODE_ALPHABET.includes(ch));

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function newToken(recordId: string): { token: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${recordId}.${secret}`, hash: sha256(secret) };
}

/** Splits a token into its record id and secret; null when malformed. */
export function splitToken(token: string): { id: string; secret: string } | null {
  const m = /^([a-z0-9]{15})\.([A-Za-z0-9_-]{40,60})$/.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(storedHash, 'hex');
  const b = Buffer.from(sha256(secret), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
