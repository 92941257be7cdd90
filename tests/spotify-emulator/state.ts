/**
 * Everything the emulator knows, in one plain object owned by one emulator instance (no module
 * state). Routes read and mutate it; `/__emu/reset` rebuilds it from the creation options.
 */
import { createDefaultCatalog, type Catalog } from './catalog';
import type { CallEntry } from './call-log';
import type { ControllableClock } from './clock';
import type { FaultRule } from './faults';
import type { HistoryEntry } from './history';
import { defaultKnobs, type Knobs } from './knobs';
import { createPlayer, type Player } from './player';
import { createRandom, type Random } from './random';
import { createRateState, type RateState } from './rate-limit';

export type Product = 'premium' | 'free' | 'open';

export interface Client {
  id: string;
  secret: string;
  redirectUris: string[];
  /** G4 / July 2026: quota is counted per developer account. */
  developer: string;
  /** Development mode enforces the allowlist and the owner's Premium (X2). */
  quotaMode: 'development' | 'extended';
}

export interface User {
  id: string;
  displayName: string;
  product: Product;
  allowlisted: boolean;
  /** The app owner; if their Premium lapses every user gets 403 (X2). */
  owner: boolean;
  country: string;
  email: string;
}

export interface AuthCode {
  code: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string | null;
  expiresAt: number;
  used: boolean;
}

/** One authorization: the "family" of refresh tokens that rotation produces (RFC 9700 §4.14.2). */
export interface Grant {
  id: string;
  clientId: string;
  userId: string;
  scopes: string[];
  authorizedAt: number;
  pkce: boolean;
  revokedAt: number | null;
}

export interface RefreshToken {
  token: string;
  grantId: string;
  issuedAt: number;
  rotatedAt: number | null;
  successor: string | null;
  revokedAt: number | null;
}

export interface AccessToken {
  token: string;
  grantId: string;
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface ConsentDecision {
  user: string;
  decision: 'approve' | 'deny';
  /** Scopes the user grants; omitted = everything requested. */
  scopes: string[] | null;
}

export interface EmulatorState {
  clock: ControllableClock;
  /** Ids and tokens. */
  ids: Random;
  /** Behaviour draws: faults, spurious 204s, delays, drops. */
  chance: Random;
  knobs: Knobs;
  clients: Map<string, Client>;
  users: Map<string, User>;
  codes: Map<string, AuthCode>;
  grants: Map<string, Grant>;
  refreshTokens: Map<string, RefreshToken>;
  accessTokens: Map<string, AccessToken>;
  players: Map<string, Player>;
  history: Map<string, HistoryEntry[]>;
  catalog: Catalog;
  consent: { queue: ConsentDecision[]; autoUser: string | null };
  faults: Map<string, FaultRule>;
  rate: RateState;
  calls: CallEntry[];
}

export interface ClientInput {
  id: string;
  secret: string;
  redirectUris: string[];
  developer?: string;
  quotaMode?: 'development' | 'extended';
}

export function toClient(input: ClientInput): Client {
  return {
    id: input.id,
    secret: input.secret,
    redirectUris: input.redirectUris,
    developer: input.developer ?? 'developer-1',
    quotaMode: input.quotaMode ?? 'development',
  };
}

export interface UserInput {
  id: string;
  displayName?: string;
  product?: Product;
  allowlisted?: boolean;
  owner?: boolean;
  country?: string;
  email?: string;
}

export function toUser(input: UserInput, existing?: User): User {
  return {
    id: input.id,
    displayName: input.displayName ?? existing?.displayName ?? input.id,
    product: input.product ?? existing?.product ?? 'premium',
    allowlisted: input.allowlisted ?? existing?.allowlisted ?? true,
    owner: input.owner ?? existing?.owner ?? false,
    country: input.country ?? existing?.country ?? 'SE',
    email: input.email ?? existing?.email ?? `${input.id}@example.test`,
  };
}

export interface StateSeed {
  clients: ClientInput[];
  users: UserInput[];
  knobs: Partial<Knobs>;
  seed: number;
  autoApproveUser: string | null | undefined;
}

export function createState(clock: ControllableClock, seed: StateSeed): EmulatorState {
  const users = new Map(seed.users.map((u) => [u.id, toUser(u)]));
  const now = clock.now();
  return {
    clock,
    ids: createRandom(seed.seed),
    chance: createRandom(seed.seed ^ 0x9e3779b9),
    knobs: { ...defaultKnobs, ...seed.knobs },
    clients: new Map(seed.clients.map((c) => [c.id, toClient(c)])),
    users,
    codes: new Map(),
    grants: new Map(),
    refreshTokens: new Map(),
    accessTokens: new Map(),
    players: new Map([...users.keys()].map((id) => [id, createPlayer(now)])),
    history: new Map(),
    catalog: createDefaultCatalog(),
    consent: {
      queue: [],
      autoUser: seed.autoApproveUser === undefined ? (seed.users[0]?.id ?? null) : seed.autoApproveUser,
    },
    faults: new Map(),
    rate: createRateState(),
    calls: [],
  };
}

export function playerOf(state: EmulatorState, userId: string): Player {
  let player = state.players.get(userId);
  if (!player) {
    player = createPlayer(state.clock.now());
    state.players.set(userId, player);
  }
  return player;
}
