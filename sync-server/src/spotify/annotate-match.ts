import { backoffDelay, type BackoffPolicy } from '../../../core/retry/backoff';
import { z } from 'zod';
import type { Reading } from '../../../core/sync';

/**
 * Which Spotify plays belong to a workout, and the heart rate while each played. Pure: no IO.
 *
 * Spotify's recently played (spotify-emulator.md P12–P15, §3 rule 5) lists at most the last 50
 * plays, newest first, and `played_at` is about the END of a play, so a play ran from
 * `played_at − duration_ms` to `played_at`. Entries may appear late (ingestion lag) or
 * backdated (an offline device syncing later), so a session is checked again later.
 * The phone's clock and Spotify's differ a little, and `played_at` is only "about" the end,
 * hence a slack on both sides of the session.
 */
export const MATCH_SLACK_MS = 30_000;
/** A play must overlap the (slack-widened) session at least this long to count. */
export const MIN_OVERLAP_MS = 5_000;
/** Spotify keeps this many plays; older ones fall off (P12). */
export const HISTORY_WINDOW = 50;
/** Two entries of one track whose ends are this close are one play reported twice. */
export const DUPLICATE_WITHIN_MS = 2_000;

export interface Play {
  trackId: string;
  uri: string;
  name: string;
  artists: string[];
  album: string | null;
  albumArtUrl: string | null;
  durationMs: number;
  /** End of the play (Spotify's `played_at`), epoch ms. */
  playedAt: number;
}

export interface SessionWindow {
  startedAt: number;
  endedAt: number;
}

export interface MatchedPlay extends Play {
  startAt: number;
  /** The part of the play inside the session (no slack): the heart rate is taken from here. */
  fromMs: number;
  toMs: number;
}

const image = z.object({ url: z.string(), width: z.number().nullish() });
const item = z.object({
  played_at: z.string(),
  track: z.object({
    id: z.string().nullish(),
    uri: z.string(),
    name: z.string(),
    duration_ms: z.number().int().positive(),
    artists: z.array(z.object({ name: z.string() })).default([]),
    album: z.object({ name: z.string(), images: z.array(image).default([]) }).nullish(),
  }),
});
const page = z.object({ items: z.array(z.unknown()) });

/** A recently-played page; entries that do not parse (episodes, odd shapes) are skipped. */
export function parseRecentlyPlayed(json: unknown): Play[] | null {
  const p = page.safeParse(json);
  if (!p.success) return null;
  const out: Play[] = [];
  for (const raw of p.data.items) {
    const r = item.safeParse(raw);
    if (!r.success) continue;
    const playedAt = Date.parse(r.data.played_at);
    if (Number.isNaN(playedAt)) continue;
    const t = r.data.track;
    const images = t.album?.images ?? [];
    const art = images.find((i) => (i.width ?? 0) <= 320 && (i.width ?? 0) >= 200) ?? images[0];
    out.push({
      trackId: (t.id ?? t.uri).slice(0, 200),
      uri: t.uri.slice(0, 300),
      name: t.name.slice(0, 300),
      artists: t.artists.map((a) => a.name.slice(0, 200)).slice(0, 10),
      album: t.album?.name.slice(0, 300) ?? null,
      albumArtUrl: art?.url.slice(0, 1000) ?? null,
      durationMs: t.duration_ms,
      playedAt,
    });
  }
  return out;
}

/** Same track, ends within DUPLICATE_WITHIN_MS: keep the first seen. Order is kept. */
export function dedupePlays<T extends Play>(plays: readonly T[]): T[] {
  const kept: T[] = [];
  for (const p of plays) {
    if (kept.some((k) => k.trackId === p.trackId && Math.abs(k.playedAt - p.playedAt) <= DUPLICATE_WITHIN_MS)) continue;
    kept.push(p);
  }
  return kept;
}

/** Plays that overlapped the session (widened by the slack), oldest first, without duplicates. */
export function matchPlays(plays: readonly Play[], s: SessionWindow, slackMs = MATCH_SLACK_MS): MatchedPlay[] {
  const lo = s.startedAt - slackMs;
  const hi = s.endedAt + slackMs;
  const matched: MatchedPlay[] = [];
  for (const p of dedupePlays(plays)) {
    const startAt = p.playedAt - p.durationMs;
    const overlap = Math.min(p.playedAt, hi) - Math.max(startAt, lo);
    if (overlap < Math.min(MIN_OVERLAP_MS, p.durationMs)) continue;
    const fromMs = Math.max(startAt, s.startedAt);
    const toMs = Math.min(p.playedAt, s.endedAt);
    matched.push({ ...p, startAt, fromMs, toMs: Math.max(fromMs, toMs) });
  }
  return matched.sort((a, b) => a.playedAt - b.playedAt);
}

/**
 * True when plays during the session may have fallen out of Spotify's 50-play window: the
 * answer is a full window and even its oldest play started after the session began. (Plays are
 * sequential, so anything older than a play that started before the session ended before it.)
 */
export function mayBeIncomplete(plays: readonly Play[], s: SessionWindow, slackMs = MATCH_SLACK_MS): boolean {
  if (plays.length < HISTORY_WINDOW) return false;
  const oldestStart = Math.min(...plays.map((p) => p.playedAt - p.durationMs));
  return oldestStart > s.startedAt - slackMs;
}

export interface HeartRate {
  avgBpm: number | null;
  peakBpm: number | null;
  samples: number;
}

/**
 * Readings' `t` is epoch ms as recorded; a session recorded with session-relative times
 * (small values) is shifted by its start.
 */
export function absoluteReadings(readings: readonly Reading[], startedAt: number): { t: number; bpm: number }[] {
  const relative = readings.length > 0 && readings.every((r) => r.t < 100_000_000_000) && startedAt >= 100_000_000_000;
  return readings.map((r) => ({ t: relative ? r.t + startedAt : r.t, bpm: r.bpm }));
}

/** Average (one decimal) and peak heart rate of readings in [fromMs, toMs]; bpm 0 marks a gap. */
export function heartRateBetween(readings: readonly { t: number; bpm: number }[], fromMs: number, toMs: number): HeartRate {
  let sum = 0;
  let n = 0;
  let peak = 0;
  for (const r of readings) {
    if (r.t < fromMs || r.t > toMs || r.bpm <= 0) continue;
    sum += r.bpm;
    n += 1;
    if (r.bpm > peak) peak = r.bpm;
  }
  return n === 0 ? { avgBpm: null, peakBpm: null, samples: 0 } : { avgBpm: Math.round((sum / n) * 10) / 10, peakBpm: peak, samples: n };
}

/**
 * When to look again, as offsets from the job's creation (the sync that finished the session):
 * now, then for late and backdated entries at +5 min, +30 min and +3 h, then stop.
 */
export const RECHECK_OFFSETS_MS = [0, 5 * 60_000, 30 * 60_000, 3 * 3_600_000] as const;

/** The next run after `runsDone` runs, or null when the schedule is over. */
export function nextRunAt(createdAt: number, runsDone: number, offsets: readonly number[] = RECHECK_OFFSETS_MS): number | null {
  const o = offsets[runsDone];
  return o === undefined ? null : createdAt + o;
}

/** A failed run is retried after 1, 2, 4 … minutes, capped at an hour ("equal" jitter, core/retry). */
export const TRACKS_RETRY_BACKOFF: BackoffPolicy = { baseMs: 60_000, capMs: 3_600_000, jitter: 'equal' };

export function retryDelayMs(attempts: number, random: () => number): number {
  return backoffDelay(TRACKS_RETRY_BACKOFF, attempts, 0, random);
}
