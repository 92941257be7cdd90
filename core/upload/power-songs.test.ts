import { describe, expect, it } from 'vitest';
import { MAX_SONGS, songLine, workoutPowerSongs, type WorkoutTrack } from './power-songs';

const T0 = Date.UTC(2026, 8, 1, 7, 0, 0);
const s = (n: number) => T0 + n * 1000;
const track = (name: string, from: number, to: number, avgBpm: number | null = 150, artists = ['Band']): WorkoutTrack => ({ name, artists, startAt: s(from), playedAt: s(to), avgBpm });
// Prepare 0–60 s, work 60–240, rest 240–300, work 300–480, cool-down 480–600.
const phases = [
  { kind: 'prepare' as const, start: s(0), end: s(60) },
  { kind: 'work' as const, start: s(60), end: s(240) },
  { kind: 'rest' as const, start: s(240), end: s(300) },
  { kind: 'work' as const, start: s(300), end: s(480) },
  { kind: 'cooldown' as const, start: s(480), end: s(600) },
];

describe("a workout's power songs", () => {
  it('are the tracks that played during a work interval, in play order', () => {
    const tracks = [
      track('Warm-up song', -100, 55, 110), // before the first work interval
      track('Second', 200, 400, 165), // over rest, into the second work interval
      track('First', 55, 200, 160), // mostly in the first work interval
      track('Grazing', 230, 242, 170), // only 10 s inside… just enough
      track('Edge', 235, 244, 175), // 5 s inside: not enough
      track('Cool-down song', 485, 600, 120),
    ];
    expect(workoutPowerSongs(phases, tracks)).toEqual(['First — Band (avg 160 bpm)', 'Second — Band (avg 165 bpm)', 'Grazing — Band (avg 170 bpm)']);
  });

  it('name each track once and at most MAX_SONGS', () => {
    const tracks = Array.from({ length: 9 }, (_, i) => track(`Song ${i % 7}`, 60 + i * 40, 100 + i * 40));
    const songs = workoutPowerSongs(phases, tracks);
    expect(songs).toHaveLength(MAX_SONGS);
    expect(new Set(songs).size).toBe(MAX_SONGS);
  });

  it('without work intervals (stopwatch) are the tracks with the highest heart rate', () => {
    const tracks = [track('Calm', 0, 180, 120), track('Loud', 180, 360, 171), track('No strap', 360, 500, null), track('Mid', 500, 700, 150)];
    expect(workoutPowerSongs([], tracks)).toEqual(['Loud — Band (avg 171 bpm)', 'Mid — Band (avg 150 bpm)', 'Calm — Band (avg 120 bpm)']);
  });

  it('are none when no music played', () => {
    expect(workoutPowerSongs(phases, [])).toEqual([]);
  });

  it('read "Name — Artists (avg N bpm)", leaving out what is unknown', () => {
    expect(songLine(track('Eye of the Tiger', 0, 1, 161.6, ['Survivor']))).toBe('Eye of the Tiger — Survivor (avg 162 bpm)');
    expect(songLine(track('Duet', 0, 1, null, ['A', 'B']))).toBe('Duet — A, B');
    expect(songLine(track('Nobody', 0, 1, 0, []))).toBe('Nobody');
  });
});
