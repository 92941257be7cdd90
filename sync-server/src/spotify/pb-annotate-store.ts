import PocketBase, { ClientResponseError } from 'pocketbase';
import { decodeChunk, SessionRecordSchema, type Reading } from '../../../core/sync';
import type { HeartRate, MatchedPlay } from './annotate-match';
import type { AnnotateStore, FinishedSession, JobState, JobUpdate, StoredTrack, TrackJob } from './annotate-store';

/**
 * The AnnotateStore in PocketBase: the tracks feature (pb_migrations/1763900400_spotify_tracks.js):
 * `spotify_track_jobs` (one per member and synced session), `spotify_session_tracks` (the
 * matched plays, unique per session + track + played_at, so a rerun never duplicates), and
 * `spotify_track_scans` (how far each member's synced sessions have been looked at, by the
 * sync log's `seq`). Synced sessions and chunks are read from the sync collections.
 */
type JobRow = {
  id: string;
  member: string;
  session_id: string;
  state: JobState;
  runs: number;
  attempts: number;
  next_run_at: number;
  created_at: number;
  last_run_at: number;
  incomplete: boolean;
};

type TrackRow = {
  id: string;
  session_id: string;
  track_id: string;
  track_uri: string;
  name: string;
  artists: string[] | null;
  album: string;
  album_art_url: string;
  played_at: number;
  start_at: number;
  duration_ms: number;
  avg_bpm: number;
  peak_bpm: number;
  samples: number;
};

const JOBS = 'spotify_track_jobs';
const TRACKS = 'spotify_session_tracks';
const SCANS = 'spotify_track_scans';

const isStatus = (e: unknown, s: number) => e instanceof ClientResponseError && e.status === s;

const toJob = (r: JobRow): TrackJob => ({
  id: r.id,
  memberId: r.member,
  sessionId: r.session_id,
  state: r.state,
  runs: r.runs,
  attempts: r.attempts,
  nextRunAt: r.next_run_at,
  createdAt: r.created_at,
  lastRunAt: r.last_run_at,
  incomplete: r.incomplete,
});

// PocketBase numbers have no null: 0 bpm means "no heart rate while it played".
const toTrack = (r: TrackRow): StoredTrack => ({
  trackId: r.track_id,
  uri: r.track_uri,
  name: r.name,
  artists: r.artists ?? [],
  album: r.album || null,
  albumArtUrl: r.album_art_url || null,
  playedAt: r.played_at,
  startAt: r.start_at,
  durationMs: r.duration_ms,
  avgBpm: r.samples > 0 ? r.avg_bpm : null,
  peakBpm: r.samples > 0 ? r.peak_bpm : null,
  samples: r.samples,
});

export function createPbAnnotateStore(pb: PocketBase): AnnotateStore {
  const col = (name: string) => pb.collection(name);

  const store: AnnotateStore = {
    /** Members with a usable Spotify grant (record id = member id). */
    async connectedMembers(): Promise<string[]> {
      const rows = await col('spotify_grants').getFullList<{ id: string }>({ filter: "status = 'ok'", fields: 'id', batch: 500 });
      return rows.map((r) => r.id);
    },

    /** The member's finished, live sessions changed after `afterSeq`, and tombstoned ones. */
    async sessionsChangedAfter(memberId: string, afterSeq: number, limit: number) {
      const rows = await col('sync_sessions').getList<{ session_id: string; record: unknown; seq: number; deleted: boolean }>(1, limit, {
        filter: pb.filter('member = {:m} && seq > {:s}', { m: memberId, s: afterSeq }),
        sort: 'seq',
        fields: 'session_id,record,seq,deleted',
        skipTotal: true,
      });
      const finished: FinishedSession[] = [];
      const deleted: string[] = [];
      let maxSeq = afterSeq;
      for (const r of rows.items) {
        maxSeq = Math.max(maxSeq, r.seq);
        const rec = SessionRecordSchema.safeParse(r.record);
        if (!rec.success) continue;
        if (rec.data.kind === 'tombstone') deleted.push(r.session_id);
        else if (rec.data.summary) finished.push({ sessionId: r.session_id, startedAt: rec.data.startedAt, endedAt: rec.data.summary.endedAt });
      }
      return { finished, deleted, maxSeq, more: rows.items.length === limit };
    },

    async finishedSession(memberId: string, sessionId: string): Promise<FinishedSession | 'gone' | 'unfinished'> {
      const rows = await col('sync_sessions').getList<{ record: unknown }>(1, 1, {
        filter: pb.filter('member = {:m} && session_id = {:s}', { m: memberId, s: sessionId }),
        fields: 'record',
        skipTotal: true,
      });
      const rec = rows.items[0] ? SessionRecordSchema.safeParse(rows.items[0].record) : null;
      if (!rec?.success || rec.data.kind === 'tombstone') return 'gone';
      if (!rec.data.summary) return 'unfinished';
      return { sessionId, startedAt: rec.data.startedAt, endedAt: rec.data.summary.endedAt };
    },

    async ownsSession(memberId: string, sessionId: string): Promise<boolean> {
      const r = await store.finishedSession(memberId, sessionId);
      return r !== 'gone';
    },

    /** Every reading of the session, in chunk order; undecodable chunks are skipped. */
    async readings(memberId: string, sessionId: string): Promise<Reading[]> {
      const rows = await col('sync_chunks').getFullList<{ idx: number; payload: string }>({
        filter: pb.filter('member = {:m} && session_id = {:s}', { m: memberId, s: sessionId }),
        sort: 'idx',
        fields: 'idx,payload',
        batch: 50,
      });
      const out: Reading[] = [];
      for (const r of rows) {
        const d = decodeChunk(new Uint8Array(Buffer.from(r.payload, 'base64')));
        if (d.ok) out.push(...d.readings);
      }
      return out;
    },

    async scanCursor(memberId: string): Promise<number> {
      try {
        return (await col(SCANS).getOne<{ seq: number }>(memberId, { fields: 'seq' })).seq;
      } catch (e) {
        if (isStatus(e, 404)) return 0;
        throw e;
      }
    },

    async setScanCursor(memberId: string, seq: number): Promise<void> {
      try {
        await col(SCANS).update(memberId, { seq });
      } catch (e) {
        if (!isStatus(e, 404)) throw e;
        await col(SCANS)
          .create({ id: memberId, member: memberId, seq })
          .catch(() => col(SCANS).update(memberId, { seq }));
      }
    },

    /** Creates the job unless it exists (unique member + session): safe to call again. */
    async ensureJob(memberId: string, sessionId: string, now: number, opts: { tooOld?: boolean } = {}): Promise<void> {
      // A session far older than Spotify's 50-play window is not looked up: it is marked
      // "tracks may be incomplete" straight away (e.g. history synced when Spotify is connected).
      const fields = opts.tooOld
        ? { state: 'done', incomplete: true, next_run_at: 0, last_run_at: now }
        : { state: 'pending', incomplete: false, next_run_at: now, last_run_at: 0 };
      try {
        await col(JOBS).create({ member: memberId, session_id: sessionId, runs: 0, attempts: 0, created_at: now, ...fields });
      } catch (e) {
        if (!isStatus(e, 400)) throw e;
      }
    },

    async due(now: number, limit: number): Promise<TrackJob[]> {
      const r = await col(JOBS).getList<JobRow>(1, limit, {
        filter: pb.filter("state = 'pending' && next_run_at <= {:now}", { now }),
        sort: 'next_run_at',
        skipTotal: true,
      });
      return r.items.map(toJob);
    },

    async job(id: string): Promise<TrackJob | null> {
      try {
        return toJob(await col(JOBS).getOne<JobRow>(id));
      } catch (e) {
        if (isStatus(e, 404)) return null;
        throw e;
      }
    },

    async jobOf(memberId: string, sessionId: string): Promise<TrackJob | null> {
      const r = await col(JOBS).getList<JobRow>(1, 1, { filter: pb.filter('member = {:m} && session_id = {:s}', { m: memberId, s: sessionId }), skipTotal: true });
      return r.items[0] ? toJob(r.items[0]) : null;
    },

    async updateJob(id: string, fields: JobUpdate) {
      await col(JOBS).update(id, fields);
    },

    async tracks(memberId: string, sessionId: string): Promise<StoredTrack[]> {
      const rows = await col(TRACKS).getFullList<TrackRow>({ filter: pb.filter('member = {:m} && session_id = {:s}', { m: memberId, s: sessionId }), sort: 'played_at' });
      return rows.map(toTrack);
    },

    /** Every track row of the member (for power songs): the fields the ranking needs. */
    async allTracks(memberId: string): Promise<(StoredTrack & { sessionId: string })[]> {
      const rows = await col(TRACKS).getFullList<TrackRow>({ filter: pb.filter('member = {:m}', { m: memberId }), sort: '-played_at', batch: 500 });
      return rows.map((r) => ({ ...toTrack(r), sessionId: r.session_id }));
    },

    /**
     * Writes matched plays: new ones are created (a duplicate create fails on the unique index
     * and is ignored), existing ones get their heart rate updated when it changed (chunks may
     * have synced after the first run).
     */
    async saveTracks(memberId: string, sessionId: string, plays: readonly (MatchedPlay & { hr: HeartRate })[]): Promise<number> {
      const existing = await col(TRACKS).getFullList<TrackRow>({
        filter: pb.filter('member = {:m} && session_id = {:s}', { m: memberId, s: sessionId }),
        fields: 'id,track_id,played_at,avg_bpm,peak_bpm,samples',
      });
      const byKey = new Map(existing.map((r) => [`${r.track_id}@${r.played_at}`, r]));
      let created = 0;
      for (const p of plays) {
        const hr = { avg_bpm: p.hr.avgBpm ?? 0, peak_bpm: p.hr.peakBpm ?? 0, samples: p.hr.samples };
        const had = byKey.get(`${p.trackId}@${p.playedAt}`);
        if (had) {
          if (had.samples !== hr.samples || had.avg_bpm !== hr.avg_bpm || had.peak_bpm !== hr.peak_bpm) await col(TRACKS).update(had.id, hr);
          continue;
        }
        try {
          await col(TRACKS).create({
            member: memberId,
            session_id: sessionId,
            track_id: p.trackId,
            track_uri: p.uri,
            name: p.name,
            artists: p.artists,
            album: p.album ?? '',
            album_art_url: p.albumArtUrl ?? '',
            played_at: p.playedAt,
            start_at: Math.max(0, p.startAt),
            duration_ms: p.durationMs,
            ...hr,
          });
          created += 1;
        } catch (e) {
          if (!isStatus(e, 400)) throw e;
        }
      }
      return created;
    },

    async removeSessionTracks(memberId: string, sessionId: string): Promise<void> {
      const rows = await col(TRACKS).getFullList<{ id: string }>({ filter: pb.filter('member = {:m} && session_id = {:s}', { m: memberId, s: sessionId }), fields: 'id' });
      for (const r of rows) await col(TRACKS).delete(r.id).catch(() => undefined);
    },
  };
  return store;
}

