/**
 * intervals.icu OAuth as the emulator serves it (README "OAuth" names the source, the forum post
 * "Intervals.icu OAuth support", forum.intervals.icu/t/2759):
 *   GET  /oauth/authorize?client_id&redirect_uri&scope&state   consent (scripted), then a redirect
 *        to `redirect_uri?code=…&state=…`, or `?error=access_denied` when the athlete declines
 *   POST /api/oauth/token (form: client_id, client_secret, code)  → {token_type, access_token,
 *        scope, athlete:{id, name}}; the code is single-use and lives 2 minutes
 * An access token has no expiry and there is no refresh token; it stops working when the athlete
 * removes the app on intervals.icu (settings), which `/__emu/revoke-app` stands for.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';

export const OAUTH_SCOPES = ['ACTIVITY:READ', 'ACTIVITY:WRITE', 'WELLNESS:READ', 'WELLNESS:WRITE', 'CALENDAR:READ', 'CALENDAR:WRITE', 'SETTINGS:READ', 'SETTINGS:WRITE'];
/** The forum post: "the server must exchange the code for an access token within 2 minutes". */
export const CODE_TTL_MS = 2 * 60_000;

export interface OAuthClient {
  id: string;
  secret: string;
}

/** How the athlete answers the next authorize page: approve (all or some of the scopes) or decline. */
export interface Consent {
  athleteId: string;
  decision: 'approve' | 'deny';
  /** Comma-separated scopes the athlete leaves ticked (default: every one requested). */
  scope?: string;
}

export interface OAuthToken {
  token: string;
  clientId: string;
  athleteId: string;
  scopes: string[];
  revoked: boolean;
}

export function createOAuthState(clients: OAuthClient[]) {
  return {
    clients: new Map(clients.map((c) => [c.id, c])),
    consents: [] as Consent[],
    codes: new Map<string, { clientId: string; athleteId: string; scopes: string[]; expiresAt: number; used: boolean }>(),
    tokens: new Map<string, OAuthToken>(),
  };
}

export type OAuthState = ReturnType<typeof createOAuthState>;

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const page = (status: number, text: string) => new Response(`<!doctype html><title>intervals.icu</title><p>${text}</p>`, { status, headers: { 'Content-Type': 'text/html' } });

/** The athlete behind a consent when none is scripted: `autoConsent` (null: the page waits for a login). */
export function authorizeHandler(s: OAuthState, now: () => number, autoConsent: () => string | null) {
  return (c: Context) => {
    const q = new URL(c.req.url).searchParams;
    if (!s.clients.has(q.get('client_id') ?? '')) return page(400, 'Unknown client_id');
    let target: URL;
    try {
      target = new URL(q.get('redirect_uri') ?? '');
    } catch {
      return page(400, 'Invalid redirect_uri');
    }
    const requested = (q.get('scope') ?? '').split(',').filter(Boolean);
    if (requested.length === 0 || requested.some((x) => !OAUTH_SCOPES.includes(x))) return page(400, 'Invalid scope');
    const auto = autoConsent();
    const consent = s.consents.shift() ?? (auto === null ? null : { athleteId: auto, decision: 'approve' as const });
    if (!consent) return page(200, 'Log in to intervals.icu');
    const state = q.get('state');
    if (state !== null) target.searchParams.set('state', state);
    if (consent.decision === 'deny') {
      target.searchParams.set('error', 'access_denied');
      return c.redirect(target.href, 302);
    }
    const scopes = consent.scope === undefined ? requested : consent.scope.split(',').filter((x) => requested.includes(x));
    const code = randomBytes(16).toString('hex');
    s.codes.set(code, { clientId: q.get('client_id')!, athleteId: consent.athleteId, scopes, expiresAt: now() + CODE_TTL_MS, used: false });
    target.searchParams.set('code', code);
    return c.redirect(target.href, 302);
  };
}

export function tokenHandler(s: OAuthState, now: () => number, athleteName: (id: string) => string) {
  return async (c: Context) => {
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const p = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    const client = s.clients.get(p('client_id'));
    if (!client || client.secret !== p('client_secret')) return json(401, { error: 'invalid_client' });
    const code = s.codes.get(p('code'));
    if (!code || code.used || code.expiresAt <= now() || code.clientId !== client.id) return json(400, { error: 'invalid_grant' });
    code.used = true;
    const token = randomBytes(24).toString('hex');
    s.tokens.set(token, { token, clientId: client.id, athleteId: code.athleteId, scopes: code.scopes, revoked: false });
    return json(200, { token_type: 'Bearer', access_token: token, scope: code.scopes.join(','), athlete: { id: code.athleteId, name: athleteName(code.athleteId) } });
  };
}

/** The athlete removes the app on intervals.icu: every token of that app for them stops working. */
export function revokeApp(s: OAuthState, athleteId: string, clientId?: string): number {
  let n = 0;
  for (const t of s.tokens.values()) {
    if (t.athleteId === athleteId && (clientId === undefined || t.clientId === clientId) && !t.revoked) {
      t.revoked = true;
      n += 1;
    }
  }
  return n;
}

/** The scope an API route needs with an OAuth token (a personal key may do anything its owner can). */
export function scopeFor(route: string): string | null {
  if (route === 'POST /api/v1/athlete/:id/activities') return 'ACTIVITY:WRITE';
  if (route === 'GET /api/v1/athlete/:id/activities') return 'ACTIVITY:READ';
  if (route === 'PUT /api/v1/athlete/:id/wellness/:date') return 'WELLNESS:WRITE';
  if (route === 'GET /api/v1/athlete/:id/wellness/:date') return 'WELLNESS:READ';
  return null;
}

/** A WRITE scope includes reading the same data. */
export const hasScope = (scopes: string[], needed: string) => scopes.includes(needed) || (needed.endsWith(':READ') && scopes.includes(needed.replace(/:READ$/, ':WRITE')));
