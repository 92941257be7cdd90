/**
 * Issue 12: the files of one workout are the same bytes whichever device makes them. Device A
 * recorded it (its row has the real timer, phases, summary and profile, and its own zone); device
 * B only has what sync brought: the record (through the wire schema, as the server stores and
 * pulls it) and the readings, and lives in another zone with another local state.
 */
import { describe, expect, it } from 'vitest';
import { exportSession, type ExportFormat } from '$core/export/files';
import { LiveSessionSchema, sessionForProtocol, type LiveSession } from '$core/sync';
import { executedWorkout } from '$core/workout/testing/executed-workout';
import { buildRecord, decodeReadings, encodeReadings, normalizeReading, type SessionRow } from '$lib/storage';
import { rowFromRemote } from '$lib/sync/remote-session';
import { toExportSession } from './export-session';
import { executedSessionRow } from './sample-sessions';

const w = executedWorkout({ tzOffsetMinutes: 60 });
const SYNC_ID = '0190f6d2-8a4b-7c3d-9e1f-2a3b4c5d6e7f';
const HLC = '001768462200000-0000-phone-a1';

const rowA: SessionRow = executedSessionRow(w, { lastWriteAt: w.endedAt + 500, notes: 'pause in round 2' });
// The readings as both devices decode them from the same chunk bytes.
const readings = decodeReadings(encodeReadings(w.readings.map((r) => normalizeReading({ ...r, energyKj: null }))))!;

function throughServer(record: LiveSession, protocol: 2 | 3): LiveSession {
  return LiveSessionSchema.parse(JSON.parse(JSON.stringify(sessionForProtocol(record, protocol))));
}

function devices(protocol: 2 | 3) {
  const record = buildRecord(rowA, SYNC_ID, readings.length, HLC);
  const a = { ...rowA, syncId: SYNC_ID, record };
  const b = rowFromRemote(throughServer(record, protocol), 'member-1', w.endedAt + 60_000);
  const onA = toExportSession({ session: a, phases: a.phases, readings, corruptChunks: 0 }, () => 60);
  // B's zone is New York's, and its local phase list is whatever the row holds.
  const onB = toExportSession({ session: b, phases: b.phases, readings, corruptChunks: 0 }, () => -300);
  return { record, onA, onB };
}

const FORMATS: ExportFormat[] = ['fit', 'tcx', 'csv'];

describe('exports of a synced workout', () => {
  it('has an execution record built at recording time', () => {
    const { record } = devices(3);
    expect(record.execution).toBeDefined();
    expect(record.execution!.timer.pauses).toHaveLength(1);
    expect(record.execution!.timer.skips).toHaveLength(1);
  });

  it.each(FORMATS)('%s is byte-identical on the recording device and on another device', (format) => {
    const { onA, onB } = devices(3);
    const fileA = exportSession(onA, format);
    const fileB = exportSession(onB, format);
    expect(fileB.name).toBe(fileA.name);
    expect(Buffer.from(fileB.data).equals(Buffer.from(fileA.data))).toBe(true);
  });

  it('has one lap per phase run, with the pause out of the timer time, on the other device', () => {
    const { onB } = devices(3);
    expect(onB.phases.map((p) => p.kind)).toEqual(rowA.phases.filter((s, i, all) => all.findIndex((x) => x.phaseIndex === s.phaseIndex) === i).map((s) => s.phase.kind));
    const work2 = onB.phases.filter((p) => p.kind === 'work')[1]!;
    expect(work2.end - work2.start - work2.activeMs!).toBe(15_000);
    expect(onB.tzOffsetMinutes).toBe(60);
    expect(onB.summary).toEqual(JSON.parse(JSON.stringify(w.summary)));
  });

  it('differs without the record (a protocol 2 pull), as it did before protocol 3', () => {
    const { onA, onB } = devices(2);
    expect(onB.phases).toEqual([]);
    expect(Buffer.from(exportSession(onB, 'fit').data).equals(Buffer.from(exportSession(onA, 'fit').data))).toBe(false);
  });
});
