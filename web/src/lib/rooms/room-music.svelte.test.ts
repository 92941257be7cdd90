import { describe, expect, it } from 'vitest';
import type { MusicCommand, RoomMusic } from '$core/rooms';
import type { ApiError, ApiResult } from '$lib/api';
import { RoomMusicModel, SKIP_SETTLE_MS, type MusicControls } from './room-music.svelte';

const track = (name: string, over: Partial<RoomMusic> = {}): RoomMusic => ({
  type: 'track',
  isPlaying: true,
  progressMs: 1_000,
  durationMs: 200_000,
  item: { name, artists: ['Tempo Club'], album: null, albumArtUrl: null },
  device: { name: 'Gym Speaker', volumePercent: 30, supportsVolume: true },
  stale: false,
  degraded: null,
  serverTime: 0,
  ...over,
});

const err = (code: string, status = 409, extra: Partial<ApiError> = {}): ApiResult<never> => ({ ok: false, error: { status, code, message: code, requestId: null, ...extra } });

/** A scripted server: `reads` answers in order (the last one repeats), every command is logged. */
function fake(reads: Array<ApiResult<RoomMusic>>, commandAnswer: ApiResult<void> = { ok: true, value: undefined }) {
  const log: string[] = [];
  let t = 0;
  const slept: number[] = [];
  const source = {
    read: async () => {
      log.push('read');
      return reads.length > 1 ? reads.shift()! : reads[0]!;
    },
  };
  const controls: MusicControls = {
    command: async (c: MusicCommand) => (log.push(c), commandAnswer),
    setVolume: async (p: number) => (log.push(`volume ${p}`), commandAnswer),
  };
  const clock = { now: () => t, sleep: async (ms: number) => void slept.push(ms) };
  return { source, controls, clock, log, slept, advance: (ms: number) => (t += ms) };
}

describe('RoomMusicModel', () => {
  it('shows what plays, hides when nothing does', async () => {
    const f = fake([{ ok: true, value: track('Cadence 160') }, { ok: true, value: track('x', { type: 'none', item: null }) }]);
    const m = new RoomMusicModel(f.source, null, f.clock);
    expect(m.playing).toBeNull();
    await m.refresh();
    expect(m.connection).toBe('ready');
    expect(m.playing?.item?.name).toBe('Cadence 160');
    await m.refresh();
    expect(m.connection).toBe('ready');
    expect(m.playing).toBeNull();
  });

  it('tells apart "not connected", "reconnect", "not set up" and "not for this screen", quietly', async () => {
    for (const [code, connection] of [
      ['spotify_not_connected', 'not-connected'],
      ['spotify_needs_reconnect', 'reconnect'],
      ['spotify_not_configured', 'not-configured'],
      ['not_found', 'unavailable'],
      ['unauthenticated', 'unavailable'],
    ] as const) {
      const f = fake([{ ok: true, value: track('a') }, err(code)]);
      const m = new RoomMusicModel(f.source, null, f.clock);
      await m.refresh();
      await m.refresh();
      expect(m.connection, code).toBe(connection);
      expect(m.playing, code).toBeNull();
      expect(m.notice, code).toBeNull();
    }
  });

  it('keeps the last state through a network blip, and waits out a Retry-After', async () => {
    const f = fake([{ ok: true, value: track('a') }, err('network', 0), err('spotify_rate_limited', 429, { retryAfterSeconds: 10 }), { ok: true, value: track('b') }]);
    const m = new RoomMusicModel(f.source, null, f.clock);
    await m.refresh();
    await m.refresh();
    expect(m.playing?.item?.name).toBe('a');
    expect(m.notice).toBeNull();
    await m.refresh();
    expect(m.notice?.code).toBe('spotify_rate_limited');
    expect(m.playing?.item?.name).toBe('a');
    await m.refresh();
    expect(f.log.filter((l) => l === 'read')).toHaveLength(3);
    f.advance(10_000);
    await m.refresh();
    expect(m.playing?.item?.name).toBe('b');
  });

  it('a degraded poll says so, and the notice goes when Spotify recovers', async () => {
    const f = fake([{ ok: true, value: track('a', { stale: true, degraded: 'unavailable' }) }, { ok: true, value: track('a') }]);
    const m = new RoomMusicModel(f.source, null, f.clock);
    await m.refresh();
    expect(m.notice?.code).toBe('spotify_unavailable');
    await m.refresh();
    expect(m.notice).toBeNull();
  });

  it('commands read again at once; skips after Spotify settles', async () => {
    const f = fake([{ ok: true, value: track('a') }]);
    const m = new RoomMusicModel(f.source, f.controls, f.clock);
    await m.refresh();
    expect(await m.togglePlay()).toBe(true);
    expect(await m.command('next')).toBe(true);
    expect(await m.setVolume(140)).toBe(true);
    expect(f.log).toEqual(['read', 'pause', 'read', 'next', 'read', 'volume 100', 'read']);
    expect(f.slept).toEqual([SKIP_SETTLE_MS]);
    expect(m.busy).toBe(false);
  });

  it('a refused command is told, not thrown; displays have no commands', async () => {
    const f = fake([{ ok: true, value: track('a') }], err('spotify_premium_required', 403));
    const m = new RoomMusicModel(f.source, f.controls, f.clock);
    await m.refresh();
    expect(await m.command('next')).toBe(false);
    expect(m.notice?.code).toBe('spotify_premium_required');
    expect(m.notice?.text).toMatch(/Premium/);
    expect(m.connection).toBe('ready');
    const display = new RoomMusicModel(f.source, null, f.clock);
    expect(await display.command('pause')).toBe(false);
    expect(f.log.filter((l) => l === 'pause')).toEqual([]);
  });

  it('a read that started before a command and ends after it does not undo it', async () => {
    let releaseSlow!: (r: ApiResult<RoomMusic>) => void;
    const answers: Array<() => Promise<ApiResult<RoomMusic>>> = [
      () => new Promise((r) => (releaseSlow = r)),
      async () => ({ ok: true, value: track('a', { isPlaying: false }) }),
    ];
    const source = { read: () => answers.shift()!() };
    const f = fake([]);
    const m = new RoomMusicModel(source, f.controls, f.clock);
    const slow = m.refresh();
    // A poll while one is in flight is skipped…
    await m.refresh();
    // …but the command's own read is not, and it wins.
    await m.command('pause');
    expect(m.music?.isPlaying).toBe(false);
    releaseSlow({ ok: true, value: track('a', { isPlaying: true }) });
    await slow;
    expect(m.music?.isPlaying).toBe(false);
  });
});
