/**
 * The hub's crash-safe recorder: every strap's readings (ANT+ and Bluetooth alike, from the one
 * reading stream) written to IndexedDB as they arrive, with the phone recorder's durability
 * bound (recording/recorder.ts): a write starts as soon as a reading arrives and the write
 * before it has committed (at most one runs, at most one more waits), plus one at least every
 * FLUSH_EVERY_MS. All straps go in one transaction per write, so 38 straps at 4 Hz cost one
 * small transaction at a time, not one each. A reload or a crashed page therefore loses only
 * the readings of the write under way (milliseconds), always ≤ 1 s.
 *
 * Rows (storage/schema.ts, version 5): one HubRecordingRow per strap key and room, readings in
 * HubChunkRows of CHUNK_READINGS packed with the sample codec; the newest chunk is rewritten in
 * place until full. `open()` continues the rows a cut-off page left 'recording' (the open chunk
 * is read back and extended; the time away becomes an 'app-closed' gap).
 */
import {
  CHUNK_READINGS,
  decodeReadings,
  encodeReadings,
  newId,
  normalizeReading,
  type HrmDatabase,
  type HubRecordingRow,
  type RecordedReading,
} from '$lib/storage';
import { rrTo1024, type HubReading } from './hub-reading';

export const HUB_FLUSH_EVERY_MS = 1_000;

export interface HubRecorderDeps {
  db: () => HrmDatabase;
  roomId: string;
  now?: () => number;
  /** The class run the readings belong to, when the hub knows it (new recordings take it). */
  classRunId?: () => string | null;
  flushEveryMs?: number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
  onError?: (error: unknown) => void;
}

interface StrapTrack {
  row: HubRecordingRow;
  /** Readings already in the open chunk row `seq`. */
  open: RecordedReading[];
  seq: number;
  pending: RecordedReading[];
  /** The row itself changed (new, gap): write it even without readings. */
  dirty: boolean;
}

export interface HubRecorderStats {
  straps: number;
  readings: number;
  writes: number;
  failedWrites: number;
  /** Longest time a reading waited between arriving and its write committing, ms. */
  maxLatencyMs: number;
}

export class HubRecorder {
  readonly #d: HubRecorderDeps;
  readonly #now: () => number;
  readonly #tracks = new Map<string, StrapTrack>();
  #chain: Promise<void> = Promise.resolve();
  #queued = false;
  #closed = false;
  #ticker: unknown = null;
  #oldestPendingAt: number | null = null;
  /** The 1 s tick: every recording row gets its counts and "alive" stamp rewritten. */
  #rowsDue = true;
  readonly stats: HubRecorderStats = { straps: 0, readings: 0, writes: 0, failedWrites: 0, maxLatencyMs: 0 };

  constructor(deps: HubRecorderDeps) {
    this.#d = deps;
    this.#now = deps.now ?? (() => Date.now());
  }

  /** Continues the recordings a cut-off hub page left in this room, then starts the 1 s flush. */
  async open(): Promise<number> {
    const db = this.#d.db();
    const now = this.#now();
    const rows = await db.hubRecordings.where('[roomId+status]').equals([this.#d.roomId, 'recording']).toArray();
    for (const stale of rows) {
      // The row is rewritten about once a second; its chunks with every write: they are the truth.
      const chunks = await db.hubChunks.where('recordingId').equals(stale.id).sortBy('seq');
      const lastChunk = chunks.at(-1);
      const row: HubRecordingRow = {
        ...stale,
        chunkCount: lastChunk ? lastChunk.seq + 1 : 0,
        readingCount: chunks.reduce((n, c) => n + c.count, 0),
        lastWriteAt: Math.max(stale.lastWriteAt, lastChunk?.t1 ?? 0),
      };
      let open: RecordedReading[] = [];
      let seq = row.chunkCount;
      if (lastChunk && lastChunk.sealed === 0) {
        open = decodeReadings(lastChunk.data) ?? [];
        seq = lastChunk.seq;
      }
      const gaps = [...row.gaps, { reason: 'app-closed' as const, start: row.lastWriteAt, end: Math.max(row.lastWriteAt, now) }];
      this.#tracks.set(row.strapKey, { row: { ...row, gaps }, open, seq, pending: [], dirty: true });
    }
    this.stats.straps = this.#tracks.size;
    const every = this.#d.flushEveryMs ?? HUB_FLUSH_EVERY_MS;
    const si = this.#d.setInterval ?? ((fn, ms) => globalThis.setInterval(fn, ms));
    this.#ticker = si(() => {
      this.#rowsDue = true;
      void this.flush();
    }, every);
    if (rows.length > 0) await this.flush();
    return rows.length;
  }

  /** The reading-stream listener. */
  readonly sink = (r: HubReading): void => {
    if (this.#closed) return;
    let track = this.#tracks.get(r.strapKey);
    if (!track) {
      const at = this.#now();
      track = {
        row: {
          id: newId(),
          roomId: this.#d.roomId,
          strapKey: r.strapKey,
          classRunId: this.#d.classRunId?.() ?? null,
          status: 'recording',
          startedAt: r.at,
          lastWriteAt: at,
          readingCount: 0,
          chunkCount: 0,
          gaps: [],
          sessionId: null,
        },
        open: [],
        seq: 0,
        pending: [],
        dirty: true,
      };
      this.#tracks.set(r.strapKey, track);
      this.stats.straps = this.#tracks.size;
    }
    track.pending.push(normalizeReading({ t: r.at, bpm: r.bpm, rr1024: rrTo1024(r.rrMs), contact: 'unsupported', energyKj: null }));
    this.stats.readings++;
    this.#oldestPendingAt ??= this.#now();
    if (!this.#queued) {
      this.#queued = true;
      void this.flush();
    }
  };

  /** Resolves once every reading received before the call is in IndexedDB (or the write failed). */
  flush(): Promise<void> {
    const run = () => this.#write();
    this.#chain = this.#chain.then(run, run);
    return this.#chain;
  }

  /** Flushes, stops, and marks every recording closed (the hub stopped carrying the room). */
  async close(): Promise<void> {
    await this.flush();
    this.#stop();
    const db = this.#d.db();
    const ids = [...this.#tracks.values()].map((t) => t.row.id);
    await db.transaction('rw', db.hubRecordings, db.hubChunks, async () => {
      for (const t of this.#tracks.values()) {
        if (t.open.length > 0) await db.hubChunks.update([t.row.id, t.seq], { sealed: 1 });
      }
      await db.hubRecordings.where('id').anyOf(ids).modify({ status: 'closed' });
    });
  }

  /** Stops writing without closing (as a page that goes away): rows stay 'recording'. */
  async detach(): Promise<void> {
    await this.flush();
    this.#stop();
  }

  #stop() {
    this.#closed = true;
    if (this.#ticker !== null) (this.#d.clearInterval ?? ((h) => globalThis.clearInterval(h as number)))(this.#ticker);
    this.#ticker = null;
  }

  async #write(): Promise<void> {
    this.#queued = false;
    const t = this.#now();
    const oldest = this.#oldestPendingAt;
    this.#oldestPendingAt = null;
    const rowsDue = this.#rowsDue;
    this.#rowsDue = false;
    interface Plan {
      track: StrapTrack;
      taken: RecordedReading[];
      nextOpen: RecordedReading[];
      nextSeq: number;
      rows: Array<{ readings: RecordedReading[]; seq: number; sealed: 0 | 1 }>;
      row: HubRecordingRow;
      /** The recording row must be written with this write (new, gap, chunk sealed, or the tick). */
      putRow: boolean;
    }
    const plans: Plan[] = [];
    for (const track of this.#tracks.values()) {
      if (track.pending.length === 0 && !track.dirty && !rowsDue) continue;
      const taken = track.pending;
      track.pending = [];
      let nextOpen = [...track.open, ...taken];
      let nextSeq = track.seq;
      const rows: Plan['rows'] = [];
      while (nextOpen.length >= CHUNK_READINGS) {
        rows.push({ readings: nextOpen.slice(0, CHUNK_READINGS), seq: nextSeq++, sealed: 1 });
        nextOpen = nextOpen.slice(CHUNK_READINGS);
      }
      if (nextOpen.length > 0 && taken.length > 0) rows.push({ readings: nextOpen, seq: nextSeq, sealed: 0 });
      const row: HubRecordingRow = {
        ...track.row,
        lastWriteAt: t,
        readingCount: track.row.readingCount + taken.length,
        chunkCount: nextSeq + (nextOpen.length > 0 ? 1 : 0),
      };
      plans.push({ track, taken, nextOpen, nextSeq, rows, row, putRow: rowsDue || track.dirty || nextSeq !== track.seq });
    }
    if (plans.length === 0) return;
    const db = this.#d.db();
    try {
      // Each write puts only the chunks that changed; the rows follow at least once a second
      // (open() rebuilds their counts from the chunks after a crash).
      await db.transaction('rw', db.hubRecordings, db.hubChunks, async () => {
        const chunkRows = plans.flatMap((p) =>
          p.rows.map((row) => {
            let t0 = Infinity;
            let t1 = -Infinity;
            for (const r of row.readings) {
              if (r.t < t0) t0 = r.t;
              if (r.t > t1) t1 = r.t;
            }
            return { recordingId: p.track.row.id, seq: row.seq, sealed: row.sealed, t0, t1, count: row.readings.length, data: encodeReadings(row.readings) };
          }),
        );
        if (chunkRows.length > 0) await db.hubChunks.bulkPut(chunkRows);
        const recordingRows = plans.filter((p) => p.putRow).map((p) => p.row);
        if (recordingRows.length > 0) await db.hubRecordings.bulkPut(recordingRows);
      });
      for (const p of plans) {
        p.track.row = p.row;
        p.track.open = p.nextOpen;
        p.track.seq = p.nextSeq;
        if (p.putRow) p.track.dirty = false;
      }
      this.stats.writes++;
      if (oldest !== null) this.stats.maxLatencyMs = Math.max(this.stats.maxLatencyMs, this.#now() - oldest);
    } catch (error) {
      for (const p of plans) p.track.pending = [...p.taken, ...p.track.pending];
      if (rowsDue) this.#rowsDue = true;
      if (oldest !== null) this.#oldestPendingAt = Math.min(oldest, this.#oldestPendingAt ?? oldest);
      this.stats.failedWrites++;
      (this.#d.onError ?? ((e) => console.error('hub recorder: write failed', e)))(error);
    }
  }
}

/**
 * A hub recording's readings in time order; with `from`/`to`, only chunks that overlap that
 * stretch are decoded (their t0/t1), and only its readings returned (after class: one run).
 */
export async function hubRecordingReadings(db: HrmDatabase, recordingId: string, from = -Infinity, to = Infinity): Promise<RecordedReading[]> {
  const chunks = await db.hubChunks.where('recordingId').equals(recordingId).sortBy('seq');
  return chunks.filter((c) => c.t1 >= from && c.t0 <= to).flatMap((c) => (decodeReadings(c.data) ?? []).filter((r) => r.t >= from && r.t <= to));
}

/** The room's hub recordings (open and closed) on this device. */
export function roomHubRecordings(db: HrmDatabase, roomId: string): Promise<HubRecordingRow[]> {
  return db.hubRecordings.where('[roomId+status]').anyOf([roomId, 'recording'], [roomId, 'closed']).toArray();
}
