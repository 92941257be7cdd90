/**
 * Everything the Strava emulator knows, in memory: applications (clients), athletes, codes,
 * tokens, uploads, activities, the rate windows, scripted faults and the call log. Time comes only
 * from the injectable clock (README "Clock"), so a test can jump past a 6-hour expiry or a
 * 15-minute window without waiting.
 */
import { createHash } from 'node:crypto';
import type { ControllableClock } from '../spotify-emulator/clock';

export interface ClientInput {
  id: string;
  secret: string;
  /** Strava's "Authorization Callback Domain": redirect_uri hosts must equal it or be a subdomain. */
  callbackDomain: string;
}

export interface AthleteInput {
  id: number;
  firstname?: string;
  lastname?: string;
}

export type Rotation = 'always' | 'never';

export interface Knobs {
  /** Access-token lifetime in seconds (Strava: 6 hours). */
  accessTtlSec: number;
  /** Refresh while the access token still has more than this left returns the same tokens. */
  reuseAccessAboveSec: number;
  /** A refresh that issues a new access token also issues a new refresh token ('always'). */
  rotation: Rotation;
  /** How long after its rotation the old refresh token still works (0: never again). */
  oldRefreshGraceMs: number;
  /** Upload processing time, from the POST to the moment the activity exists. */
  processingMs: number;
  /** Overall per-application limits: 15 minutes, day. */
  limit15: number;
  limitDay: number;
  /** "Non-upload" (read) per-application limits: 15 minutes, day. */
  readLimit15: number;
  readLimitDay: number;
  /** Code lifetime (C: Strava does not say). */
  codeTtlMs: number;
  /** Also refuse an upload whose external_id an earlier upload of the athlete used (C). */
  duplicateByExternalId: boolean;
}

export const defaultKnobs = (): Knobs => ({
  accessTtlSec: 6 * 3600,
  reuseAccessAboveSec: 3600,
  rotation: 'always',
  oldRefreshGraceMs: 0,
  processingMs: 2_000,
  limit15: 200,
  limitDay: 2_000,
  readLimit15: 100,
  readLimitDay: 1_000,
  codeTtlMs: 10 * 60_000,
  duplicateByExternalId: false,
});

export interface Code {
  code: string;
  clientId: string;
  athleteId: number;
  scope: string;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

/** One athlete's authorization of one application; revoked by /oauth/deauthorize or the athlete. */
export interface Grant {
  id: number;
  clientId: string;
  athleteId: number;
  scope: string;
  revoked: boolean;
}

export interface AccessToken {
  token: string;
  grantId: number;
  expiresAt: number;
}

export interface RefreshToken {
  token: string;
  grantId: number;
  /** Set when a newer refresh token replaced it; it stops working `oldRefreshGraceMs` later. */
  rotatedAt: number | null;
}

export interface Upload {
  id: number;
  clientId: string;
  athleteId: number;
  externalId: string | null;
  fileName: string;
  dataType: string;
  name: string | null;
  description: string | null;
  trainer: boolean;
  sha1: string;
  createdAt: number;
  readyAt: number;
  /** Decided at upload time, revealed once processing ends. */
  duplicateOf: number | null;
  activityId: number | null;
  lastPollAt: number | null;
  fastPolls: number;
}

export interface Activity {
  id: number;
  athleteId: number;
  uploadId: number;
  externalId: string | null;
  name: string;
  description: string | null;
  trainer: boolean;
  sha1: string;
}

export interface Fault {
  /** e.g. `POST /oauth/token`, `POST /api/v3/uploads`, `GET /api/v3/uploads/:id`, or `*`. */
  route: string;
  /** One entry per matching call, consumed in order: a status to answer, or 0 for "no fault". */
  statuses: number[];
  /** Added before answering (a slow Strava); applied to every matching call while the fault lasts. */
  latencyMs: number;
}

export interface CallEntry {
  seq: number;
  at: number;
  route: string;
  status: number;
  clientId: string | null;
  athleteId: number | null;
  grantType: string | null;
  refreshToken: string | null;
}

export interface Consent {
  athleteId: number;
  decision: 'approve' | 'deny';
  /** Scopes the athlete accepts (they may untick some); default: all requested. */
  scope?: string;
}

export interface RateWindow {
  /** Start of the 15-minute window (ms) and of the UTC day. */
  window15: number;
  day: number;
  used15: number;
  usedDay: number;
  read15: number;
  readDay: number;
}

export interface StravaState {
  clock: ControllableClock;
  knobs: Knobs;
  clients: Map<string, ClientInput>;
  athletes: Map<number, AthleteInput>;
  codes: Map<string, Code>;
  grants: Map<number, Grant>;
  access: Map<string, AccessToken>;
  refresh: Map<string, RefreshToken>;
  uploads: Map<number, Upload>;
  activities: Map<number, Activity>;
  /** Per application. */
  rates: Map<string, RateWindow>;
  faults: Fault[];
  consents: Consent[];
  calls: CallEntry[];
  autoApproveAthlete: number | null;
  nextId: number;
  serial: number;
}

export function createState(clock: ControllableClock, seed: { clients: ClientInput[]; athletes: AthleteInput[]; knobs: Partial<Knobs>; autoApproveAthlete?: number | null }): StravaState {
  return {
    clock,
    knobs: { ...defaultKnobs(), ...seed.knobs },
    clients: new Map(seed.clients.map((c) => [c.id, c])),
    athletes: new Map(seed.athletes.map((a) => [a.id, a])),
    codes: new Map(),
    grants: new Map(),
    access: new Map(),
    refresh: new Map(),
    uploads: new Map(),
    activities: new Map(),
    rates: new Map(),
    faults: [],
    consents: [],
    calls: [],
    autoApproveAthlete: seed.autoApproveAthlete === undefined ? (seed.athletes[0]?.id ?? null) : seed.autoApproveAthlete,
    nextId: 1_000_001,
    serial: 0,
  };
}

/** Tokens are opaque 40-hex strings, as Strava's are; a counter keeps runs reproducible. */
export function newToken(s: StravaState, kind: 'a' | 'r' | 'c'): string {
  s.serial += 1;
  return createHash('sha1').update(`${kind}:${s.serial}`).digest('hex');
}
