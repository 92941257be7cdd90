import { createHash } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A PocketBase record id (15 of [a-z0-9], the default id pattern) derived from a natural key.
 * Two processes creating the row for the same key produce the same id, so the second create
 * fails on the primary key instead of inserting a twin. 36^15 ≈ 2^77 ids: collisions are not
 * a practical concern (the unique indexes on the natural keys would refuse one anyway).
 */
export function recordId(...parts: (string | number)[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  let out = '';
  for (let i = 0; i < 15; i++) out += ALPHABET[digest[i]! % 36];
  return out;
}
