import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Provider tokens at rest (Spotify, Strava): AES-256-GCM (node:crypto), a fresh 96-bit IV per value, and the
 * member id plus field name as additional authenticated data, so a ciphertext copied into
 * another row or field does not open. Sealed form: `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url).
 * Several keys may open (rotation: SPOTIFY_TOKEN_PREVIOUS_KEYS); only the current one seals.
 */
export interface TokenKey {
  id: string;
  key: Buffer;
}

export interface TokenCipher {
  currentKeyId: string;
  seal(plain: string, aad: string): string;
  /** null when the value is malformed, forged, or sealed under a key we no longer have. */
  open(sealed: string, aad: string): string | null;
}

/** 32 bytes as 64 hex digits, or base64 / base64url. */
export function parseTokenKey(raw: string): Buffer | null {
  const s = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) return null;
  const b = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return b.length === 32 ? b : null;
}

/** A short public id for a key: never the key, but stable for it. */
export function deriveKeyId(key: Buffer): string {
  return createHash('sha256').update('hrm-spotify-token-key\0').update(key).digest('hex').slice(0, 12);
}

export function createTokenCipher(current: TokenKey, previous: TokenKey[] = []): TokenCipher {
  const keys = new Map([...previous, current].map((k) => [k.id, k.key]));
  return {
    currentKeyId: current.id,
    seal(plain, aad) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', current.key, iv);
      c.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
      return `v1.${current.id}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed, aad) {
      const [v, keyId, ivText, bodyText] = sealed.split('.');
      const key = keyId === undefined ? undefined : keys.get(keyId);
      if (v !== 'v1' || !key || !ivText || !bodyText) return null;
      try {
        const body = Buffer.from(bodyText, 'base64url');
        const d = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
        d.setAAD(Buffer.from(aad, 'utf8'));
        d.setAuthTag(body.subarray(body.length - 16));
        return Buffer.concat([d.update(body.subarray(0, body.length - 16)), d.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
