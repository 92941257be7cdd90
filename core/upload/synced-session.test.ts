import { describe, expect, it } from 'vitest';
import { toFit } from '../export/fit';
import { decodeFit } from '../export/testing';
import { hourOfReadings, liveSession } from '../sync/testing/fixtures';
import { externalIdFor, MAX_DESCRIPTION_CHARS, syncedExportSession, uploadText } from './synced-session';

const T0 = Date.UTC(2026, 8, 1, 7, 0, 0);

function finished(minutes = 20) {
  const s = liveSession({ startedAt: T0, deviceId: 'dev-1', title: 'Tuesday intervals' });
  const readings = hourOfReadings(T0, 7, minutes * 60);
  const summary = { endedAt: T0 + minutes * 60_000, durationMs: minutes * 60_000, readingCount: readings.length, avgBpm: 140, maxBpm: 171, energyKj: null };
  return { record: { ...s, summary, notes: { ...s.notes, value: 'legs heavy' } }, readings };
}

describe('a synced workout as an upload', () => {
  it('is not ready while recording (no summary)', () => {
    expect(syncedExportSession(liveSession({ startedAt: T0, deviceId: 'd' }), [])).toBeNull();
  });

  it('gives the same FIT bytes for the same record and readings, whatever their order, with RR', () => {
    const { record, readings } = finished();
    const a = toFit(syncedExportSession(record, readings)!);
    const b = toFit(syncedExportSession(record, [...readings].reverse())!);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const decoded = decodeFit(a);
    expect(decoded.integrity).toBe(true);
    expect((decoded.messages.hrvMesgs ?? []).length).toBeGreaterThan(0);
  });

  it('one external id per session', () => {
    expect(externalIdFor('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('hrm-0f8fad5b-d9cb-469f-a165-70867728950e.fit');
  });

  it('names the activity after the title and describes notes, intervals and power songs', () => {
    const { record, readings } = finished();
    const s = syncedExportSession(record, readings)!;
    const withIntervals = {
      ...s,
      summary: {
        intervals: [
          { kind: 'work', phaseIndex: 1, phase: { kind: 'work', label: 'Work 1' }, start: T0, end: T0 + 60_000, activeMs: 60_000, avgBpm: 160.4, peakBpm: 171, targetZone: 4, timeToTargetMs: 20_000 },
          { kind: 'rest', phaseIndex: 2, phase: { kind: 'rest', label: 'Rest' }, start: T0 + 60_000, end: T0 + 90_000, activeMs: 30_000, avgBpm: 140, peakBpm: 165, startBpm: 170, endBpm: 140, dropBpm: 30 },
        ],
      },
    } as unknown as typeof s;
    const t = uploadText(withIntervals, ['Eye of the Tiger — Survivor']);
    expect(t.name).toBe('Tuesday intervals');
    expect(t.description).toContain('legs heavy');
    expect(t.description).toContain('1. Work 1 1:00 · avg 160 bpm, peak 171');
    expect(t.description).toContain('2. Rest 0:30 · avg 140 bpm, peak 165 · recovery 30 bpm');
    expect(t.description).toContain('♪ Eye of the Tiger — Survivor');
    expect(uploadText({ ...s, title: '  ' }).name).toBe('HRM workout');
  });

  it('leaves out empty parts and bounds the description', () => {
    const { record, readings } = finished();
    const s = { ...syncedExportSession(record, readings)!, notes: '' };
    expect(uploadText(s).description).toBe('Recorded with HRM');
    const long = uploadText({ ...s, notes: 'x'.repeat(5000) }).description;
    expect(long).toHaveLength(MAX_DESCRIPTION_CHARS);
    expect(long.endsWith('…')).toBe(true);
  });

  it('lists the power songs after the intervals, in the order given', () => {
    const { record, readings } = finished();
    const s = syncedExportSession(record, readings)!;
    const d = uploadText(s, ['A — X (avg 150 bpm)', 'B — Y']).description;
    expect(d).toContain('Power songs:\n♪ A — X (avg 150 bpm)\n♪ B — Y');
    expect(d.indexOf('Power songs:')).toBeLessThan(d.indexOf('Recorded with HRM'));
  });

  it('sets trainer for indoor sessions only: every HRM session unless it says it was outdoors', () => {
    const { record, readings } = finished();
    const s = syncedExportSession(record, readings)!;
    expect(uploadText(s).trainer).toBe(true);
    expect(uploadText({ ...s, indoor: true }).trainer).toBe(true);
    expect(uploadText({ ...s, indoor: false }).trainer).toBe(false);
  });
});
