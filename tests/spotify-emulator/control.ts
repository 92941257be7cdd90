/**
 * The control plane under `/__emu` (spotify-emulator.md §5.6): tests script users, devices,
 * playback, the clock, revocation, faults, knobs and consent, and read the call log and token
 * states. Bodies are validated with zod; a bad body is a 400 listing the issues.
 */
import { Hono } from 'hono';
import { summarize } from './call-log';
import { body, ok } from './control-io';
import { playbackControl } from './control-playback';
import { clientSchema, clockSchema, consentSchema, faultsSchema, modeSchema, revokeSchema, usersSchema } from './control-schemas';
import { json } from './responses';
import { playerOf, toClient, toUser, type EmulatorState } from './state';
import { revokeGrant, tokensView } from './tokens';

export function controlRoutes(emu: EmulatorState, reset: () => void): Hono {
  const app = new Hono();
  const unknownUser = (user: string) => json(404, { error: `unknown user ${user}` });

  app.post('/reset', (c) => {
    reset();
    return ok();
  });

  app.route('/', playbackControl(emu));

  app.post('/clients', async (c) => {
    const input = await body(c, clientSchema);
    if (input instanceof Response) return input;
    emu.clients.set(input.id, toClient(input));
    return ok();
  });

  app.post('/users', async (c) => {
    const input = await body(c, usersSchema);
    if (input instanceof Response) return input;
    for (const u of 'users' in input ? input.users : [input]) {
      emu.users.set(u.id, toUser(u, emu.users.get(u.id)));
      playerOf(emu, u.id);
    }
    return ok();
  });

  app.get('/clock', () => json(200, { now: emu.clock.now(), iso: new Date(emu.clock.now()).toISOString() }));

  app.post('/clock', async (c) => {
    const input = await body(c, clockSchema);
    if (input instanceof Response) return input;
    if ('advanceMs' in input) emu.clock.advance(input.advanceMs);
    else emu.clock.set(input.set);
    return ok({ now: emu.clock.now(), iso: new Date(emu.clock.now()).toISOString() });
  });

  app.post('/revoke', async (c) => {
    const input = await body(c, revokeSchema);
    if (input instanceof Response) return input;
    const now = emu.clock.now();
    if ('accessToken' in input) {
      const at = emu.accessTokens.get(input.accessToken);
      if (!at) return json(404, { error: 'unknown access token' });
      at.revokedAt ??= now;
      return ok();
    }
    if ('refreshToken' in input) {
      const rt = emu.refreshTokens.get(input.refreshToken);
      if (!rt) return json(404, { error: 'unknown refresh token' });
      revokeGrant(emu, emu.grants.get(rt.grantId)!, now, emu.knobs.revokeKillsAccessTokens);
      return ok();
    }
    // T13: the user removed the app at spotify.com/account/apps.
    const kill = input.accessTokens === undefined ? emu.knobs.revokeKillsAccessTokens : input.accessTokens === 'kill';
    let revoked = 0;
    for (const g of emu.grants.values()) {
      if (g.userId === input.user && (input.clientId === undefined || g.clientId === input.clientId)) {
        revokeGrant(emu, g, now, kill);
        revoked += 1;
      }
    }
    return ok({ grants: revoked });
  });

  app.get('/faults', () => json(200, { faults: [...emu.faults.values()] }));

  app.post('/faults', async (c) => {
    const input = await body(c, faultsSchema);
    if (input instanceof Response) return input;
    if ('clear' in input) {
      if (input.route === undefined) emu.faults.clear();
      else emu.faults.delete(input.route);
      return ok();
    }
    emu.faults.set(input.route, input);
    return ok();
  });

  app.get('/mode', () => json(200, emu.knobs));

  app.post('/mode', async (c) => {
    const input = await body(c, modeSchema);
    if (input instanceof Response) return input;
    Object.assign(emu.knobs, input);
    return ok({ knobs: emu.knobs });
  });

  app.post('/consent', async (c) => {
    const input = await body(c, consentSchema);
    if (input instanceof Response) return input;
    if ('clear' in input) emu.consent.queue = [];
    else if ('auto' in input) {
      if (input.auto !== null && !emu.users.has(input.auto)) return unknownUser(input.auto);
      emu.consent.autoUser = input.auto;
    } else {
      if (!emu.users.has(input.user)) return unknownUser(input.user);
      emu.consent.queue.push({ user: input.user, decision: input.decision, scopes: input.scopes ?? null });
    }
    return ok({ queued: emu.consent.queue.length, autoUser: emu.consent.autoUser });
  });

  app.get('/calls', (c) => json(200, summarize(emu.calls, { route: c.req.query('route'), user: c.req.query('user') })));

  app.delete('/calls', () => {
    emu.calls.length = 0;
    return ok();
  });

  app.get('/tokens', (c) => json(200, tokensView(emu, emu.clock.now(), c.req.query('user'))));

  return app;
}
