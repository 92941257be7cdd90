/**
 * `GET /authorize` (A1–A6). Errors about the client or redirect URI are shown as a page and never
 * redirect (A2); everything after that comes back to the redirect URI. Consent is scripted with
 * `/__emu/consent`, auto-approved as the default user, or (for a human trying the demo) chosen on
 * a small page whose links add `emu_user` and `emu_decision` to the same URL.
 */
import type { Context } from 'hono';
import { redirectUriMatches } from './redirect-uri';
import { errorPage, type EmuEnv } from './responses';
import { KNOWN_SCOPES, parseScopes } from './scopes';
import type { ConsentDecision, EmulatorState } from './state';

function redirectBack(redirectUri: string, params: Record<string, string>, state: string | undefined): Response {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  // A5: echo `state` unchanged, and omit it when absent; validating it is the server's job.
  if (state !== undefined) url.searchParams.set('state', state);
  return new Response(null, { status: 302, headers: { Location: url.href } });
}

function decisionFor(c: Context<EmuEnv>, emu: EmulatorState): ConsentDecision | null {
  const user = c.req.query('emu_user');
  const decision = c.req.query('emu_decision');
  if (user !== undefined) return { user, decision: decision === 'deny' ? 'deny' : 'approve', scopes: null };
  const scripted = emu.consent.queue.shift();
  if (scripted) return scripted;
  return emu.consent.autoUser === null ? null : { user: emu.consent.autoUser, decision: 'approve', scopes: null };
}

function consentPage(c: Context<EmuEnv>, emu: EmulatorState): Response {
  const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const link = (user: string, decision: string) => {
    const url = new URL(c.req.url);
    url.searchParams.set('emu_user', user);
    url.searchParams.set('emu_decision', decision);
    return escape(url.pathname + url.search);
  };
  const rows = [...emu.users.values()]
    .map((u) => `<li>${escape(u.displayName)} (${u.product}) <a href="${link(u.id, 'approve')}">Agree</a> <a href="${link(u.id, 'deny')}">Cancel</a></li>`)
    .join('');
  const html = `<!doctype html><html><head><title>Spotify emulator: consent</title></head><body><h1>Log in as</h1><ul>${rows}</ul></body></html>`;
  return new Response(html, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

export function authorizeHandler(emu: EmulatorState) {
  return (c: Context<EmuEnv>): Response => {
    const q = c.req.query();
    const entry = c.get('call');
    const client = emu.clients.get(q.client_id ?? '');
    if (!client) return errorPage('INVALID_CLIENT: Invalid client');
    entry.clientId = client.id;
    const redirectUri = q.redirect_uri;
    if (redirectUri === undefined || !redirectUriMatches(redirectUri, client.redirectUris)) {
      return errorPage('INVALID_CLIENT: Invalid redirect URI');
    }
    const back = (params: Record<string, string>) => redirectBack(redirectUri, params, q.state);
    if (q.response_type !== 'code') return back({ error: 'unsupported_response_type' });
    const challenge = q.code_challenge ?? null;
    if (challenge !== null || q.code_challenge_method !== undefined) {
      if (q.code_challenge_method !== 'S256') {
        return back({ error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
      }
      if (challenge === null || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
        return back({ error: 'invalid_request', error_description: 'code_challenge must be a base64url SHA-256' });
      }
    }
    const requested = parseScopes(q.scope);
    if (requested.some((s) => !KNOWN_SCOPES.has(s))) return back({ error: 'invalid_scope' });
    const decision = decisionFor(c, emu);
    if (decision === null) return consentPage(c, emu);
    if (!emu.users.has(decision.user)) return errorPage(`INVALID_USER: Unknown emulator user ${decision.user}`);
    entry.userId = decision.user;
    if (decision.decision === 'deny') return back({ error: 'access_denied' });
    const granted = decision.scopes;
    const code = `AQ${emu.ids.token(100)}`;
    emu.codes.set(code, {
      code,
      clientId: client.id,
      userId: decision.user,
      redirectUri,
      scopes: granted === null ? requested : requested.filter((s) => granted.includes(s)),
      codeChallenge: challenge,
      expiresAt: emu.clock.now() + emu.knobs.codeTtlMs,
      used: false,
    });
    return back({ code });
  };
}
