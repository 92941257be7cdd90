import type { Reading } from '../../../core/sync';
import type { HeartRate, MatchedPlay } from './annotate-match';

/**
 * Storage of the tracks-of-a-workout feature: one job per member and synced session (created
 * once, whoever asks: `ensureJob` is idempotent under racing callers), the matched plays (unique
 * per session + track + played_at, so a rerun never duplicates), each member's scan cursor over
 * the sync log, and read access to the synced sessions and their readings. A job is written only
 * by the runner holding its lease (annotate.ts), so its fields have one writer at a time.
 */
export type JobState = 'pending' | 'done' | 'failed' | 'gone';

export interface TrackJob {
  id: string;
  memberId: string;
  sessionId: string;
  state: JobState;
  runs: number;
  attempts: number;
  nextRunAt: number;
  createdAt: number;
  lastRunAt: number;
  incomplete: boolean;
}

export interface StoredTrack {
  trackId: string;
  uri: string;
  name: string;
  artists: string[];
  album: string | null;
  albumArtUrl: string | null;
  playedAt: number;
  startAt: number;
  durationMs: number;
  avgBpm: number | null;
  peakBpm: number | null;
  samples: number;
}

export interface FinishedSession {
  sessionId: string;
  startedAt: number;
  endedAt: number;
}

export type JobUpdate = Partial<{ state: JobState; runs: number; attempts: number; next_run_at: number; last_run_at: number; incomplete: boolean; last_error: string }>;

export interface AnnotateStore {
  /** Members with a usable Spotify grant. */
  connectedMembers(): Promise<string[]>;
  /** The member's finished, live sessions changed after `afterSeq`, and tombstoned ones. */
  sessionsChangedAfter(memberId: string, afterSeq: number, limit: number): Promise<{ finished: FinishedSession[]; deleted: string[]; maxSeq: number; more: boolean }>;
  finishedSession(memberId: string, sessionId: string): Promise<FinishedSession | 'gone' | 'unfinished'>;
  ownsSession(memberId: string, sessionId: string): Promise<boolean>;
  /** Every reading of the session, in chunk order; undecodable chunks are skipped. */
  readings(memberId: string, sessionId: string): Promise<Reading[]>;
  scanCursor(memberId: string): Promise<number>;
  setScanCursor(memberId: string, seq: number): Promise<void>;
  /** Creates the job unless it exists: safe to call again, and from many callers at once. */
  ensureJob(memberId: string, sessionId: string, now: number, opts?: { tooOld?: boolean }): Promise<void>;
  due(now: number, limit: number): Promise<TrackJob[]>;
  job(id: string): Promise<TrackJob | null>;
  jobOf(memberId: string, sessionId: string): Promise<TrackJob | null>;
  updateJob(id: string, fields: JobUpdate): Promise<void>;
  tracks(memberId: string, sessionId: string): Promise<StoredTrack[]>;
  allTracks(memberId: string): Promise<(StoredTrack & { sessionId: string })[]>;
  /** Creates new plays (a duplicate is ignored), updates the heart rate of existing ones; returns how many were new. */
  saveTracks(memberId: string, sessionId: string, plays: readonly (MatchedPlay & { hr: HeartRate })[]): Promise<number>;
  removeSessionTracks(memberId: string, sessionId: string): Promise<void>;
}
