/**
 * The crash-safe workout recorder. It takes strap events and writes each reading to IndexedDB
 * as it arrives, in one small transaction (readings that arrive while a write is under way go
 * together in the next one), besides a write at least every `flushEveryMs` (1 s) and on demand
 * (page hidden, pagehide, timer commands). In a page the write of a reading starts once the
 * frame that shows it has been produced (`scheduleWrite`, write-scheduler.ts: one frame, at most
 * 100 ms), so the live screen's frame never waits for IndexedDB. So a reload or a killed tab
 * loses only what arrived during the last frame and write, well under a second: the bound does
 * not depend on the flush on leaving the page, which a reload or a crash often cuts short.
 * Readings are packed CHUNK_READINGS to a row with core/sync's sample codec; the newest row is
 * rewritten in place until full (storage/schema.ts). A per-reading write puts only the chunk
 * rows; the session row (its `lastWriteAt`, counts, timer and gaps) is written by the tick, on
 * demand, and whenever the timer or a gap changed, so it may lag the chunks by up to
 * `flushEveryMs`: `resumeRecording` and `finishCutOffSession` read the counts and the last write
 * from the chunks themselves.
 *
 * Guarantees:
 * - After a flush resolves, every reading received before it started is in IndexedDB.
 * - With `writeEachReading` (the default), a reading is being written as soon as
 *   `scheduleWrite` lets it and the write before it has committed: at most one write runs and at
 *   most one more waits.
 * - Flushes never overlap; a failed flush keeps its readings for the next one.
 * - Gaps are recorded as gaps (SessionRow.gaps), never filled in; a disconnect or silence also
 *   writes a bpm-0 marker reading so summaries never hold a value across it.
 * - A session cut off (crash, closed tab, reload) stays 'recording' with everything flushed;
 *   `resumeRecording` continues it (the time the app was gone becomes an 'app-closed' gap) and
 *   `finishCutOffSession` closes it at its last write.
 */
import { phaseHistory, stopTimer, type Plan, type Profile, type TimerState } from '$core/workout';
import type { StrapEvent } from '$core/heart-rate';
import {
  CHUNK_READINGS,
  encodeReadings,
  newId,
  normalizeReading,
  outboxTables,
  recordFinished,
  deviceTzOffsetMinutes,
  type HrmDatabase,
  type ReadingSource,
  type RecordedReading,
  type SessionGap,
  type SessionRoom,
  type SessionRow,
  type SessionStore,
} from '$lib/storage';
import type { Clock } from './clock';
import type { PageHideSource } from './page-lifecycle';
import { writeAtOnce, type WriteScheduler } from './write-scheduler';
import { finishRecording } from './session-summary';

export const FLUSH_EVERY_MS = 1_000;

export interface RecorderDeps {
  db: () => HrmDatabase;
  sessions: SessionStore;
  clock: Clock;
  pageHide?: PageHideSource;
  flushEveryMs?: number;
  /** Write each reading as it arrives (default true); false: only every `flushEveryMs` and on demand. */
  writeEachReading?: boolean;
  /**
   * When the write of a reading that just arrived starts (default: at once). The browser passes
   * `afterPaint()`: after the frame that shows the reading, at most 100 ms later.
   */
  scheduleWrite?: WriteScheduler;
  /** Reports a failed write (the readings stay buffered); default: console.error. */
  onError?: (error: unknown) => void;
  /** Local time minus UTC at a time, minutes; default: this device's zone. */
  tzOffsetMinutes?: (ms: number) => number;
}

export interface Recorder {
  readonly sessionId: string;
  /** A strap event sink: pass it to StrapEventSource.subscribe. */
  readonly sink: (event: StrapEvent) => void;
  readonly readingCount: number;
  readonly openGap: SessionGap | null;
  /**
   * Persist a new timer state (pause, resume, skip) together with any buffered readings; a class
   * recording also persists which run of the room's timer it follows.
   */
  updateTimer(timer: TimerState, room?: SessionRoom): Promise<void>;
  flush(): Promise<void>;
  /** Stop the timer (if still running), compute the summary and close the session. */
  finish(timer: TimerState, profile: Profile, profileIsDefault: boolean): Promise<SessionRow>;
  /** Stop flushing without finishing (the session stays 'recording'); flushes once first. */
  close(): Promise<void>;
}

function marker(t: number, contact: RecordedReading['contact'] = 'unsupported'): RecordedReading {
  return { t, bpm: 0, rr1024: [], contact, energyKj: null };
}

interface RecorderStart {
  row: SessionRow;
  /** Readings to write with the first flush (e.g. the 'app-closed' gap marker). */
  initial: RecordedReading[];
}

function createRecorder(deps: RecorderDeps, start: RecorderStart): Recorder {
  const { db, clock } = deps;
  const id = start.row.id;
  let timer = start.row.timer;
  let room = start.row.room;
  let gaps: SessionGap[] = [...start.row.gaps];
  let seq = start.row.chunkCount;
  let readingCount = start.row.readingCount + start.initial.length;
  /** Readings received since the last successful flush. */
  let pending: RecordedReading[] = [...start.initial];
  /** Readings already in the open chunk row `seq` (rewritten on each flush until full). */
  let open: RecordedReading[] = [];
  let dirty = true;
  /** Chunk rows were written since the session row's counts and `lastWriteAt` last were. */
  let rowBehind = false;
  let chain: Promise<void> = Promise.resolve();
  /** A write is queued on `chain` and has not started yet: it will take every pending reading. */
  let queued = false;
  /** A per-reading write is waiting for `scheduleWrite`. */
  let scheduled = false;
  let closed = false;
  const writeEachReading = deps.writeEachReading ?? true;
  const scheduleWrite = deps.scheduleWrite ?? writeAtOnce;
  const onError = deps.onError ?? ((e: unknown) => console.error('recorder: write failed', e));

  function openGapIndex(): number {
    for (let i = gaps.length - 1; i >= 0; i--) if (gaps[i]!.end === null) return i;
    return -1;
  }

  function sink(event: StrapEvent): void {
    if (closed) return;
    if (event.type === 'reading') {
      const r = event.reading;
      pending.push(normalizeReading({ t: r.t, bpm: r.bpm, rr1024: r.rr1024, contact: r.contact, energyKj: r.energyKj }));
      readingCount++;
      if (writeEachReading && !queued && !scheduled) {
        scheduled = true;
        scheduleWrite(() => {
          scheduled = false;
          // A flush since (a tick, a timer command) may have taken the reading already.
          if (queued || closed || pending.length === 0) return;
          queued = true;
          writeReadings().catch(onError);
        });
      }
      return;
    }
    dirty = true;
    if (event.type === 'gap-start') {
      if (openGapIndex() >= 0) return;
      gaps = [...gaps, { reason: event.reason, start: event.at, end: null }];
      if (event.reason === 'disconnected' || event.reason === 'silence') {
        pending.push(marker(event.at));
        readingCount++;
      }
    } else {
      const i = openGapIndex();
      if (i >= 0) gaps = gaps.map((g, j) => (j === i ? { ...g, end: Math.max(g.start, event.at) } : g));
    }
  }

  /** `readingsOnly`: the per-reading write, chunk rows only unless the timer or a gap changed. */
  async function write(readingsOnly = false): Promise<void> {
    queued = false;
    if (readingsOnly && pending.length === 0) return;
    if (pending.length === 0 && !dirty && !rowBehind) {
      await db().sessions.update(id, { lastWriteAt: clock.now() });
      return;
    }
    const taken = pending;
    pending = [];
    const openBefore = open;
    const seqBefore = seq;
    let nextOpen = [...open, ...taken];
    let nextSeq = seq;
    const rows: Array<{ readings: RecordedReading[]; seq: number; sealed: 0 | 1 }> = [];
    // Nothing new (the tick after per-reading writes): the session row only.
    if (taken.length > 0) {
      while (nextOpen.length >= CHUNK_READINGS) {
        rows.push({ readings: nextOpen.slice(0, CHUNK_READINGS), seq: nextSeq++, sealed: 1 });
        nextOpen = nextOpen.slice(CHUNK_READINGS);
      }
      if (nextOpen.length > 0) rows.push({ readings: nextOpen, seq: nextSeq, sealed: 0 });
    }
    const t = clock.now();
    const d = db();
    const chunksOnly = readingsOnly && !dirty;
    try {
      await d.transaction('rw', chunksOnly ? [d.chunks] : [d.sessions, d.chunks], async () => {
        for (const row of rows) {
          const times = row.readings.map((r) => r.t);
          await d.chunks.put({
            sessionId: id,
            seq: row.seq,
            sealed: row.sealed,
            t0: Math.min(...times),
            t1: Math.max(...times),
            count: row.readings.length,
            data: encodeReadings(row.readings),
          });
        }
        if (chunksOnly) return;
        await d.sessions.update(id, {
          lastWriteAt: t,
          updatedAt: t,
          // The plan goes with the timer: a class recording adopts a plan the coach loads
          // before starting (for a solo workout it never changes).
          plan: timer.plan,
          timer,
          ...(room ? { room } : {}),
          gaps,
          readingCount,
          chunkCount: nextSeq + (nextOpen.length > 0 ? 1 : 0),
        });
      });
      open = nextOpen;
      seq = nextSeq;
      if (chunksOnly) rowBehind = true;
      else {
        dirty = false;
        rowBehind = false;
      }
    } catch (error) {
      pending = [...taken, ...pending];
      open = openBefore;
      seq = seqBefore;
      onError(error);
    }
  }

  function flush(): Promise<void> {
    chain = chain.then(
      () => write(),
      () => write(),
    );
    return chain;
  }

  /** The per-reading write (chunk rows; the session row too if the timer or a gap changed). */
  function writeReadings(): Promise<void> {
    chain = chain.then(
      () => write(true),
      () => write(true),
    );
    return chain;
  }

  const stopTicking = clock.every(deps.flushEveryMs ?? FLUSH_EVERY_MS, () => void flush());
  const stopWatchingPage = deps.pageHide?.(() => void flush()) ?? (() => {});

  function stop(): void {
    closed = true;
    stopTicking();
    stopWatchingPage();
  }

  return {
    sessionId: id,
    sink,
    get readingCount() {
      return readingCount;
    },
    get openGap() {
      const i = openGapIndex();
      return i >= 0 ? gaps[i]! : null;
    },
    async updateTimer(next, nextRoom) {
      timer = next;
      room = nextRoom ?? room;
      dirty = true;
      await flush();
      await db().sessions.update(id, { phases: phaseHistory(timer, clock.now()) });
    },
    flush,
    async finish(current, profile, profileIsDefault) {
      const now = clock.now();
      timer = current.stoppedAt === null ? stopTimer(current, now).state : current;
      gaps = gaps.map((g) => (g.end === null ? { ...g, end: Math.max(g.start, now) } : g));
      dirty = true;
      await flush();
      stop();
      return finishSession(deps, id, timer, gaps, profile, profileIsDefault);
    },
    async close() {
      await flush();
      stop();
    },
  };
}

async function finishSession(
  deps: Pick<RecorderDeps, 'db' | 'sessions' | 'clock' | 'tzOffsetMinutes'>,
  id: string,
  timer: TimerState,
  gaps: SessionGap[],
  profile: Profile,
  profileIsDefault: boolean,
): Promise<SessionRow> {
  const readings = await deps.sessions.readings(id);
  const { endedAt, phases, summary } = finishRecording(timer, readings, profile);
  const tzOffsetMinutes = (deps.tzOffsetMinutes ?? deviceTzOffsetMinutes)(timer.startedAt ?? endedAt);
  const d = deps.db();
  // The sync outbox rows (session.upsert + chunk.put) commit with the finish itself.
  return d.transaction('rw', outboxTables(d), async () => {
    await d.chunks.where('sessionId').equals(id).modify({ sealed: 1 });
    const t = deps.clock.now();
    await d.sessions.update(id, { status: 'finished', timer, gaps, endedAt, phases, summary, profile, profileIsDefault, tzOffsetMinutes, updatedAt: t, lastWriteAt: t });
    await recordFinished(d, id, t);
    return (await d.sessions.get(id))!;
  });
}

/**
 * What a cut-off session holds, from its chunk rows: per-reading writes put chunks without the
 * session row, so the row's counts and `lastWriteAt` may be up to a second behind them.
 */
async function writtenSoFar(d: HrmDatabase, row: SessionRow): Promise<{ lastWriteAt: number; readingCount: number; chunkCount: number }> {
  let readingCount = 0;
  let chunkCount = row.chunkCount;
  let lastWriteAt = row.lastWriteAt;
  await d.chunks
    .where('sessionId')
    .equals(row.id)
    .each((c) => {
      readingCount += c.count;
      chunkCount = Math.max(chunkCount, c.seq + 1);
      lastWriteAt = Math.max(lastWriteAt, c.t1);
    });
  return { lastWriteAt, readingCount: Math.max(readingCount, row.readingCount), chunkCount };
}

export interface StartOptions {
  plan: Plan;
  /** The timer state just started (startedAt set). */
  timer: TimerState;
  source: ReadingSource;
  title?: string;
  /** The class this workout is recorded in (its timer follows the room's). */
  room?: SessionRoom;
}

export async function startRecording(deps: RecorderDeps, options: StartOptions): Promise<Recorder> {
  const t = deps.clock.now();
  const row: SessionRow = {
    id: newId(),
    v: 1,
    status: 'recording',
    startedAt: options.timer.startedAt ?? t,
    endedAt: null,
    lastWriteAt: t,
    title: options.title ?? options.plan.name,
    notes: '',
    plan: options.plan,
    timer: options.timer,
    phases: [],
    gaps: [],
    source: options.source,
    readingCount: 0,
    chunkCount: 0,
    profile: null,
    profileIsDefault: false,
    summary: null,
    updatedAt: t,
    owner: '',
    synced: 0,
    origin: 'local',
    ...(options.room ? { room: options.room } : {}),
  };
  await deps.db().sessions.add(row);
  return createRecorder(deps, { row, initial: [] });
}

export type ResumeResult = { ok: true; recorder: Recorder; session: SessionRow } | { ok: false; code: 'not-found' | 'not-recording' };

/**
 * Continue a session that was cut off. The time between its last write and now becomes an
 * 'app-closed' gap; its partly filled chunk is sealed and new readings go to the next one.
 */
export async function resumeRecording(deps: RecorderDeps, id: string): Promise<ResumeResult> {
  const d = deps.db();
  const now = deps.clock.now();
  const result = await d.transaction('rw', d.sessions, d.chunks, async () => {
    const row = await d.sessions.get(id);
    if (!row) return { ok: false as const, code: 'not-found' as const };
    if (row.status !== 'recording') return { ok: false as const, code: 'not-recording' as const };
    await d.chunks.where('sessionId').equals(id).modify({ sealed: 1 });
    const written = await writtenSoFar(d, row);
    const cutoff = Math.min(written.lastWriteAt, now);
    const gaps: SessionGap[] = [
      ...row.gaps.map((g) => (g.end === null ? { ...g, end: Math.max(g.start, cutoff) } : g)),
      { reason: 'app-closed', start: cutoff, end: now },
    ];
    const updated: SessionRow = { ...row, gaps, readingCount: written.readingCount, chunkCount: written.chunkCount, lastWriteAt: now, updatedAt: now };
    await d.sessions.put(updated);
    return { ok: true as const, row: updated, cutoff };
  });
  if (!result.ok) return result;
  const recorder = createRecorder(deps, { row: result.row, initial: [marker(result.cutoff)] });
  return { ok: true, recorder, session: result.row };
}

/** Close a cut-off session at its last write, with the summary of what was recorded. */
export async function finishCutOffSession(
  deps: Pick<RecorderDeps, 'db' | 'sessions' | 'clock' | 'tzOffsetMinutes'>,
  id: string,
  profile: Profile,
  profileIsDefault: boolean,
): Promise<SessionRow | null> {
  const row = await deps.sessions.get(id);
  if (!row || row.status !== 'recording') return null;
  const end = (await writtenSoFar(deps.db(), row)).lastWriteAt;
  const timer = row.timer.stoppedAt === null && row.timer.startedAt !== null ? stopTimer(row.timer, end).state : row.timer;
  const gaps = row.gaps.map((g) => (g.end === null ? { ...g, end: Math.max(g.start, end) } : g));
  return finishSession(deps, id, timer, gaps, profile, profileIsDefault);
}
