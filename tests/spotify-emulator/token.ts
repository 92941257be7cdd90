/** `POST /api/token` (T1–T15). */
import type { Context } from 'hono';
import type { CallEntry } from './call-log';
import type { Sleep } from './gate';
import { isValidVerifier, s256Challenge } from './pkce';
import { json, tokenError, type EmuEnv } from './responses';
import type { Client, EmulatorState } from './state';
import { ACCESS_TOKEN_LIFETIME_MS, exchangeCode, findGrantOf, refresh } from './tokens';

type Form = Record<string, string>;

function isForm(c: Context<EmuEnv>): boolean {
  return (c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

async function readForm(c: Context<EmuEnv>): Promise<Form> {
  const body = await c.req.parseBody();
  const form: Form = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') form[k] = v;
  return form;
}

function basicCredentials(c: Context<EmuEnv>): { id: string; secret: string } | null {
  const m = /^Basic\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? { id: decoded, secret: '' } : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** Fill the call log entry before any fault can short-circuit the call (G6: per RT counts). */
export async function inspectTokenCall(c: Context<EmuEnv>, entry: CallEntry, emu: EmulatorState): Promise<void> {
  const basic = basicCredentials(c);
  const form = isForm(c) ? await readForm(c) : {};
  entry.clientId = basic?.id ?? form.client_id ?? null;
  entry.grantType = form.grant_type ?? null;
  if (form.grant_type === 'refresh_token' && form.refresh_token !== undefined) {
    entry.refreshToken = form.refresh_token;
    entry.userId = findGrantOf(emu, form.refresh_token)?.userId ?? null;
  }
}

type ClientAuth = { client: Client; secretVerified: boolean } | Response;

/** T2: Basic auth, or (knob) client_id + client_secret in the body; client_id alone for PKCE. */
function authenticate(c: Context<EmuEnv>, form: Form, emu: EmulatorState): ClientAuth {
  const basic = basicCredentials(c);
  const bodySecret = emu.knobs.acceptBodyClientSecret ? form.client_secret : undefined;
  const id = basic?.id ?? form.client_id;
  const secret = basic ? basic.secret : bodySecret;
  const client = id === undefined ? undefined : emu.clients.get(id);
  if (!client) return tokenError('invalid_client', 'Invalid client');
  if (secret !== undefined && secret !== client.secret) return tokenError('invalid_client', 'Invalid client secret');
  return { client, secretVerified: secret !== undefined };
}

function tokenJson(body: Record<string, unknown>): Response {
  return json(200, body, { 'Cache-Control': 'no-store' });
}

async function authorizationCode(form: Form, auth: { client: Client; secretVerified: boolean }, emu: EmulatorState, entry: CallEntry) {
  // Hash first: from the code lookup to marking it used nothing may await, or two concurrent
  // exchanges of one code could both succeed.
  const verifier = form.code_verifier;
  const presented = verifier !== undefined && isValidVerifier(verifier) ? await s256Challenge(verifier) : null;
  const now = emu.clock.now();
  const code = emu.codes.get(form.code ?? '');
  if (!code || code.used || now >= code.expiresAt || code.clientId !== auth.client.id) {
    return tokenError('invalid_grant', 'Invalid authorization code');
  }
  if (form.redirect_uri !== code.redirectUri) return tokenError('invalid_grant', 'Invalid redirect URI');
  if (code.codeChallenge !== null) {
    if (presented !== code.codeChallenge) {
      return tokenError('invalid_grant', 'code_verifier was incorrect');
    }
  } else if (!auth.secretVerified) {
    return tokenError('invalid_client', 'Invalid client');
  }
  const issued = exchangeCode(emu, code, now);
  entry.userId = issued.grant.userId;
  return tokenJson({
    access_token: issued.accessToken.token,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_LIFETIME_MS / 1000,
    refresh_token: issued.refreshToken.token,
    scope: issued.grant.scopes.join(' '),
  });
}

function refreshGrant(form: Form, auth: { client: Client; secretVerified: boolean }, emu: EmulatorState) {
  const token = form.refresh_token;
  if (token === undefined || token === '') return tokenError('invalid_request', 'refresh_token must be supplied');
  const grant = findGrantOf(emu, token);
  // A confidential grant needs the secret; a PKCE grant is refreshed with client_id alone.
  if (grant && !grant.pkce && !auth.secretVerified) return tokenError('invalid_client', 'Invalid client');
  const outcome = refresh(emu, token, auth.client.id, emu.clock.now());
  if (!outcome.ok) return tokenError('invalid_grant', outcome.description);
  const body: Record<string, unknown> = {
    access_token: outcome.accessToken.token,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_LIFETIME_MS / 1000,
    // T11: the grant's scopes, which may be fewer than were requested; never wider.
    scope: outcome.grant.scopes.join(' '),
  };
  if (outcome.refreshToken) body.refresh_token = outcome.refreshToken.token;
  return tokenJson(body);
}

export function tokenHandler(emu: EmulatorState, sleep: Sleep) {
  return async (c: Context<EmuEnv>): Promise<Response> => {
    if (emu.knobs.tokenDelayMs > 0) await sleep(emu.knobs.tokenDelayMs);
    if (!isForm(c)) {
      return tokenError('invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = await readForm(c);
    if (form.grant_type === undefined) return tokenError('unsupported_grant_type', 'grant_type parameter is missing');
    if (form.grant_type !== 'authorization_code' && form.grant_type !== 'refresh_token') {
      return tokenError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token in the emulator');
    }
    const auth = authenticate(c, form, emu);
    if (auth instanceof Response) return auth;
    return form.grant_type === 'authorization_code'
      ? authorizationCode(form, auth, emu, c.get('call'))
      : refreshGrant(form, auth, emu);
  };
}
