import { createSealedGrants, type SealBinding } from '../grants/sealed';
import type { GrantStore } from './grant-store';
import type { TokenCipher } from './token-cipher';

/**
 * Spotify's sealed grants: the provider-neutral ones (grants/sealed.ts), bound as they always
 * were (`<member>:<field>`, so grants sealed before the engine was shared still open), plus the
 * mute volume.
 */
export type { TokenWrite } from '../grants/sealed';

export const SPOTIFY_SEAL: SealBinding = (memberId, field) => `${memberId}:${field}`;

export function createGrants(store: GrantStore, cipher: TokenCipher) {
  return {
    ...createSealedGrants(store, cipher, SPOTIFY_SEAL),
    mutedFrom: (memberId: string) => store.mutedFrom(memberId),
    setMutedFrom: (memberId: string, volume: number) => store.setMutedFrom(memberId, volume),
  };
}

export type Grants = ReturnType<typeof createGrants>;

export type { Grant, FailureType } from './grant-store';
