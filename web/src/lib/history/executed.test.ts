/**
 * Issue 12: sessions recorded by an older version (no execution record) still sync and show what
 * can be shown, marked as such; sessions with a record show its figures on every device.
 */
import { describe, expect, it } from 'vitest';
import { LiveSessionSchema, sessionForProtocol, type LiveSession } from '$core/sync';
import { executedWorkout } from '$core/workout/testing/executed-workout';
import { buildRecord, decodeReadings, encodeReadings, normalizeReading } from '$lib/storage';
import { rowFromRemote } from '$lib/sync/remote-session';
import { executedView, lacksExecution } from './executed';
import { executedSessionRow } from './sample-sessions';

const w = executedWorkout({ tzOffsetMinutes: 60 });
const SYNC_ID = '0190f6d2-8a4b-7c3d-9e1f-2a3b4c5d6e7f';
const HLC = '001768462200000-0000-phone-a1';
const rowA = executedSessionRow(w, { lastWriteAt: w.endedAt + 500 });
const readings = decodeReadings(encodeReadings(w.readings.map((r) => normalizeReading({ ...r, energyKj: null }))))!;
const record = buildRecord(rowA, SYNC_ID, readings.length, HLC);

const pulled = (r: LiveSession, protocol: 2 | 3) =>
  rowFromRemote(LiveSessionSchema.parse(JSON.parse(JSON.stringify(sessionForProtocol(r, protocol)))), 'member-1', w.endedAt + 60_000);

describe('sessions without an execution record', () => {
  it('a session pulled without one (an older version recorded it) is marked', () => {
    const old = pulled(record, 2);
    expect(old.origin).toBe('remote');
    expect(lacksExecution(old)).toBe(true);
    expect(executedView(old)).toBeNull();
    // A record with nothing executed at all (an older app's upsert) is the same.
    const { execution: _, ...bare } = record;
    expect(lacksExecution(pulled(bare as LiveSession, 3))).toBe(true);
  });

  it('a session pulled with one is not marked and shows the recording’s figures', () => {
    const b = pulled(record, 3);
    expect(lacksExecution(b)).toBe(false);
    expect(executedView(b)!.summary).toEqual(JSON.parse(JSON.stringify(w.summary)));
  });

  it('a session this device recorded is never marked, with or without a record', () => {
    expect(lacksExecution(rowA)).toBe(false);
    expect(lacksExecution({ ...rowA, syncId: SYNC_ID, record })).toBe(false);
  });
});
