import { describe, expect, it } from 'vitest';
import { dedupePlays, heartRateBetween, matchPlays, mayBeIncomplete, nextRunAt, parseRecentlyPlayed, type Play } from './annotate-match';
import { rankPowerSongs } from './power-songs';

const T0 = Date.parse('2026-09-01T07:00:00.000Z');
const session = { startedAt: T0, endedAt: T0 + 30 * 60_000 };
const play = (trackId: string, playedAt: number, durationMs = 200_000): Play => ({
  trackId,
  uri: `spotify:track:${trackId}`,
  name: trackId,
  artists: [],
  album: null,
  albumArtUrl: null,
  durationMs,
  playedAt,
});

describe('matching plays to a session', () => {
  it('keeps overlapping plays (played_at is the end), with slack, and drops the rest', () => {
    const plays = [
      play('before', T0 - 60_000), // ended a minute before the start
      play('skew', T0 - 10_000), // ended 10 s before: inside the slack
      play('straddles', T0 + 60_000), // started before, ended after the start
      play('inside', T0 + 10 * 60_000),
      play('tail', session.endedAt + 100_000), // started during, ended after the end
      play('after', session.endedAt + 300_000), // started after the end
    ];
    const m = matchPlays(plays, session);
    expect(m.map((p) => p.trackId)).toEqual(['skew', 'straddles', 'inside', 'tail']);
    const straddles = m.find((p) => p.trackId === 'straddles')!;
    expect(straddles.fromMs).toBe(T0);
    expect(straddles.toMs).toBe(T0 + 60_000);
  });

  it('removes one play reported twice', () => {
    const a = play('x', T0 + 600_000);
    expect(dedupePlays([a, { ...a, playedAt: a.playedAt + 800 }, play('x', T0 + 900_000)])).toHaveLength(2);
  });

  it('says "may be incomplete" only when a full window starts after the session', () => {
    const full = Array.from({ length: 50 }, (_, i) => play(`t${i}`, session.endedAt + (i + 1) * 200_000));
    expect(mayBeIncomplete(full, session)).toBe(true);
    expect(mayBeIncomplete(full.slice(1), session)).toBe(false);
    const reachesBack = [...full.slice(1), play('early', T0 + 100_000)];
    expect(mayBeIncomplete(reachesBack, session)).toBe(false);
  });

  it('parses a recently-played page and skips what is not a track', () => {
    const plays = parseRecentlyPlayed({
      items: [
        { played_at: '2026-09-01T07:12:03.512Z', track: { id: 'a', uri: 'spotify:track:a', name: 'A', duration_ms: 1000, artists: [{ name: 'X' }], album: { name: 'Al', images: [] } } },
        { played_at: 'garbage', track: { id: 'b', uri: 'u', name: 'B', duration_ms: 1000 } },
        { nope: true },
      ],
    });
    expect(plays).toEqual([{ trackId: 'a', uri: 'spotify:track:a', name: 'A', artists: ['X'], album: 'Al', albumArtUrl: null, durationMs: 1000, playedAt: Date.parse('2026-09-01T07:12:03.512Z') }]);
    expect(parseRecentlyPlayed({})).toBeNull();
  });
});

describe('heart rate and schedule', () => {
  it('averages and peaks readings inside the play, ignoring gaps', () => {
    const r = [
      { t: 0, bpm: 200 },
      { t: 10, bpm: 100 },
      { t: 20, bpm: 0 },
      { t: 30, bpm: 121 },
      { t: 40, bpm: 190 },
    ];
    expect(heartRateBetween(r, 5, 35)).toEqual({ avgBpm: 110.5, peakBpm: 121, samples: 2 });
    expect(heartRateBetween(r, 41, 50)).toEqual({ avgBpm: null, peakBpm: null, samples: 0 });
  });

  it('looks again at +5 min, +30 min, +3 h, then stops', () => {
    expect([0, 1, 2, 3, 4].map((n) => nextRunAt(1000, n))).toEqual([1000, 301_000, 1_801_000, 10_801_000, null]);
  });

  it('ranks power songs by average heart rate, weighted by readings, with play counts', () => {
    const base = { uri: '', artists: [], album: null, albumArtUrl: null, peakBpm: 170 };
    const ranked = rankPowerSongs([
      { ...base, trackId: 'a', name: 'A', sessionId: 's1', playedAt: 1, avgBpm: 150, samples: 100 },
      { ...base, trackId: 'a', name: 'A', sessionId: 's2', playedAt: 2, avgBpm: 170, samples: 300 },
      { ...base, trackId: 'b', name: 'B', sessionId: 's1', playedAt: 3, avgBpm: 160, samples: 200 },
      { ...base, trackId: 'c', name: 'C', sessionId: 's1', playedAt: 4, avgBpm: 190, samples: 5 },
    ]);
    expect(ranked.map((s) => [s.trackId, s.avgBpm, s.plays, s.sessions])).toEqual([
      ['a', 165, 2, 2],
      ['b', 160, 1, 1],
    ]);
  });
});
