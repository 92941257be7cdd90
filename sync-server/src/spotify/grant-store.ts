/**
 * Spotify's grant store: the provider-neutral grant store (grants/store.ts) plus the volume
 * before a mute, a record of its own whose only field has one writer role (mute/unmute): the
 * last write wins, which is what a member pressing mute/unmute means.
 */
import type { GrantStore as NeutralGrantStore } from '../grants/store';

export * from '../grants/store';

export interface GrantStore extends NeutralGrantStore {
  mutedFrom(memberId: string): Promise<number>;
  setMutedFrom(memberId: string, volume: number): Promise<void>;
}
