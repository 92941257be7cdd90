/**
 * A workout's power songs, for its activity description (issue 16). Pure: no IO.
 *
 * The Spotify job (sync-server/src/spotify) stores, per workout, the tracks that played during
 * it with the heart rate while each played. A workout's power songs are:
 * - with work intervals: the tracks that played during a work interval (at least
 *   MIN_OVERLAP_MS of the play inside one), in the order they played;
 * - without (a stopwatch workout): the tracks with the highest average heart rate;
 * at most MAX_SONGS, each track once.
 */
import type { ExportPhase } from '../export/types';

export interface WorkoutTrack {
  name: string;
  artists: readonly string[];
  /** Wall time, ms: the play's start and end (Spotify's played_at). */
  startAt: number;
  playedAt: number;
  avgBpm: number | null;
}

export const MAX_SONGS = 5;
/** A song that ended 2 s into a work interval did not carry it. */
export const MIN_OVERLAP_MS = 10_000;

const overlap = (t: WorkoutTrack, p: Pick<ExportPhase, 'start' | 'end'>) => Math.min(t.playedAt, p.end) - Math.max(t.startAt, p.start);

/** One line per song: "Name — Artist, Artist (avg 162 bpm)". */
export function songLine(t: WorkoutTrack): string {
  const by = t.artists.length > 0 ? ` — ${t.artists.join(', ')}` : '';
  const hr = t.avgBpm !== null && t.avgBpm > 0 ? ` (avg ${Math.round(t.avgBpm)} bpm)` : '';
  return `${t.name}${by}${hr}`;
}

export function workoutPowerSongs(phases: readonly Pick<ExportPhase, 'kind' | 'start' | 'end'>[], tracks: readonly WorkoutTrack[]): string[] {
  const work = phases.filter((p) => p.kind === 'work');
  const picked =
    work.length > 0
      ? tracks.filter((t) => work.some((p) => overlap(t, p) >= MIN_OVERLAP_MS)).sort((a, b) => a.startAt - b.startAt)
      : tracks.filter((t) => t.avgBpm !== null && t.avgBpm > 0).sort((a, b) => b.avgBpm! - a.avgBpm! || a.startAt - b.startAt);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of picked) {
    const key = `${t.name}\u0000${t.artists.join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(songLine(t));
    if (out.length >= MAX_SONGS) break;
  }
  return out;
}
