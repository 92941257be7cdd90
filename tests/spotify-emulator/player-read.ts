/** GET /v1/me/player, /currently-playing, /devices (P2–P7). */
import type { Context } from 'hono';
import { episodeJson, trackJson } from './catalog';
import { requireScope } from './api-auth';
import { activeDevice, currentItem, progressAt, type Device, type Player } from './player';
import { json, type EmuEnv } from './responses';
import type { EmulatorState } from './state';
import { settledPlayer } from './user-playback';

export function deviceJson(d: Device, activeId: string | null) {
  return {
    id: d.id,
    is_active: d.id === activeId,
    is_private_session: d.isPrivateSession,
    is_restricted: d.isRestricted,
    name: d.name,
    supports_volume: d.supportsVolume,
    type: d.type,
    volume_percent: d.supportsVolume ? d.volumePercent : null,
  };
}

/** P3: episodes are hidden behind `additional_types=episode`; ads never have an item. */
function playingJson(p: Player, now: number, additionalTypes: string[]) {
  const item = currentItem(p);
  const kind = item?.kind ?? 'unknown';
  let itemJson: unknown = null;
  if (item?.kind === 'track') itemJson = trackJson(item);
  if (item?.kind === 'episode' && additionalTypes.includes('episode')) itemJson = episodeJson(item);
  return {
    context: p.context && { type: p.context.type, uri: p.context.uri, href: null, external_urls: {} },
    progress_ms: item ? progressAt(p, now) : null,
    item: itemJson,
    currently_playing_type: kind,
    actions: { disallows: p.isPlaying ? { resuming: true } : { pausing: true } },
    is_playing: p.isPlaying,
  };
}

const additionalTypes = (c: Context<EmuEnv>) => (c.req.query('additional_types') ?? '').split(',');

function noContent(): Response {
  return new Response(null, { status: 204 });
}

export function currentlyPlayingHandler(emu: EmulatorState) {
  return (c: Context<EmuEnv>): Response => {
    const denied = requireScope(c, 'user-read-currently-playing', 'user-read-playback-state');
    if (denied) return denied;
    const now = emu.clock.now();
    const p = settledPlayer(emu, c.get('auth').user.id);
    const device = activeDevice(p);
    if (!device || !currentItem(p)) return noContent();
    if (device.isPrivateSession && emu.knobs.privateSession204) return noContent();
    const p204 = emu.knobs.spurious204Probability;
    if (p204 > 0 && emu.chance.next() < p204) return noContent();
    // P2: timestamp is "now" here, unlike GET /me/player.
    return json(200, { timestamp: now, ...playingJson(p, now, additionalTypes(c)) });
  };
}

export function playerStateHandler(emu: EmulatorState) {
  return (c: Context<EmuEnv>): Response => {
    const denied = requireScope(c, 'user-read-playback-state');
    if (denied) return denied;
    const now = emu.clock.now();
    const p = settledPlayer(emu, c.get('auth').user.id);
    const device = activeDevice(p);
    if (!device) return noContent();
    return json(200, {
      device: deviceJson(device, p.activeDeviceId),
      repeat_state: p.repeat,
      shuffle_state: p.shuffle,
      smart_shuffle: false,
      // P6: timestamp is the last state change.
      timestamp: p.changedAt,
      ...playingJson(p, now, additionalTypes(c)),
    });
  };
}

export function devicesHandler(emu: EmulatorState) {
  return (c: Context<EmuEnv>): Response => {
    const denied = requireScope(c, 'user-read-playback-state');
    if (denied) return denied;
    const p = settledPlayer(emu, c.get('auth').user.id);
    return json(200, { devices: p.devices.map((d) => deviceJson(d, p.activeDeviceId)) });
  };
}
