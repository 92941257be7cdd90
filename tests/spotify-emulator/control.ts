/**
 * The control plane under `/__emu` (spotify-emulator.md §5.6): tests script users, devices,
 * playback, the clock, revocation, faults, knobs and consent, and read the call log and token
 * states. Bodies are validated with zod; a bad body is a 400 listing the issues.
 */
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { ad, type Playable } from './catalog';
import { summarize } from './call-log';
import {
  catalogSchema,
  clientSchema,
  clockSchema,
  consentSchema,
  devicesSchema,
  faultsSchema,
  modeSchema,
  offlinePlaysSchema,
  playbackSchema,
  revokeSchema,
  usersSchema,
  type PlayableInput,
} from './control-schemas';
import { addEntry } from './history';
import { activate, currentItem, load, pause, progressAt, resume, seek } from './player';
import { json } from './responses';
import { playerOf, toClient, toUser, type EmulatorState } from './state';
import { revokeGrant, tokensView } from './tokens';
import { recordPlay, settledPlayer, settleRules } from './user-playback';

async function body<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S> | Response> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return json(400, { error: 'body must be JSON' });
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : json(400, { error: 'invalid body', issues: parsed.error.issues });
}

const ok = (extra: Record<string, unknown> = {}) => json(200, { ok: true, ...extra });

function resolvePlayable(emu: EmulatorState, input: PlayableInput, n: number): Playable | string {
  if (typeof input === 'string') return emu.catalog.items.get(input) ?? `unknown catalog item ${input}`;
  const itemId = input.id ?? `${input.kind}${n}`.padEnd(22, '0');
  if (input.kind === 'ad') return ad(itemId, input.durationMs);
  const item: Playable = {
    kind: input.kind,
    id: itemId,
    name: input.name ?? `Emulator ${input.kind} ${n}`,
    durationMs: input.durationMs,
    artists: input.artists,
    album: input.album,
  };
  emu.catalog.items.set(item.id, item);
  return item;
}

function playerSnapshot(emu: EmulatorState, userId: string) {
  const p = settledPlayer(emu, userId);
  const item = currentItem(p);
  return {
    activeDeviceId: p.activeDeviceId,
    devices: p.devices,
    item: item && { kind: item.kind, id: item.id, name: item.name, durationMs: item.durationMs },
    index: p.index,
    queue: p.queue.map((i) => i.id),
    isPlaying: p.isPlaying,
    progressMs: progressAt(p, emu.clock.now()),
    pendingSkips: p.pending.length,
    context: p.context,
    repeat: p.repeat,
  };
}

export function controlRoutes(emu: EmulatorState, reset: () => void): Hono {
  const app = new Hono();
  const unknownUser = (user: string) => json(404, { error: `unknown user ${user}` });

  app.post('/reset', (c) => {
    reset();
    return ok();
  });

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

  app.post('/devices', async (c) => {
    const input = await body(c, devicesSchema);
    if (input instanceof Response) return input;
    if (!emu.users.has(input.user)) return unknownUser(input.user);
    const p = settledPlayer(emu, input.user);
    if (input.devices) {
      p.devices = input.devices.map((d) => ({ ...d, name: d.name ?? d.id }));
      if (p.activeDeviceId !== null && !p.devices.some((d) => d.id === p.activeDeviceId)) p.activeDeviceId = null;
    }
    if (input.active === null) p.activeDeviceId = null;
    else if (input.active !== undefined) {
      if (!p.devices.some((d) => d.id === input.active)) return json(400, { error: `unknown device ${input.active}` });
      activate(p, emu.clock.now(), input.active);
    }
    return ok({ player: playerSnapshot(emu, input.user) });
  });

  app.post('/playback', async (c) => {
    const input = await body(c, playbackSchema);
    if (input instanceof Response) return input;
    if (!emu.users.has(input.user)) return unknownUser(input.user);
    const now = emu.clock.now();
    const p = settledPlayer(emu, input.user);
    const onPlay = (r: Parameters<typeof recordPlay>[2]) => recordPlay(emu, input.user, r);
    if (input.deviceId !== undefined) {
      if (!p.devices.some((d) => d.id === input.deviceId)) return json(400, { error: `unknown device ${input.deviceId}` });
      activate(p, now, input.deviceId);
    } else if (p.activeDeviceId === null && p.devices[0]) {
      activate(p, now, p.devices[0].id);
    }
    if (input.repeat) p.repeat = input.repeat;
    if (input.shuffle !== undefined) p.shuffle = input.shuffle;
    if (input.queue || input.contextUri) {
      let queue: Playable[] = [];
      let context = null;
      if (input.contextUri) {
        const playlist = emu.catalog.playlists.get(input.contextUri.split(':').pop() ?? '');
        if (!playlist) return json(400, { error: `unknown playlist ${input.contextUri}` });
        queue = playlist.itemIds.map((i) => emu.catalog.items.get(i)!).filter(Boolean);
        context = { type: 'playlist', uri: input.contextUri };
      }
      if (input.queue) {
        const resolved = input.queue.map((q, n) => resolvePlayable(emu, q, n));
        const problem = resolved.find((r) => typeof r === 'string');
        if (problem !== undefined) return json(400, { error: problem });
        queue = resolved as Playable[];
      }
      load(p, now, { queue, index: input.index, positionMs: input.positionMs ?? 0, context, play: input.isPlaying ?? true }, settleRules(emu), onPlay);
    } else {
      if (input.positionMs !== undefined) seek(p, now, input.positionMs);
      if (input.isPlaying === true) resume(p, now);
      if (input.isPlaying === false) pause(p, now);
    }
    return ok({ player: playerSnapshot(emu, input.user) });
  });

  app.get('/playback', (c) => {
    const user = c.req.query('user') ?? '';
    if (!emu.users.has(user)) return unknownUser(user);
    return json(200, playerSnapshot(emu, user));
  });

  app.post('/catalog', async (c) => {
    const input = await body(c, catalogSchema);
    if (input instanceof Response) return input;
    for (const t of input.tracks) emu.catalog.items.set(t.id, { kind: 'track', ...t });
    for (const e of input.episodes) {
      emu.catalog.items.set(e.id, { kind: 'episode', id: e.id, name: e.name, durationMs: e.durationMs, artists: [e.show], album: e.show });
    }
    for (const p of input.playlists) emu.catalog.playlists.set(p.id, p);
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

  app.post('/offline-plays', async (c) => {
    const input = await body(c, offlinePlaysSchema);
    if (input instanceof Response) return input;
    if (!emu.users.has(input.user)) return unknownUser(input.user);
    const now = emu.clock.now();
    settledPlayer(emu, input.user);
    const lag = input.lagMs ?? emu.knobs.historyLagMs;
    let entries = emu.history.get(input.user) ?? [];
    for (const play of input.plays) {
      const item = emu.catalog.items.get(play.trackId);
      if (!item || item.kind !== 'track') return json(400, { error: `unknown track ${play.trackId}` });
      const end = play.startedAt + (play.durationMs ?? item.durationMs);
      // P15: backdated entries, inserted at "sync time" (now + lag).
      entries = addEntry(entries, { item, playedAt: emu.knobs.playedAt === 'end' ? end : play.startedAt, visibleAt: now + lag, context: null }, now);
    }
    emu.history.set(input.user, entries);
    return ok({ retained: entries.length });
  });

  app.get('/calls', (c) => json(200, summarize(emu.calls, { route: c.req.query('route'), user: c.req.query('user') })));

  app.delete('/calls', () => {
    emu.calls.length = 0;
    return ok();
  });

  app.get('/tokens', (c) => json(200, tokensView(emu, emu.clock.now(), c.req.query('user'))));

  return app;
}
