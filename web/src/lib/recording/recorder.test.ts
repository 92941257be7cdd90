import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { LiveSessionSchema } from '$core/sync';
import { pauseTimer, resumeTimer, skipPhase, startTimer, createTimer, type IntervalPlan, type Profile } from '$core/workout';
import type { StrapEvent } from '$core/heart-rate';
import { CHUNK_READINGS, createStorage } from '$lib/storage';
import { fakeClock } from './clock';
import { finishCutOffSession, resumeRecording, startRecording } from './recorder';

const plan: IntervalPlan = { v: 1, mode: 'intervals', name: 'Short', prepareMs: 2_000, blocks: [{ name: 'Main', workMs: 5_000, restMs: 3_000, rounds: 2 }] };
const profile: Profile = { age: 30, sex: 'male', weightKg: 75, restingHr: 55, maxHrMethod: 'tanaka', zoneModel: 'percent-max' };

let dbCount = 0;
/** `writeEachReading: false` isolates the tick: readings wait for it (or for a flush). */
function setup(options: { writeEachReading?: boolean } = {}) {
  const clock = fakeClock();
  const name = `rec-test-${dbCount++}`;
  const storage = createStorage({ name, now: clock.now });
  const deps = { db: storage.db, sessions: storage.sessions, clock, onError: () => {}, ...options };
  return { clock, storage, deps, name };
}

function reading(t: number, bpm = 120): StrapEvent {
  return { type: 'reading', reading: { t, bpm, contact: 'detected', energyKj: null, rr1024: [Math.round(60_000 / bpm * 1.024)] } };
}

describe('recorder', () => {
  it('writes each reading as it arrives, with no tick and no page-hide flush', async () => {
    const { clock, storage, deps } = setup();
    const timer = startTimer(createTimer(plan), clock.now()).state;
    const rec = await startRecording(deps, { plan, timer, source: 'strap' });
    rec.sink(reading(clock.now() + 100, 131));
    // The clock does not move: no tick fires; the reading is written on its own.
    await expect.poll(async () => (await storage.sessions.readings(rec.sessionId)).map((r) => r.bpm)).toEqual([131]);
    rec.sink(reading(clock.now() + 300, 132));
    await expect.poll(async () => (await storage.sessions.readings(rec.sessionId)).map((r) => r.bpm)).toEqual([131, 132]);
    // The per-reading write puts the chunk only; the session row catches up on the tick.
    clock.advance(1_000);
    await rec.flush();
    expect(await storage.sessions.get(rec.sessionId)).toMatchObject({ readingCount: 2, chunkCount: 1, lastWriteAt: clock.now() });
    await rec.close();
  });

  it('a crash between ticks: the resume counts what the per-reading writes put, and the cut starts after the last of them', async () => {
    const { clock, storage, deps, name } = setup();
    const timer = startTimer(createTimer(plan), clock.now()).state;
    const rec = await startRecording(deps, { plan, timer, source: 'strap' });
    // A full chunk and 5 more, each written by its own per-reading write, no tick in between
    // (the clock does not tick: the session row is behind).
    const n = CHUNK_READINGS + 5;
    for (let i = 0; i < n; i++) {
      rec.sink(reading(clock.now() + 200 * i, 100 + (i % 50)));
      await expect.poll(async () => (await storage.sessions.readings(rec.sessionId)).length).toBe(i + 1);
    }
    const lastT = clock.now() + 200 * (n - 1);
    const behind = (await storage.sessions.get(rec.sessionId))!;
    expect(behind.readingCount).toBeLessThan(n);
    expect(behind.chunkCount).toBeLessThan(2);
    storage.db().close();

    clock.set(lastT + 3_000);
    const reopened = createStorage({ name, now: clock.now });
    const resumed = await resumeRecording({ ...deps, db: reopened.db, sessions: reopened.sessions }, rec.sessionId);
    if (!resumed.ok) throw new Error(resumed.code);
    expect(resumed.session).toMatchObject({ readingCount: n, chunkCount: 2 });
    expect(resumed.session.gaps).toEqual([{ reason: 'app-closed', start: lastT, end: clock.now() }]);
    resumed.recorder.sink(reading(clock.now() + 10, 170));
    const row = await resumed.recorder.finish(resumed.session.timer, profile, false);
    // Nothing written before the crash was overwritten: the new chunk comes after the two.
    const bpms = (await reopened.sessions.readings(rec.sessionId)).map((r) => r.bpm);
    expect(bpms).toHaveLength(n + 2);
    expect(bpms.slice(-2)).toEqual([0, 170]);
    expect(row.readingCount).toBe(n + 2);
    const chunks = await reopened.db().chunks.where('sessionId').equals(rec.sessionId).toArray();
    expect(chunks.map((c) => [c.seq, c.count])).toEqual([
      [0, CHUNK_READINGS],
      [1, 5],
      [2, 2],
    ]);
  });

  it('puts readings that arrive during a write into one next write, never one write each', async () => {
    const { clock, storage, deps } = setup();
    const timer = startTimer(createTimer(plan), clock.now()).state;
    const rec = await startRecording(deps, { plan, timer, source: 'strap' });
    const transactions = vi.spyOn(storage.db(), 'transaction');
    for (let i = 0; i < 50; i++) rec.sink(reading(clock.now() + i, 100 + i));
    await expect.poll(async () => (await storage.sessions.readings(rec.sessionId)).length).toBe(50);
    expect(transactions.mock.calls.length).toBeLessThanOrEqual(2);
    await rec.close();
  });

  it('starts a reading\'s write when scheduleWrite lets it, one write for what arrived meanwhile', async () => {
    const waiting: Array<() => void> = [];
    const { clock, storage, deps } = setup();
    const timer = startTimer(createTimer(plan), clock.now()).state;
    const rec = await startRecording({ ...deps, scheduleWrite: (write) => void waiting.push(write) }, { plan, timer, source: 'strap' });
    const transactions = vi.spyOn(storage.db(), 'transaction');
    rec.sink(reading(clock.now() + 100, 131));
    rec.sink(reading(clock.now() + 200, 132));
    rec.sink(reading(clock.now() + 300, 133));
    // One write asked for, none started (the frame has not been painted yet).
    expect(waiting).toHaveLength(1);
    expect(transactions).not.toHaveBeenCalled();
    waiting.shift()!();
    await expect.poll(async () => (await storage.sessions.readings(rec.sessionId)).map((r) => r.bpm)).toEqual([131, 132, 133]);
    expect(transactions).toHaveBeenCalledTimes(1);
    // A flush (tick, timer command) before the scheduled write takes the reading; the late
    // scheduled write then writes nothing.
    rec.sink(reading(clock.now() + 400, 134));
    await rec.flush();
    expect((await storage.sessions.readings(rec.sessionId)).map((r) => r.bpm)).toEqual([131, 132, 133, 134]);
    const calls = transactions.mock.calls.length;
    waiting.shift()!();
    await rec.flush();
    expect(transactions.mock.calls.length).toBe(calls);
    await rec.close();
  });

  it('writes buffered readings at least once a second, in chunk rows', async () => {
    const { clock, storage, deps } = setup({ writeEachReading: false });
    const timer = startTimer(createTimer(plan), clock.now()).state;
    const rec = await startRecording(deps, { plan, timer, source: 'simulated' });
    rec.sink(reading(clock.now() + 100));
    rec.sink(reading(clock.now() + 400));
    expect(await storage.sessions.readings(rec.sessionId)).toHaveLength(0);
    clock.advance(1_000);
    await rec.flush(); // wait for the flush the tick started
    expect((await storage.sessions.readings(rec.sessionId)).map((r) => r.bpm)).toEqual([120, 120]);
    const row = await storage.sessions.get(rec.sessionId);
    expect(row).toMatchObject({ status: 'recording', readingCount: 2, chunkCount: 1, lastWriteAt: clock.now() });
    await rec.close();
  });

  it('seals full chunks and keeps one open chunk rewritten in place', async () => {
    const { clock, storage, deps } = setup();
    const timer = startTimer(createTimer(plan), clock.now()).state;
    const rec = await startRecording(deps, { plan, timer, source: 'strap' });
    const n = CHUNK_READINGS + 10;
    for (let i = 0; i < n; i++) {
      rec.sink(reading(clock.now() + 1, 100 + (i % 50)));
      clock.advance(1_000);
    }
    await rec.flush();
    const chunks = await storage.db().chunks.where('sessionId').equals(rec.sessionId).toArray();
    expect(chunks.map((c) => [c.seq, c.sealed, c.count])).toEqual([
      [0, 1, CHUNK_READINGS],
      [1, 0, 10],
    ]);
    const readings = await storage.sessions.readings(rec.sessionId);
    expect(readings).toHaveLength(n);
    expect(readings.every((r, i) => i === 0 || readings[i - 1]!.t < r.t)).toBe(true);
    await rec.close();
  });

  it('after a crash, flushed readings survive, the unflushed buffer is lost, and the session can resume', async () => {
    const { clock, storage, deps, name } = setup({ writeEachReading: false });
    const start = clock.now();
    const timer = startTimer(createTimer(plan), start).state;
    const rec = await startRecording(deps, { plan, timer, source: 'simulated' });
    for (let i = 0; i < 5; i++) {
      clock.advance(1_000);
      rec.sink(reading(clock.now() - 500, 110 + i));
    }
    await rec.flush();
    rec.sink(reading(clock.now() + 500, 200)); // never flushed: the tab dies now
    storage.db().close();

    // The app opens again, with a fresh database connection.
    clock.advance(4_000);
    const reopened = createStorage({ name, now: clock.now });
    const cut = await reopened.sessions.unfinished();
    expect(cut.map((s) => s.id)).toEqual([rec.sessionId]);
    expect((await reopened.sessions.readings(rec.sessionId)).map((r) => r.bpm)).toEqual([110, 111, 112, 113, 114]);

    const resumed = await resumeRecording({ ...deps, db: reopened.db, sessions: reopened.sessions }, rec.sessionId);
    if (!resumed.ok) throw new Error(resumed.code);
    const cutoff = cut[0]!.lastWriteAt;
    expect(resumed.session.gaps).toEqual([{ reason: 'app-closed', start: cutoff, end: clock.now() }]);
    resumed.recorder.sink(reading(clock.now() + 10, 130));
    clock.advance(1_000);
    const row = await resumed.recorder.finish(resumed.session.timer, profile, false);
    expect(row.status).toBe('finished');
    const readings = await reopened.sessions.readings(rec.sessionId);
    // The gap marker (bpm 0 at the cut-off) keeps the summary from holding 114 bpm across the gap.
    expect(readings.map((r) => r.bpm)).toEqual([110, 111, 112, 113, 114, 0, 130]);
    expect(row.summary!.heartRate!.maxBpm).toBe(130);
    expect(row.summary!.heartRate!.minBpm).toBe(110);
    expect(row.phases.length).toBeGreaterThan(0);
    expect(await reopened.sessions.unfinished()).toEqual([]);
  });

  it('finishes a cut-off session at its last write', async () => {
    const { clock, storage, deps } = setup();
    const start = clock.now();
    const timer = startTimer(createTimer(plan), start).state;
    const rec = await startRecording(deps, { plan, timer, source: 'simulated' });
    for (let i = 0; i < 6; i++) {
      clock.advance(1_000);
      rec.sink(reading(clock.now(), 140));
    }
    await rec.flush();
    const lastWrite = clock.now();
    clock.advance(60_000);
    const row = await finishCutOffSession(deps, rec.sessionId, profile, false);
    expect(row).toMatchObject({ status: 'finished', endedAt: lastWrite });
    expect(row!.summary!.durationMs).toBe(lastWrite - start);
    expect(row!.timer.stoppedAt).toBe(lastWrite);
    await rec.close();
    await storage.sessions.delete(rec.sessionId);
  });

  it('records gaps and marks disconnects in the readings', async () => {
    const { clock, storage, deps } = setup();
    const timer = startTimer(createTimer(plan), clock.now()).state;
    const rec = await startRecording(deps, { plan, timer, source: 'strap' });
    const t0 = clock.now();
    rec.sink(reading(t0 + 100));
    rec.sink({ type: 'gap-start', reason: 'disconnected', at: t0 + 1_000 });
    expect(rec.openGap).toMatchObject({ reason: 'disconnected', end: null });
    clock.advance(3_000);
    rec.sink({ type: 'gap-end', reason: 'disconnected', at: t0 + 3_000 });
    rec.sink(reading(t0 + 3_100, 125));
    await rec.flush();
    const row = await storage.sessions.get(rec.sessionId);
    expect(row!.gaps).toEqual([{ reason: 'disconnected', start: t0 + 1_000, end: t0 + 3_000 }]);
    expect((await storage.sessions.readings(rec.sessionId)).map((r) => [r.t - t0, r.bpm])).toEqual([
      [100, 120],
      [1_000, 0],
      [3_100, 125],
    ]);
    await rec.close();
  });

  it('persists timer commands at once', async () => {
    const { clock, storage, deps } = setup();
    let timer = startTimer(createTimer(plan), clock.now()).state;
    const rec = await startRecording(deps, { plan, timer, source: 'none' });
    clock.advance(3_000);
    timer = pauseTimer(timer, clock.now()).state;
    await rec.updateTimer(timer);
    expect((await storage.sessions.get(rec.sessionId))!.timer.pausedAt).toBe(clock.now());
    clock.advance(2_000);
    timer = resumeTimer(timer, clock.now()).state;
    await rec.updateTimer(timer);
    const row = await storage.sessions.get(rec.sessionId);
    expect(row!.timer.pauses).toEqual([{ at: clock.now() - 2_000, ms: 2_000 }]);
    await rec.close();
  });

  it('writes the execution record once at the end: timer with the pause and skip, phases, profile, zone offset, summary', async () => {
    const { clock, storage, deps } = setup();
    let timer = startTimer(createTimer(plan), clock.now()).state;
    const rec = await startRecording({ ...deps, tzOffsetMinutes: () => 330 }, { plan, timer, source: 'simulated' });
    for (let i = 0; i < 30; i++) {
      rec.sink(reading(clock.now(), 110 + i));
      clock.advance(1_000);
      if (i === 8) {
        timer = pauseTimer(timer, clock.now()).state;
        clock.advance(4_000);
        timer = resumeTimer(timer, clock.now()).state;
        await rec.updateTimer(timer);
      }
      if (i === 5) {
        timer = skipPhase(timer, clock.now()).state;
        await rec.updateTimer(timer);
      }
    }
    const row = await rec.finish(timer, profile, false);
    expect(row.tzOffsetMinutes).toBe(330);
    const e = row.record!.execution!;
    expect(e).toMatchObject({ v: 1, profile, profileSource: 'member', tzOffsetMinutes: 330 });
    expect(e.timer.pauses).toEqual([{ at: expect.any(Number), ms: 4_000 }]);
    expect(e.timer.skips).toHaveLength(1);
    expect(e.spans).toEqual(row.phases.map((s) => ({ phaseIndex: s.phaseIndex, start: s.start, end: s.end })));
    expect(e.summary.intervals.length).toBeGreaterThan(0);
    expect(e.summary.calories.kcal).toBe(row.summary!.calories.kcal);
    expect(LiveSessionSchema.safeParse(row.record).success).toBe(true);
  });
});
