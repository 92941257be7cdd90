import { SessionRecordSchema, type Reading } from '../../../core/sync';
import type { AnnotateStore, FinishedSession, StoredTrack, TrackJob } from './annotate-store';

/**
 * The tracks store in memory (unit tests). Synced sessions and readings are seeded by the test
 * (`seedSession`, `seedReadings`), as the sync feature would have stored them.
 */
export function createMemoryAnnotateStore() {
  const sessions = new Map<string, { memberId: string; sessionId: string; record: unknown; seq: number }>();
  const readingsOf = new Map<string, Reading[]>();
  const jobs = new Map<string, TrackJob>();
  const tracks = new Map<string, StoredTrack & { memberId: string; sessionId: string }>();
  const cursors = new Map<string, number>();
  let connected: string[] = [];
  let nextId = 0;
  const tick = () => Promise.resolve();
  const key = (m: string, s: string) => `${m}/${s}`;

  const finishedSession = async (memberId: string, sessionId: string): Promise<FinishedSession | 'gone' | 'unfinished'> => {
    await tick();
    const row = sessions.get(key(memberId, sessionId));
    const rec = row ? SessionRecordSchema.safeParse(row.record) : null;
    if (!rec?.success || rec.data.kind === 'tombstone') return 'gone';
    if (!rec.data.summary) return 'unfinished';
    return { sessionId, startedAt: rec.data.startedAt, endedAt: rec.data.summary.endedAt };
  };

  const store: AnnotateStore = {
    async connectedMembers() {
      await tick();
      return [...connected];
    },
    async sessionsChangedAfter(memberId, afterSeq, limit) {
      await tick();
      const rows = [...sessions.values()].filter((r) => r.memberId === memberId && r.seq > afterSeq).sort((a, b) => a.seq - b.seq).slice(0, limit);
      const finished: FinishedSession[] = [];
      const deleted: string[] = [];
      let maxSeq = afterSeq;
      for (const r of rows) {
        maxSeq = Math.max(maxSeq, r.seq);
        const rec = SessionRecordSchema.safeParse(r.record);
        if (!rec.success) continue;
        if (rec.data.kind === 'tombstone') deleted.push(r.sessionId);
        else if (rec.data.summary) finished.push({ sessionId: r.sessionId, startedAt: rec.data.startedAt, endedAt: rec.data.summary.endedAt });
      }
      return { finished, deleted, maxSeq, more: rows.length === limit };
    },
    finishedSession,
    async ownsSession(memberId, sessionId) {
      return (await finishedSession(memberId, sessionId)) !== 'gone';
    },
    async readings(memberId, sessionId) {
      await tick();
      return [...(readingsOf.get(key(memberId, sessionId)) ?? [])];
    },
    async scanCursor(memberId) {
      await tick();
      return cursors.get(memberId) ?? 0;
    },
    async setScanCursor(memberId, seq) {
      await tick();
      cursors.set(memberId, seq);
    },
    async ensureJob(memberId, sessionId, now, opts = {}) {
      await tick();
      if ([...jobs.values()].some((j) => j.memberId === memberId && j.sessionId === sessionId)) return;
      const id = `job${++nextId}`;
      const base = { id, memberId, sessionId, runs: 0, attempts: 0, createdAt: now };
      jobs.set(id, opts.tooOld ? { ...base, state: 'done', incomplete: true, nextRunAt: 0, lastRunAt: now } : { ...base, state: 'pending', incomplete: false, nextRunAt: now, lastRunAt: 0 });
    },
    async due(now, limit) {
      await tick();
      return [...jobs.values()].filter((j) => j.state === 'pending' && j.nextRunAt <= now).sort((a, b) => a.nextRunAt - b.nextRunAt).slice(0, limit).map((j) => ({ ...j }));
    },
    async job(id) {
      await tick();
      const j = jobs.get(id);
      return j ? { ...j } : null;
    },
    async jobOf(memberId, sessionId) {
      await tick();
      const j = [...jobs.values()].find((x) => x.memberId === memberId && x.sessionId === sessionId);
      return j ? { ...j } : null;
    },
    async updateJob(id, f) {
      await tick();
      const j = jobs.get(id);
      if (!j) throw new Error('no such job');
      jobs.set(id, {
        ...j,
        ...(f.state !== undefined ? { state: f.state } : {}),
        ...(f.runs !== undefined ? { runs: f.runs } : {}),
        ...(f.attempts !== undefined ? { attempts: f.attempts } : {}),
        ...(f.next_run_at !== undefined ? { nextRunAt: f.next_run_at } : {}),
        ...(f.last_run_at !== undefined ? { lastRunAt: f.last_run_at } : {}),
        ...(f.incomplete !== undefined ? { incomplete: f.incomplete } : {}),
      });
    },
    async tracks(memberId, sessionId) {
      await tick();
      return [...tracks.values()]
        .filter((t) => t.memberId === memberId && t.sessionId === sessionId)
        .sort((a, b) => a.playedAt - b.playedAt)
        .map(({ memberId: _m, sessionId: _s, ...t }) => t);
    },
    async allTracks(memberId) {
      await tick();
      return [...tracks.values()]
        .filter((t) => t.memberId === memberId)
        .sort((a, b) => b.playedAt - a.playedAt)
        .map(({ memberId: _m, ...t }) => t);
    },
    async saveTracks(memberId, sessionId, plays) {
      await tick();
      let created = 0;
      for (const p of plays) {
        const k = `${key(memberId, sessionId)}/${p.trackId}@${p.playedAt}`;
        const hr = { avgBpm: p.hr.samples > 0 ? p.hr.avgBpm : null, peakBpm: p.hr.samples > 0 ? p.hr.peakBpm : null, samples: p.hr.samples };
        const had = tracks.get(k);
        if (had) {
          tracks.set(k, { ...had, ...hr });
          continue;
        }
        tracks.set(k, {
          memberId,
          sessionId,
          trackId: p.trackId,
          uri: p.uri,
          name: p.name,
          artists: [...p.artists],
          album: p.album,
          albumArtUrl: p.albumArtUrl,
          playedAt: p.playedAt,
          startAt: Math.max(0, p.startAt),
          durationMs: p.durationMs,
          ...hr,
        });
        created += 1;
      }
      return created;
    },
    async removeSessionTracks(memberId, sessionId) {
      await tick();
      for (const [k, t] of tracks) if (t.memberId === memberId && t.sessionId === sessionId) tracks.delete(k);
    },
  };

  return {
    store,
    seedSession(memberId: string, sessionId: string, record: unknown, seq: number) {
      sessions.set(key(memberId, sessionId), { memberId, sessionId, record, seq });
    },
    seedReadings(memberId: string, sessionId: string, r: Reading[]) {
      readingsOf.set(key(memberId, sessionId), r);
    },
    setConnected(ids: string[]) {
      connected = [...ids];
    },
  };
}
