/** Control plane for devices, playback, the catalog and offline plays (users' music side). */
import { Hono } from 'hono';
import { ad, type Playable } from './catalog';
import { catalogSchema, devicesSchema, offlinePlaysSchema, playbackSchema, type PlayableInput } from './control-schemas';
import { body, ok } from './control-io';
import { addEntry } from './history';
import { activate, currentItem, load, pause, progressAt, resume, seek } from './player';
import { json } from './responses';
import type { EmulatorState } from './state';
import { recordPlay, settledPlayer, settleRules } from './user-playback';

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

export function playbackControl(emu: EmulatorState): Hono {
  const app = new Hono();
  const unknownUser = (user: string) => json(404, { error: `unknown user ${user}` });

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

  return app;
}
