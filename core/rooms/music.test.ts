import { describe, expect, it } from 'vitest';
import { musicLine, musicProgressAt, RoomMusicSchema, type RoomMusic } from './music';

const track: RoomMusic = {
  type: 'track',
  isPlaying: true,
  progressMs: 10_000,
  durationMs: 200_000,
  item: { name: 'Cadence 160', artists: ['Pace Unit', 'Metronomes'], album: 'Running 160 BPM', albumArtUrl: null },
  device: { name: 'Gym Speaker', volumePercent: 40, supportsVolume: true },
  stale: false,
  degraded: null,
  serverTime: 1_000_000,
};

describe('room music', () => {
  it('extrapolates progress while playing, up to the end; paused stays put', () => {
    expect(musicProgressAt(track, 1_000_000)).toBe(10_000);
    expect(musicProgressAt(track, 1_004_500)).toBe(14_500);
    expect(musicProgressAt(track, 2_000_000)).toBe(200_000);
    // A screen clock a little behind the server's never moves progress backwards.
    expect(musicProgressAt(track, 999_000)).toBe(10_000);
    expect(musicProgressAt({ ...track, isPlaying: false }, 1_004_500)).toBe(10_000);
    expect(musicProgressAt({ ...track, durationMs: null }, 2_000_000)).toBe(1_010_000);
  });

  it('words tracks, episodes, ads, and nothing (hidden)', () => {
    expect(musicLine(track)).toEqual({ title: 'Cadence 160', subtitle: 'Pace Unit, Metronomes' });
    expect(musicLine({ ...track, type: 'ad', item: null })).toEqual({ title: 'Advertisement', subtitle: '' });
    expect(musicLine({ ...track, type: 'episode', item: null })).toEqual({ title: 'Podcast episode', subtitle: '' });
    expect(musicLine({ ...track, type: 'none', item: null })).toBeNull();
    expect(musicLine(null)).toBeNull();
  });

  it('the wire schema takes what the server sends and refuses what it must not', () => {
    expect(RoomMusicSchema.parse(track)).toEqual(track);
    expect(RoomMusicSchema.safeParse({ ...track, type: 'song' }).success).toBe(false);
    expect(RoomMusicSchema.safeParse({ ...track, serverTime: undefined }).success).toBe(false);
  });
});
