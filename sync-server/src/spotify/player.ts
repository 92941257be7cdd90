import type { Grants } from './grants';
import { PLAYER_SETTLE_MS } from './now-playing';
import type { NowPlayingCache } from './now-playing-cache';
import { problem, type Problem } from './problems';
import { errorReason, type ApiAnswer } from './spotify-http';
import type { WebApi } from './web-api';

/**
 * Player commands and the small reads around them (spotify-emulator.md P7–P10, §3 rule 5).
 * Any 2xx is success and the body is never parsed (Spotify answers 204, or 200 with an opaque
 * text). PREMIUM_REQUIRED and NO_ACTIVE_DEVICE are told apart by `reason`; after
 * NO_ACTIVE_DEVICE the command is retried once on a listed device. A 403 that is neither
 * (Spotify's "Restriction violated", reason UNKNOWN) on play/pause means the player is already
 * in that state: a no-op success.
 */
export type Command = 'play' | 'pause' | 'next' | 'previous';
export type Ok<T = object> = { ok: true } & T;

export interface Device {
  id: string;
  name: string;
  type: string;
  isActive: boolean;
  isRestricted: boolean;
  volumePercent: number | null;
  supportsVolume: boolean;
}

const ROUTES: Record<Command, { method: string; path: string }> = {
  play: { method: 'PUT', path: '/v1/me/player/play' },
  pause: { method: 'PUT', path: '/v1/me/player/pause' },
  next: { method: 'POST', path: '/v1/me/player/next' },
  previous: { method: 'POST', path: '/v1/me/player/previous' },
};

const withDevice = (path: string, deviceId: string | null) => (deviceId ? `${path}${path.includes('?') ? '&' : '?'}device_id=${encodeURIComponent(deviceId)}` : path);

function toDevice(d: Record<string, unknown>): Device | null {
  if (typeof d.id !== 'string' || d.id === '') return null;
  return {
    id: d.id,
    name: typeof d.name === 'string' ? d.name : 'Device',
    type: typeof d.type === 'string' ? d.type : 'Unknown',
    isActive: d.is_active === true,
    isRestricted: d.is_restricted === true,
    volumePercent: typeof d.volume_percent === 'number' ? d.volume_percent : null,
    supportsVolume: d.supports_volume !== false,
  };
}

export function createPlayer(deps: { api: WebApi; store: Grants; cache: NowPlayingCache; now: () => number }) {
  const { api } = deps;

  async function devices(memberId: string): Promise<Ok<{ devices: Device[] }> | Problem> {
    const r = await api.call(memberId, 'GET', '/v1/me/player/devices', { idempotent: true });
    if (!r.ok) return r;
    const a = r.answer;
    if (a.status !== 200) {
      const refused = refusal(a, false);
      return refused.ok ? problem('unavailable', 2_000) : refused;
    }
    const list = (a.json as { devices?: unknown })?.devices;
    return { ok: true, devices: Array.isArray(list) ? list.map((d) => toDevice(d as Record<string, unknown>)).filter((d): d is Device => d !== null) : [] };
  }

  function refusal(a: ApiAnswer, redundantIsSuccess: boolean): Ok | Problem {
    if (a.status < 300) return { ok: true };
    const reason = errorReason(a.json);
    if (a.status === 403 && reason === 'PREMIUM_REQUIRED') return problem('premium_required');
    if (a.status === 403 && reason === 'VOLUME_CONTROL_DISALLOW') return problem('volume_unsupported');
    if (a.status === 404 && reason === 'NO_ACTIVE_DEVICE') return problem('no_active_device');
    if (a.status === 403 && redundantIsSuccess) return { ok: true };
    if (a.status === 403) return problem('forbidden');
    if (a.status === 404) return problem('device_not_found');
    if (a.status === 400) return problem('invalid_request');
    return problem('unavailable', 2_000);
  }

  /** Sends a command; after NO_ACTIVE_DEVICE, once more on a listed device. */
  async function send(memberId: string, method: string, path: string, body: unknown, redundantIsSuccess: boolean): Promise<Ok | Problem> {
    const first = await api.call(memberId, method, path, { body });
    if (!first.ok) return first;
    let outcome = refusal(first.answer, redundantIsSuccess);
    if (!outcome.ok && outcome.problem === 'no_active_device') {
      const list = await devices(memberId);
      if (!list.ok) return list;
      const target = list.devices.find((d) => !d.isRestricted);
      if (!target) return problem('no_active_device');
      const again = await api.call(memberId, method, withDevice(path, target.id), { body });
      if (!again.ok) return again;
      outcome = refusal(again.answer, redundantIsSuccess);
    }
    if (outcome.ok) {
      const t = deps.now();
      await deps.cache.invalidate(memberId, t, t + PLAYER_SETTLE_MS);
    }
    return outcome;
  }

  async function setVolume(memberId: string, percent: number): Promise<Ok | Problem> {
    return send(memberId, 'PUT', `/v1/me/player/volume?volume_percent=${Math.round(percent)}`, undefined, false);
  }

  return {
    devices,
    setVolume,

    command(memberId: string, command: Command, contextUri?: string): Promise<Ok | Problem> {
      const { method, path } = ROUTES[command];
      const body = command === 'play' && contextUri ? { context_uri: contextUri } : undefined;
      return send(memberId, method, path, body, (command === 'play' && !contextUri) || command === 'pause');
    },

    async transfer(memberId: string, deviceId: string, play: boolean): Promise<Ok | Problem> {
      return send(memberId, 'PUT', '/v1/me/player', { device_ids: [deviceId], play }, false);
    },

    /** Mute remembers the active device's volume; unmute restores it (50 % if unknown). */
    async mute(memberId: string): Promise<Ok<{ previousVolume: number }> | Problem> {
      const list = await devices(memberId);
      if (!list.ok) return list;
      const active = list.devices.find((d) => d.isActive);
      if (!active) return problem('no_active_device');
      if (!active.supportsVolume || active.volumePercent === null) return problem('volume_unsupported');
      if (active.volumePercent > 0) await deps.store.setMutedFrom(memberId, active.volumePercent);
      const r = await setVolume(memberId, 0);
      return r.ok ? { ok: true, previousVolume: active.volumePercent } : r;
    },

    async unmute(memberId: string): Promise<Ok<{ volume: number }> | Problem> {
      const g = await deps.store.get(memberId);
      if (!g) return problem('not_connected');
      const mutedFrom = await deps.store.mutedFrom(memberId);
      const volume = mutedFrom > 0 ? mutedFrom : 50;
      const r = await setVolume(memberId, volume);
      if (!r.ok) return r;
      await deps.store.setMutedFrom(memberId, 0);
      return { ok: true, volume };
    },

    async searchPlaylists(memberId: string, q: string): Promise<Ok<{ playlists: unknown[] }> | Problem> {
      const r = await api.call(memberId, 'GET', `/v1/search?type=playlist&limit=10&q=${encodeURIComponent(q)}`, { idempotent: true });
      if (!r.ok) return r;
      if (r.answer.status !== 200) {
      const refused = refusal(r.answer, false);
      return refused.ok ? problem('unavailable', 2_000) : refused;
    }
      const items = (r.answer.json as { playlists?: { items?: unknown[] } })?.playlists?.items ?? [];
      // Observed since 2024: playlist search results may contain null items.
      const playlists = items
        .filter((p): p is Record<string, any> => p !== null && typeof p === 'object')
        .filter((p) => typeof p.uri === 'string' && typeof p.name === 'string')
        .map((p) => ({
          id: String(p.id),
          uri: p.uri as string,
          name: p.name as string,
          owner: typeof p.owner?.display_name === 'string' ? p.owner.display_name : null,
          imageUrl: Array.isArray(p.images) && typeof p.images[0]?.url === 'string' ? p.images[0].url : null,
          trackCount: typeof p.tracks?.total === 'number' ? p.tracks.total : null,
        }));
      return { ok: true, playlists };
    },
  };
}

export type Player = ReturnType<typeof createPlayer>;
