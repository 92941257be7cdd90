/**
 * Grants, refresh-token rotation and revocation (spotify-emulator.md T4–T13, G2).
 *
 * A grant is one authorization of one user for one client; every refresh token it ever had is
 * its "family". Rotation (legacy-pkce, strict) marks the presented token rotated and issues a
 * successor. In strict mode, presenting a rotated-out token outside the grace period revokes the
 * whole family (RFC 9700 §4.14.2: the server cannot tell the attacker from the legitimate client).
 */
import { addMonthsUtc } from './clock';
import { refreshTokensExpire, type Knobs } from './knobs';
import type { AccessToken, AuthCode, EmulatorState, Grant, RefreshToken } from './state';

export const ACCESS_TOKEN_LIFETIME_MS = 3_600_000;
export const REFRESH_TOKEN_LIFETIME_MONTHS = 6;

export type RefreshTokenState = 'active' | 'rotated' | 'revoked' | 'expired';
export type AccessTokenState = 'active' | 'expired' | 'revoked';

export function refreshTokenExpiresAt(grant: Grant, knobs: Knobs): number | null {
  return refreshTokensExpire(knobs) ? addMonthsUtc(grant.authorizedAt, REFRESH_TOKEN_LIFETIME_MONTHS) : null;
}

export function refreshTokenState(state: EmulatorState, rt: RefreshToken, now: number): RefreshTokenState {
  const grant = state.grants.get(rt.grantId)!;
  if (rt.revokedAt !== null || grant.revokedAt !== null) return 'revoked';
  if (rt.rotatedAt !== null) return 'rotated';
  const expiresAt = refreshTokenExpiresAt(grant, state.knobs);
  return expiresAt !== null && now >= expiresAt ? 'expired' : 'active';
}

export function accessTokenState(at: AccessToken, now: number): AccessTokenState {
  if (at.revokedAt !== null) return 'revoked';
  return now >= at.expiresAt ? 'expired' : 'active';
}

function issueAccessToken(state: EmulatorState, grant: Grant, now: number): AccessToken {
  const at: AccessToken = {
    token: `BQ${state.ids.token(78)}`,
    grantId: grant.id,
    issuedAt: now,
    expiresAt: now + ACCESS_TOKEN_LIFETIME_MS,
    revokedAt: null,
  };
  state.accessTokens.set(at.token, at);
  return at;
}

function issueRefreshToken(state: EmulatorState, grant: Grant, now: number): RefreshToken {
  const rt: RefreshToken = {
    token: `AQ${state.ids.token(70)}`,
    grantId: grant.id,
    issuedAt: now,
    rotatedAt: null,
    successor: null,
    revokedAt: null,
  };
  state.refreshTokens.set(rt.token, rt);
  return rt;
}

/** Revoke a grant: its refresh tokens at once, its access tokens only if `killAccessTokens`. */
export function revokeGrant(state: EmulatorState, grant: Grant, now: number, killAccessTokens: boolean): void {
  grant.revokedAt ??= now;
  for (const rt of state.refreshTokens.values()) if (rt.grantId === grant.id) rt.revokedAt ??= now;
  if (!killAccessTokens) return;
  for (const at of state.accessTokens.values()) if (at.grantId === grant.id) at.revokedAt ??= now;
}

export interface IssuedTokens {
  grant: Grant;
  accessToken: AccessToken;
  refreshToken: RefreshToken;
}

/** T4, T12: a code exchange creates a new grant whose 6-month lifetime starts now. */
export function exchangeCode(state: EmulatorState, code: AuthCode, now: number): IssuedTokens {
  code.used = true;
  if (!state.knobs.reauthKeepsOldTokens) {
    for (const old of state.grants.values()) {
      if (old.userId === code.userId && old.clientId === code.clientId) {
        revokeGrant(state, old, now, state.knobs.revokeKillsAccessTokens);
      }
    }
  }
  const grant: Grant = {
    id: `grant-${state.grants.size + 1}`,
    clientId: code.clientId,
    userId: code.userId,
    scopes: code.scopes,
    authorizedAt: now,
    pkce: code.codeChallenge !== null,
    revokedAt: null,
  };
  state.grants.set(grant.id, grant);
  return { grant, accessToken: issueAccessToken(state, grant, now), refreshToken: issueRefreshToken(state, grant, now) };
}

export type RefreshFailure = 'Invalid refresh token' | 'Refresh token revoked' | 'Refresh token expired';

export type RefreshOutcome =
  | { ok: true; grant: Grant; accessToken: AccessToken; refreshToken: RefreshToken | null }
  | { ok: false; description: RefreshFailure };

export function findGrantOf(state: EmulatorState, refreshToken: string): Grant | null {
  const rt = state.refreshTokens.get(refreshToken);
  return rt ? (state.grants.get(rt.grantId) ?? null) : null;
}

function latestOf(state: EmulatorState, rt: RefreshToken): RefreshToken {
  let current = rt;
  while (current.successor !== null) current = state.refreshTokens.get(current.successor)!;
  return current;
}

function rotates(knobs: Knobs, grant: Grant): boolean {
  return knobs.rotation === 'strict' || (knobs.rotation === 'legacy-pkce' && grant.pkce);
}

/** T5–T11. The caller has authenticated `clientId`. */
export function refresh(state: EmulatorState, token: string, clientId: string, now: number): RefreshOutcome {
  const { knobs } = state;
  const rt = state.refreshTokens.get(token);
  const grant = rt ? state.grants.get(rt.grantId) : undefined;
  if (!rt || !grant || grant.clientId !== clientId) return { ok: false, description: 'Invalid refresh token' };
  if (rt.revokedAt !== null || grant.revokedAt !== null) return { ok: false, description: 'Refresh token revoked' };
  if (rt.rotatedAt !== null) {
    if (now - rt.rotatedAt < knobs.graceMs) {
      // T9: inside the grace period a retry with the old token gets the current successor.
      const latest = latestOf(state, rt);
      if (latest.revokedAt !== null) return { ok: false, description: 'Refresh token revoked' };
      return { ok: true, grant, accessToken: issueAccessToken(state, grant, now), refreshToken: latest };
    }
    if (knobs.rotation === 'strict') revokeGrant(state, grant, now, knobs.revokeKillsAccessTokens);
    return { ok: false, description: 'Refresh token revoked' };
  }
  const expiresAt = refreshTokenExpiresAt(grant, knobs);
  if (expiresAt !== null && now >= expiresAt) return { ok: false, description: 'Refresh token expired' };
  const accessToken = issueAccessToken(state, grant, now);
  if (!rotates(knobs, grant)) return { ok: true, grant, accessToken, refreshToken: null };
  const successor = issueRefreshToken(state, grant, now);
  rt.rotatedAt = now;
  rt.successor = successor.token;
  return { ok: true, grant, accessToken, refreshToken: successor };
}

export function tokensView(state: EmulatorState, now: number, userFilter?: string) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const grants = [...state.grants.values()].filter((g) => userFilter === undefined || g.userId === userFilter);
  const grantIds = new Set(grants.map((g) => g.id));
  const refreshTokens = [...state.refreshTokens.values()]
    .filter((rt) => grantIds.has(rt.grantId))
    .map((rt) => {
      const grant = state.grants.get(rt.grantId)!;
      return {
        token: rt.token,
        state: refreshTokenState(state, rt, now),
        grantId: rt.grantId,
        userId: grant.userId,
        clientId: grant.clientId,
        issuedAt: iso(rt.issuedAt),
        authorizedAt: iso(grant.authorizedAt),
        expiresAt: iso(refreshTokenExpiresAt(grant, state.knobs)),
        rotatedAt: iso(rt.rotatedAt),
        successor: rt.successor,
      };
    });
  const accessTokens = [...state.accessTokens.values()]
    .filter((at) => grantIds.has(at.grantId))
    .map((at) => ({
      token: at.token,
      state: accessTokenState(at, now),
      grantId: at.grantId,
      userId: state.grants.get(at.grantId)!.userId,
      expiresAt: iso(at.expiresAt),
    }));
  const count = (states: string[]) => states.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
  return {
    now: iso(now),
    grants: grants.map((g) => ({
      id: g.id,
      clientId: g.clientId,
      userId: g.userId,
      scopes: g.scopes,
      pkce: g.pkce,
      authorizedAt: iso(g.authorizedAt),
      revokedAt: iso(g.revokedAt),
    })),
    refreshTokens,
    accessTokens,
    counts: {
      refreshTokens: count(refreshTokens.map((t) => t.state)),
      accessTokens: count(accessTokens.map((t) => t.state)),
    },
  };
}
