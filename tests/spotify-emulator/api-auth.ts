/**
 * Cross-cutting Web API checks (X1–X4) after the gate: bearer token (401), rate window and quota
 * (429), development-mode rules (403), then the handler checks its own scope with `requireScope`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { admit } from './rate-limit';
import { apiError, text, type EmuEnv } from './responses';
import type { EmulatorState } from './state';
import { accessTokenState } from './tokens';

type Failure = 'missing' | 'invalid' | 'expired';

const LEGACY_401: Record<Failure, string> = {
  missing: 'No token provided',
  invalid: 'Invalid access token',
  expired: 'The access token expired',
};

function unauthorized(emu: EmulatorState, failure: Failure): Response {
  const message = emu.knobs.unauthorizedText === 'legacy' ? LEGACY_401[failure] : 'Missing/invalid/expired access token';
  return apiError(401, message, undefined, {
    'WWW-Authenticate': `Bearer realm="spotify", error="invalid_token", error_description="${message}"`,
  });
}

const NOT_REGISTERED = 'User not registered in the Developer Dashboard';

export function apiAuth(emu: EmulatorState): MiddlewareHandler<EmuEnv> {
  return async (c, next) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!m) return unauthorized(emu, 'missing');
    const now = emu.clock.now();
    const at = emu.accessTokens.get(m[1]!);
    if (!at) return unauthorized(emu, 'invalid');
    const status = accessTokenState(at, now);
    if (status !== 'active') return unauthorized(emu, status === 'expired' ? 'expired' : 'invalid');
    const grant = emu.grants.get(at.grantId)!;
    const client = emu.clients.get(grant.clientId);
    const user = emu.users.get(grant.userId);
    if (!client || !user) return unauthorized(emu, 'invalid');
    const entry = c.get('call');
    entry.clientId = client.id;
    entry.userId = user.id;

    const admission = admit(emu.rate, emu.knobs, client.id, client.developer, now);
    if (!admission.ok) {
      const headers = { 'Retry-After': String(admission.retryAfterS) };
      if (admission.kind === 'quota') return apiError(429, 'API rate limit exceeded', 'QUOTA_EXCEEDED', headers);
      if (emu.knobs.rateLimit?.body === 'json') return apiError(429, 'API rate limit exceeded', undefined, headers);
      return text(429, 'Too many requests', headers);
    }

    if (client.quotaMode === 'development') {
      const owner = [...emu.users.values()].find((u) => u.owner);
      if (owner && owner.product !== 'premium') {
        return apiError(403, 'Active premium subscription required for the owner of the app.');
      }
      if (!user.allowlisted) {
        return emu.knobs.notAllowlistedBody === 'text' ? text(403, NOT_REGISTERED) : apiError(403, NOT_REGISTERED);
      }
    }
    c.set('auth', { client, user, grant });
    await next();
  };
}

/** X3: 403 unless the grant holds one of `anyOf`. The message is our choice (C). */
export function requireScope(c: Context<EmuEnv>, ...anyOf: string[]): Response | null {
  const scopes = c.get('auth').grant.scopes;
  return anyOf.some((s) => scopes.includes(s)) ? null : apiError(403, 'Insufficient client scope');
}
