import { describe, expect, it } from 'vitest';
import { RoomMusicSchema } from '../../../core/rooms';
import type { NowPlayingView } from '../spotify/service';
import { roomMusicView } from './music-view';

const view: NowPlayingView = {
  type: 'track',
  isPlaying: true,
  progressMs: 42_000,
  durationMs: 180_000,
  item: { id: '4uLU6hMCjMI75M1A2tKUQC', uri: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC', name: 'Cadence 160', artists: ['Pace Unit'], album: 'Running', albumArtUrl: 'https://i.scdn.co/image/x' },
  device: { name: 'Gym Speaker', type: 'Speaker', volumePercent: 30, supportsVolume: true },
  fetchedAt: 1_000,
  stale: false,
  degraded: null,
  retryAfterMs: 2_000,
};

describe('room music view', () => {
  it('copies what screens show, and nothing else', () => {
    const m = roomMusicView(view, 5_000);
    expect(RoomMusicSchema.strict().safeParse(m).success).toBe(true);
    expect(m).toEqual({
      type: 'track',
      isPlaying: true,
      progressMs: 42_000,
      durationMs: 180_000,
      item: { name: 'Cadence 160', artists: ['Pace Unit'], album: 'Running', albumArtUrl: 'https://i.scdn.co/image/x' },
      device: { name: 'Gym Speaker', volumePercent: 30, supportsVolume: true },
      stale: false,
      degraded: null,
      serverTime: 5_000,
    });
    expect(JSON.stringify(m)).not.toContain('spotify:track');
  });

  it('no item and no device (an ad, or a state read from currently-playing)', () => {
    const { device: _d, ...withoutDevice } = view;
    const m = roomMusicView({ ...withoutDevice, type: 'ad', item: null, stale: true, degraded: 'rate_limited' }, 5_000);
    expect(m).toMatchObject({ type: 'ad', item: null, device: null, stale: true, degraded: 'rate_limited' });
  });
});
