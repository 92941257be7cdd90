import { describe, expect, it } from 'vitest';
import { hourOfReadings, liveSession } from '../sync/testing/fixtures';
import { RESTING_CHECK_PLAN_ID } from '../workout/presets';
import type { Reading } from '../workout/readings';
import { restingCheckRecording } from '../workout/testing/resting-check-recording';
import { executedWorkout } from '../workout/testing/executed-workout';
import { restingCheckSpans, syncedExportSession } from './synced-session';
import { measureRestingCheck } from '../workout/resting-check';
import { phaseHistory } from '../workout/phase-history';
import { localDate, wellnessFor } from './wellness';

const T0 = Date.UTC(2026, 8, 1, 23, 30, 0);
const withEnergy = (readings: readonly Reading[]) => readings.map((r) => ({ ...r, energyKj: null }));

function session(minutes = 20) {
  const s = liveSession({ startedAt: T0, deviceId: 'dev-1', title: 'Late run' });
  const readings = hourOfReadings(T0, 7, minutes * 60);
  const summary = { endedAt: T0 + minutes * 60_000, durationMs: minutes * 60_000, readingCount: readings.length, avgBpm: 140, maxBpm: 171, energyKj: null };
  return syncedExportSession({ ...s, summary }, readings)!;
}

/** A resting check as the server has it after sync: its record (with the execution) and readings. */
function syncedCheck(opts: Parameters<typeof restingCheckRecording>[0] = {}) {
  const rec = restingCheckRecording(opts);
  const s = liveSession({ startedAt: rec.startedAt, deviceId: 'dev-1', title: 'Resting check' });
  const summary = { endedAt: rec.endedAt, durationMs: rec.endedAt - rec.startedAt, readingCount: rec.readings.length, avgBpm: 56, maxBpm: 70, energyKj: null };
  const record = { ...s, plan: { planId: RESTING_CHECK_PLAN_ID, name: 'Resting check' }, summary, execution: rec.execution };
  return syncedExportSession(record, withEnergy(rec.readings))!;
}

/** wellnessFor over a synced resting check, with its measure spans as the sync worker reads them. */
function checkWellness(opts: Parameters<typeof restingCheckRecording>[0] = {}) {
  const rec = restingCheckRecording(opts);
  return wellnessFor(syncedCheck(opts), { restingCheck: restingCheckSpans({ execution: rec.execution }) });
}

describe('wellness of a synced session', () => {
  it('the local calendar date at the recorded offset', () => {
    expect(localDate(T0, 0)).toBe('2026-09-01');
    expect(localDate(T0, 60)).toBe('2026-09-02');
    expect(localDate(Date.UTC(2026, 8, 1, 0, 30), -120)).toBe('2026-08-31');
  });

  it('a workout: its RMSSD (hrv, ms, one decimal) and never a resting HR, not even the profile value it was recorded with', () => {
    const s = session();
    const w = wellnessFor({ ...s, profile: { restingHr: 54.4 } as never, tzOffsetMinutes: 60 }, 'workout')!;
    expect(w.date).toBe('2026-09-02');
    expect(w.body).not.toHaveProperty('restingHR');
    expect(w.body.hrv).toBeGreaterThan(0);
    expect(Number.isInteger(w.body.hrv! * 10)).toBe(true);
    // A recorded Tabata with its execution record (profile resting HR 52): hrv only.
    const t = executedWorkout();
    const tabata = syncedExportSession({ ...liveSession({ startedAt: t.startedAt, deviceId: 'd' }), plan: { planId: 'intervals', name: 'Tabata' }, summary: { endedAt: t.endedAt, durationMs: 1, readingCount: 1, avgBpm: 1, maxBpm: 1, energyKj: null }, execution: t.execution }, withEnergy(t.readings))!;
    expect(Object.keys(wellnessFor(tabata, 'workout')!.body)).toEqual(['hrv']);
  });

  it('the summary RMSSD when the workout has one; nothing at all: null', () => {
    const s = session();
    const withSummary = { ...s, summary: { hrv: { rmssdMs: 42.26, pairs: 100, accepted: 100, rejected: 0 } } as never };
    expect(wellnessFor(withSummary, 'workout')).toEqual({ date: '2026-09-01', body: { hrv: 42.3 } });
    expect(wellnessFor({ ...s, summary: { hrv: null } as never, profile: { restingHr: 50 } as never }, 'workout')).toBeNull();
  });

  it('a resting check: the measured resting HR and the RMSSD of its measure window, on its local date', () => {
    const s = syncedCheck({ restingHr: 51, startedAt: Date.UTC(2026, 10, 2, 23, 50), tzOffsetMinutes: 60 });
    const w = checkWellness({ restingHr: 51, startedAt: Date.UTC(2026, 10, 2, 23, 50), tzOffsetMinutes: 60 })!;
    expect(w.date).toBe('2026-11-03');
    expect(w.body.restingHR).toBe(51);
    // Not the profile's (52), and the hrv is the window's, not the whole session's (settle minute included).
    expect(s.profile!.restingHr).toBe(52);
    expect(w.body.hrv).toBeGreaterThan(0);
    expect(w.body.hrv).not.toBe(Math.round(s.summary!.hrv!.rmssdMs * 10) / 10);
  });

  it('a resting check that measured no value sends nothing (not the profile value, not a workout RMSSD)', () => {
    expect(checkWellness({ stopAfterMs: 90_000 })).toBeNull();
    expect(checkWellness({ disturb: { fromMs: 150_000, toMs: 170_000 } })).toBeNull();
  });

  it('a resting check paused in its measure window: the value the PWA showed (running spans), not one over the pause', () => {
    // Paused 30 s into the final minute; the person sat up meanwhile (+25 bpm).
    const opts = { restingHr: 50, pause: { atMs: 150_000, forMs: 30_000 } };
    const rec = restingCheckRecording(opts);
    // What the PWA measures: the phase history's spans of the measure phase (resting-check.ts).
    const pwa = measureRestingCheck(rec.readings, phaseHistory(rec.execution.timer, rec.endedAt).filter((x) => x.phase.kind === 'work'));
    expect(pwa).toMatchObject({ ok: true, restingHr: 50 });
    const w = checkWellness(opts)!;
    expect(w.body.restingHR).toBe(pwa.ok ? pwa.restingHr : NaN);
    expect(w.body.hrv).toBe(pwa.ok ? Math.round(pwa.rmssd.rmssdMs! * 10) / 10 : NaN);
    // Over the merged phase (first start to last end, the pause inside) it would not be settled.
    const merged = syncedCheck(opts).phases.filter((p) => p.kind === 'work');
    expect(measureRestingCheck(rec.readings, merged)).toEqual({ ok: false, reason: 'not_settled' });
  });
});
