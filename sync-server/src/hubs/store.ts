/**
 * Room-hub records behind one small interface, with a PocketBase implementation
 * (pb-hub-store.ts) and an in-memory one (memory-hub-store.ts); hub-store.contract.ts holds what
 * both promise.
 *
 * - A hub is a room credential like a display: a token (SHA-256 of its secret) and a one-time
 *   pairing code, claimed once under a unique index. Deleting the row revokes it.
 * - A strap participant (a participant the hub created for a strap it hears) is claimed by at
 *   most one phone: a unique (participant) claim row names that phone's device id.
 * - The strap registry: one member per strap key (unique), so a strap registered by one member
 *   cannot be claimed by another until released. A member's auto-join opt-in and the profile a
 *   hub joins them with are one record per member (one writer: the member).
 */
export interface HubRow {
  id: string;
  room: string;
  name: string;
  token_hash: string;
  pairing_code_hash: string;
  pairing_expires: number;
  created: string;
}

/** What a hub joins a member with when it hears their strap (all optional: a member may give none). */
export interface StrapProfile {
  age?: number;
  sex?: 'male' | 'female';
  weightKg?: number;
  maxHr?: number;
  restingHr?: number;
}

export interface StrapRow {
  key: string;
  user: string;
  created: string;
}

export interface StrapPrefs {
  /** Join a room automatically when one of its hubs hears this member's strap. Off by default. */
  autoJoin: boolean;
  profile: StrapProfile;
}

export const DEFAULT_STRAP_PREFS: StrapPrefs = { autoJoin: false, profile: {} };

export interface HubStore {
  /** A fresh record id (15 lower-case letters and digits, as PocketBase's). */
  newId(): string;

  createHub(input: { id: string; room: string; name: string; tokenHash: string; pairingCodeHash: string; pairingExpires: number }): Promise<HubRow>;
  hub(id: string): Promise<HubRow | null>;
  hubByPairingHash(hash: string): Promise<HubRow | null>;
  /** Oldest first. */
  hubsOf(roomId: string): Promise<HubRow[]>;
  deleteHub(id: string): Promise<boolean>;
  /** Uses the hub's pairing code once: stores the new token; false when someone else did first. */
  claimPairing(hub: HubRow, tokenHash: string): Promise<boolean>;

  /** One phone per strap participant: `ok` for the first device and again for that device; `taken` for any other. */
  claimStrap(participantId: string, deviceId: string): Promise<'ok' | 'taken'>;
  /** participant id → the device that claimed it, for those claimed. */
  strapClaims(participantIds: readonly string[]): Promise<Map<string, string>>;

  /**
   * Lets go of a strap participant's phone claim: any phone's (deviceId null, the coach) or only
   * that phone's; false when there was none (or another phone holds it). Clears the contest mark.
   */
  releaseStrapClaim(participantId: string, deviceId: string | null): Promise<boolean>;

  /** Remembers the strap key behind a participant a hub created (once; again is a no-op). */
  noteStrap(participantId: string, key: string): Promise<void>;
  /** Marks that a phone tried to claim the participant's strap while another phone held it. */
  contestStrap(participantId: string, at: number): Promise<void>;
  /** participant id → its strap key and when a phone last contested its claim (0: never), for those noted. */
  strapsOfParticipants(participantIds: readonly string[]): Promise<Map<string, { key: string; contestedAt: number }>>;
  /** strap key → its member, for the keys registered. */
  strapOwners(keys: readonly string[]): Promise<Map<string, string>>;

  /** `ok` when registered (or already this member's), `taken` when another member holds the key. */
  registerStrap(userId: string, key: string): Promise<'ok' | 'taken'>;
  /** False when the member did not hold the key. */
  releaseStrap(userId: string, key: string): Promise<boolean>;
  /** Oldest first. */
  strapsOf(userId: string): Promise<StrapRow[]>;
  strapOwner(key: string): Promise<string | null>;
  /** DEFAULT_STRAP_PREFS until set. */
  prefs(userId: string): Promise<StrapPrefs>;
  setPrefs(userId: string, prefs: StrapPrefs): Promise<StrapPrefs>;
}
