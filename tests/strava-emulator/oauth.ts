/**
 * Strava OAuth (README "OAuth"): GET /oauth/authorize, POST /oauth/token (authorization_code and
 * refresh_token), POST /oauth/deauthorize, and the Bearer check of API calls.
 */
import type { Context } from 'hono';
import { authError, badRequest, json } from './responses';
import { newToken, type AccessToken, type Grant, type StravaState } from './state';

const SCOPES = new Set(['read', 'read_all', 'profile:read_all', 'profile:write', 'activity:read', 'activity:read_all', 'activity:write']);

/** Strava accepts the token endpoint's parameters as a form, JSON or query string (C: we take all three). */
export async function params(c: Context): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URL(c.req.url).searchParams) out[k] = v;
  const type = c.req.header('content-type') ?? '';
  if (type.includes('application/json')) {
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    for (const [k, v] of Object.entries(body)) if (v !== null && v !== undefined) out[k] = String(v);
  } else if (type.includes('form')) {
    const body = await c.req.parseBody();
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function redirectAllowed(uri: string, domain: string): boolean {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  // localhost and 127.0.0.1 are white-listed by Strava whatever the callback domain.
  if (u.hostname === 'localhost' || u.hostname === '127.0.0.1') return true;
  return u.hostname === domain || u.hostname.endsWith(`.${domain}`);
}

export function authorizeHandler(s: StravaState) {
  return (c: Context) => {
    const q = new URL(c.req.url).searchParams;
    const client = s.clients.get(q.get('client_id') ?? '');
    if (!client) return badRequest('Application', 'client_id');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!redirectAllowed(redirectUri, client.callbackDomain)) return badRequest('Application', 'redirect_uri');
    if (q.get('response_type') !== 'code') return badRequest('Application', 'response_type');
    const requested = (q.get('scope') ?? 'read').split(',').filter((x) => x !== '');
    if (requested.some((x) => !SCOPES.has(x))) return badRequest('Authorize', 'scope');
    const consent = s.consents.shift() ?? (s.autoApproveAthlete === null ? null : { athleteId: s.autoApproveAthlete, decision: 'approve' as const });
    if (!consent) return new Response('<!doctype html><p>Log in to Strava</p>', { status: 200, headers: { 'Content-Type': 'text/html' } });
    const target = new URL(redirectUri);
    const state = q.get('state');
    if (state !== null) target.searchParams.set('state', state);
    if (consent.decision === 'deny') {
      target.searchParams.set('error', 'access_denied');
      return c.redirect(target.toString(), 302);
    }
    const accepted = consent.scope === undefined ? requested : consent.scope.split(',').filter((x) => requested.includes(x));
    const code = newToken(s, 'c');
    s.codes.set(code, { code, clientId: client.id, athleteId: consent.athleteId, scope: accepted.join(','), redirectUri, expiresAt: s.clock.now() + s.knobs.codeTtlMs, used: false });
    target.searchParams.set('code', code);
    target.searchParams.set('scope', accepted.join(','));
    return c.redirect(target.toString(), 302);
  };
}

function issueAccess(s: StravaState, grant: Grant): AccessToken {
  const token = newToken(s, 'a');
  // expires_at is whole epoch seconds.
  const a = { token, grantId: grant.id, expiresAt: Math.floor(s.clock.now() / 1000) * 1000 + s.knobs.accessTtlSec * 1000 };
  s.access.set(token, a);
  return a;
}

function issueRefresh(s: StravaState, grant: Grant): string {
  const token = newToken(s, 'r');
  s.refresh.set(token, { token, grantId: grant.id, rotatedAt: null });
  return token;
}

const tokenBody = (s: StravaState, a: AccessToken, refreshToken: string) => ({
  token_type: 'Bearer',
  access_token: a.token,
  expires_at: Math.floor(a.expiresAt / 1000),
  expires_in: Math.max(0, Math.floor((a.expiresAt - s.clock.now()) / 1000)),
  refresh_token: refreshToken,
});

function athleteSummary(s: StravaState, id: number) {
  const a = s.athletes.get(id);
  return { id, username: null, resource_state: 2, firstname: a?.firstname ?? 'Test', lastname: a?.lastname ?? 'Athlete' };
}

/** The newest live access token of a grant, if any. */
function liveAccess(s: StravaState, grantId: number): AccessToken | null {
  let best: AccessToken | null = null;
  for (const a of s.access.values()) if (a.grantId === grantId && a.expiresAt > s.clock.now() && (!best || a.expiresAt > best.expiresAt)) best = a;
  return best;
}

export function tokenHandler(s: StravaState) {
  return async (c: Context) => {
    const p = await params(c);
    const entry = s.calls[s.calls.length - 1];
    if (entry) {
      entry.grantType = p.grant_type ?? null;
      entry.refreshToken = p.refresh_token ?? null;
      entry.clientId = p.client_id ?? null;
    }
    const client = s.clients.get(p.client_id ?? '');
    if (!client) return badRequest('Application', 'client_id');
    if (client.secret !== p.client_secret) return badRequest('Application', 'client_secret');
    const now = s.clock.now();
    if (p.grant_type === 'authorization_code') {
      const code = s.codes.get(p.code ?? '');
      if (!code || code.used || code.expiresAt <= now || code.clientId !== client.id) return badRequest('AuthorizationCode', 'code');
      code.used = true;
      const grant: Grant = { id: s.nextId++, clientId: client.id, athleteId: code.athleteId, scope: code.scope, revoked: false };
      s.grants.set(grant.id, grant);
      if (entry) entry.athleteId = grant.athleteId;
      const a = issueAccess(s, grant);
      return json(200, { ...tokenBody(s, a, issueRefresh(s, grant)), athlete: athleteSummary(s, grant.athleteId) });
    }
    if (p.grant_type === 'refresh_token') {
      const rt = s.refresh.get(p.refresh_token ?? '');
      const grant = rt ? s.grants.get(rt.grantId) : undefined;
      const dead = !rt || !grant || grant.revoked || grant.clientId !== client.id || (rt.rotatedAt !== null && now >= rt.rotatedAt + s.knobs.oldRefreshGraceMs);
      if (dead) return badRequest('RefreshToken', 'refresh_token');
      if (entry) entry.athleteId = grant.athleteId;
      const current = liveAccess(s, grant.id);
      // Strava returns the current access token while it has more than an hour left.
      if (current && current.expiresAt - now > s.knobs.reuseAccessAboveSec * 1000) return json(200, tokenBody(s, current, rt.token));
      const a = issueAccess(s, grant);
      if (s.knobs.rotation === 'never') return json(200, tokenBody(s, a, rt.token));
      rt.rotatedAt = now;
      return json(200, tokenBody(s, a, issueRefresh(s, grant)));
    }
    return badRequest('Application', 'grant_type');
  };
}

export function revokeGrant(s: StravaState, grant: Grant): void {
  grant.revoked = true;
  for (const [k, a] of s.access) if (a.grantId === grant.id) s.access.delete(k);
  for (const [k, r] of s.refresh) if (r.grantId === grant.id) s.refresh.delete(k);
}

/** POST /oauth/deauthorize with `access_token`: revokes every token of that grant. */
export function deauthorizeHandler(s: StravaState) {
  return async (c: Context) => {
    const p = await params(c);
    const bearer = c.req.header('authorization')?.replace(/^Bearer\s+/i, '');
    const token = p.access_token ?? bearer ?? '';
    const a = s.access.get(token);
    const grant = a && a.expiresAt > s.clock.now() ? s.grants.get(a.grantId) : undefined;
    if (!grant || grant.revoked) return authError();
    revokeGrant(s, grant);
    return json(200, { access_token: token });
  };
}

/** The grant behind a Bearer token, or the 401 Strava gives. */
export function bearer(s: StravaState, c: Context): { grant: Grant } | { error: Response } {
  const token = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const a = token ? s.access.get(token) : undefined;
  const grant = a ? s.grants.get(a.grantId) : undefined;
  if (!a || !grant || grant.revoked || a.expiresAt <= s.clock.now()) return { error: authError() };
  return { grant };
}
