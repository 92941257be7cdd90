/**
 * Player commands (P8–P11): PUT play/pause, POST next/previous, PUT /me/player (transfer),
 * PUT volume. Checks in Spotify's order as observed: scope, Premium (403 PREMIUM_REQUIRED),
 * device (404 NO_ACTIVE_DEVICE), then the command itself (403 "Restriction violated" when
 * redundant). Success is 204, or 200 with an opaque body (knob), so clients must not parse it.
 */
import type { Context } from 'hono';
import { parseUri, type Playable } from './catalog';
import { requireScope } from './api-auth';
import {
  activate,
  activeDevice,
  currentItem,
  load,
  pause,
  resume,
  scheduleSkip,
  type Player,
  type SkipDirection,
} from './player';
import { apiError, RESTRICTION_VIOLATED, type EmuEnv } from './responses';
import type { EmulatorState } from './state';
import { recordPlay, settledPlayer, settleRules } from './user-playback';

const restriction = () => apiError(403, RESTRICTION_VIOLATED, 'UNKNOWN');

function premiumPlayer(c: Context<EmuEnv>, emu: EmulatorState): Player | Response {
  const denied = requireScope(c, 'user-modify-playback-state');
  if (denied) return denied;
  const { user } = c.get('auth');
  if (user.product !== 'premium') return apiError(403, 'Player command failed: Premium required', 'PREMIUM_REQUIRED');
  return settledPlayer(emu, user.id);
}

/** The player with a usable device; `device_id` of a listed inactive device activates it (P9). */
function commandPlayer(c: Context<EmuEnv>, emu: EmulatorState, activateTarget = true): Player | Response {
  const p = premiumPlayer(c, emu);
  if (p instanceof Response) return p;
  const deviceId = c.req.query('device_id');
  const device = deviceId === undefined ? activeDevice(p) : p.devices.find((d) => d.id === deviceId);
  if (!device) {
    return deviceId === undefined
      ? apiError(404, 'Player command failed: No active device found', 'NO_ACTIVE_DEVICE')
      : apiError(404, 'Device not found');
  }
  if (device.isRestricted) return restriction();
  if (activateTarget) activate(p, emu.clock.now(), device.id);
  return p;
}

function success(emu: EmulatorState): Response {
  const style = emu.knobs.commandSuccess;
  const opaque = style === '200-opaque' || (style === 'random' && emu.chance.next() < 0.5);
  if (!opaque) return new Response(null, { status: 204 });
  // Observed: a 200 whose body is an opaque id, not JSON, even though it is labelled as such.
  return new Response(emu.ids.token(27), { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
}

async function jsonBody(c: Context<EmuEnv>): Promise<Record<string, unknown> | null | Response> {
  const raw = await c.req.text();
  if (raw.trim() === '') return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : apiError(400, 'Malformed json');
  } catch {
    return apiError(400, 'Malformed json');
  }
}

export function pauseHandler(emu: EmulatorState) {
  return (c: Context<EmuEnv>): Response => {
    const p = commandPlayer(c, emu);
    if (p instanceof Response) return p;
    return pause(p, emu.clock.now()) ? success(emu) : restriction();
  };
}

interface PlayTarget {
  queue: Playable[];
  context: { type: string; uri: string } | null;
}

function resolvePlayTarget(body: Record<string, unknown>, emu: EmulatorState): PlayTarget | Response | null {
  const { catalog } = emu;
  if (typeof body.context_uri === 'string') {
    const ref = parseUri(body.context_uri);
    const playlist = ref?.type === 'playlist' ? catalog.playlists.get(ref.id) : undefined;
    if (!playlist) return apiError(400, 'Invalid context uri');
    const queue = playlist.itemIds.map((id) => catalog.items.get(id)).filter((i): i is Playable => i !== undefined);
    return { queue, context: { type: 'playlist', uri: body.context_uri } };
  }
  if (Array.isArray(body.uris)) {
    const queue: Playable[] = [];
    for (const uri of body.uris) {
      const ref = typeof uri === 'string' ? parseUri(uri) : null;
      const item = ref && (ref.type === 'track' || ref.type === 'episode') ? catalog.items.get(ref.id) : undefined;
      if (!item) return apiError(400, `Invalid track uri: ${String(uri)}`);
      queue.push(item);
    }
    return { queue, context: null };
  }
  return null;
}

function offsetIndex(body: Record<string, unknown>, queue: Playable[]): number {
  const offset = body.offset as { position?: unknown; uri?: unknown } | undefined;
  if (typeof offset?.position === 'number') return offset.position;
  if (typeof offset?.uri === 'string') {
    const ref = parseUri(offset.uri);
    return Math.max(0, queue.findIndex((i) => i.id === ref?.id));
  }
  return 0;
}

export function playHandler(emu: EmulatorState) {
  return async (c: Context<EmuEnv>): Promise<Response> => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const p = commandPlayer(c, emu);
    if (p instanceof Response) return p;
    const now = emu.clock.now();
    const target = body === null ? null : resolvePlayTarget(body, emu);
    if (target instanceof Response) return target;
    if (target === null || body === null) return resume(p, now) ? success(emu) : restriction();
    const index = offsetIndex(body, target.queue);
    if (index >= target.queue.length) return apiError(400, 'Invalid offset');
    const positionMs = typeof body.position_ms === 'number' ? body.position_ms : 0;
    load(p, now, { ...target, index, positionMs, play: true }, settleRules(emu), (r) => recordPlay(emu, c.get('auth').user.id, r));
    return success(emu);
  };
}

export function skipHandler(emu: EmulatorState, direction: SkipDirection) {
  return (c: Context<EmuEnv>): Response => {
    const p = commandPlayer(c, emu);
    if (p instanceof Response) return p;
    if (!currentItem(p)) return restriction();
    const { min, max } = emu.knobs.skipDelayMs;
    const delay = max > min ? emu.chance.int(min, max) : min;
    scheduleSkip(p, emu.clock.now() + delay, direction);
    settledPlayer(emu, c.get('auth').user.id);
    return success(emu);
  };
}

export function transferHandler(emu: EmulatorState) {
  return async (c: Context<EmuEnv>): Promise<Response> => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const p = premiumPlayer(c, emu);
    if (p instanceof Response) return p;
    const ids = body?.device_ids;
    if (!Array.isArray(ids) || ids.length !== 1 || typeof ids[0] !== 'string') {
      return apiError(400, 'Exactly one device_id must be supplied in device_ids');
    }
    const device = p.devices.find((d) => d.id === ids[0]);
    if (!device) return apiError(404, 'Device not found');
    if (device.isRestricted) return restriction();
    activate(p, emu.clock.now(), device.id, body?.play === true);
    return success(emu);
  };
}

export function volumeHandler(emu: EmulatorState) {
  return (c: Context<EmuEnv>): Response => {
    const raw = c.req.query('volume_percent');
    const volume = raw === undefined ? NaN : Number(raw);
    if (!Number.isInteger(volume) || volume < 0 || volume > 100) {
      return apiError(400, 'volume_percent must be an integer between 0 and 100');
    }
    const p = commandPlayer(c, emu, false);
    if (p instanceof Response) return p;
    const deviceId = c.req.query('device_id') ?? p.activeDeviceId;
    const device = p.devices.find((d) => d.id === deviceId)!;
    if (!device.supportsVolume) return apiError(403, 'Cannot control device volume', 'VOLUME_CONTROL_DISALLOW');
    device.volumePercent = volume;
    return success(emu);
  };
}
