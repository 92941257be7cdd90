import { describe, expect, it } from 'vitest';
import { hourOfReadings, liveSession } from '../sync/testing/fixtures';
import { syncedExportSession } from './synced-session';
import { localDate, wellnessFor } from './wellness';

const T0 = Date.UTC(2026, 8, 1, 23, 30, 0);

function session(minutes = 20) {
  const s = liveSession({ startedAt: T0, deviceId: 'dev-1', title: 'Late run' });
  const readings = hourOfReadings(T0, 7, minutes * 60);
  const summary = { endedAt: T0 + minutes * 60_000, durationMs: minutes * 60_000, readingCount: readings.length, avgBpm: 140, maxBpm: 171, energyKj: null };
  return syncedExportSession({ ...s, summary }, readings)!;
}

describe('wellness of a synced workout', () => {
  it('the local calendar date at the recorded offset', () => {
    expect(localDate(T0, 0)).toBe('2026-09-01');
    expect(localDate(T0, 60)).toBe('2026-09-02');
    expect(localDate(Date.UTC(2026, 8, 1, 0, 30), -120)).toBe('2026-08-31');
  });

  it('RMSSD from the RR intervals (hrv, ms, one decimal) and the profile resting HR', () => {
    const s = session();
    const w = wellnessFor({ ...s, profile: { restingHr: 54.4 } as never, tzOffsetMinutes: 60 })!;
    expect(w.date).toBe('2026-09-02');
    expect(w.body.restingHR).toBe(54);
    expect(w.body.hrv).toBeGreaterThan(0);
    expect(Number.isInteger(w.body.hrv! * 10)).toBe(true);
  });

  it('the summary RMSSD when the workout has one; nothing at all: null', () => {
    const s = session();
    const withSummary = { ...s, summary: { hrv: { rmssdMs: 42.26, pairs: 100, accepted: 100, rejected: 0 } } as never };
    expect(wellnessFor(withSummary)).toEqual({ date: '2026-09-01', body: { hrv: 42.3 } });
    expect(wellnessFor({ ...s, summary: { hrv: null } as never, profile: null })).toBeNull();
  });
});
