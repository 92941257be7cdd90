import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { LiveSession } from '$core/sync';
import { createStorage } from '$lib/storage';
import type { SessionRow } from '$lib/storage/schema';
import { localeFirstDay, memberFirstDay, sessionFacts } from './progress-facts';
import { seedSession } from './sample-sessions';
import { SessionList, TREND_WEEKS } from './session-list.svelte';

const MANY = 150;

let n = 0;
async function storeWith(rows: SessionRow[]) {
  const storage = createStorage({ name: `progress-test-${n++}` });
  await storage.db().sessions.bulkPut(rows);
  return storage.sessions;
}

const DAY = 86_400_000;
// Wednesday 28 January 2026, 12:00 UTC; the device is at UTC+1.
const NOW = Date.UTC(2026, 0, 28, 12);
const at = (i: number, o: Partial<SessionRow> = {}) => ({ ...seedSession({ id: `s${String(i).padStart(4, '0')}`, title: `W${i}`, startedAt: NOW - i * DAY, withoutReadings: true }).session, tzOffsetMinutes: 60, ...o });

describe('SessionList progress', () => {
  it('reads the stored figures of every finished session and leaves out unfinished ones', async () => {
    const rows = Array.from({ length: MANY }, (_, i) => at(i));
    rows.push(at(9999, { id: 'recording000001', status: 'recording', summary: null, startedAt: NOW - 3600_000 }));
    const list = new SessionList(await storeWith(rows), { now: () => NOW, deviceOffset: () => 60 });
    await list.loadProgress();
    expect(list.progress).toBe('ready');
    expect(list.facts).toHaveLength(MANY);
    expect(list.facts.some((f) => f.id === 'recording000001')).toBe(false);
  });

  it('sums each calendar week from the rows, this week last, and names the record sessions by their address', async () => {
    // One session a day for 100 days, all the same seeded workout; one longer, one with a higher max.
    const rows = Array.from({ length: 100 }, (_, i) => at(i));
    rows[40] = at(40, { syncId: '0190f6d2-8a4b-7c3d-9e1f-2a3b4c5d6e7f', summary: { ...rows[40]!.summary!, durationMs: 3 * 3600_000 } });
    rows[70] = at(70, { summary: { ...rows[70]!.summary!, heartRate: { ...rows[70]!.summary!.heartRate!, maxBpm: 201 } } });
    const list = new SessionList(await storeWith(rows), { now: () => NOW, deviceOffset: () => 60 });
    await list.loadProgress();
    expect(list.weeks).toHaveLength(TREND_WEEKS);
    // This week (Monday 26 → Wednesday 28 January, local): today, yesterday and Monday.
    expect(list.weeks.at(-1)!.sessions).toBe(3);
    expect(list.weeks.at(-1)!.startDay).toBe(Date.UTC(2026, 0, 26) / DAY);
    const one = rows[1]!.summary!;
    expect(list.weeks.at(-2)!.sessions).toBe(7);
    expect(list.weeks.at(-2)!.trimp).toBeCloseTo(7 * one.trimp.value, 9);
    expect(list.weeks.at(-2)!.timeInZoneMs[4]).toBe(7 * one.timeInZoneMs[4]!);
    expect(list.records.longestMs).toMatchObject({ value: 3 * 3600_000, sessionId: '0190f6d2-8a4b-7c3d-9e1f-2a3b4c5d6e7f' });
    expect(list.records.maxBpm).toMatchObject({ value: 201, sessionId: rows[70]!.id });
    const drops = one.intervals.flatMap((i) => (i.kind === 'rest' && i.dropBpm !== null ? [i.dropBpm] : []));
    // Every session has the same drops: the record is the first session that had the best one.
    expect(list.records.bestRecoveryBpm).toMatchObject({ value: Math.max(...drops), sessionId: rows[99]!.id });
    expect(NOW - list.records.bestRecoveryBpm!.startedAt).toBe(99 * DAY);
  });

  it('takes the synced figures first: the recomputation, then the execution record, then the row', () => {
    const row = at(1);
    const base = row.summary!;
    const execution = { summary: { ...base, durationMs: 111, intervals: [] }, tzOffsetMinutes: -300 };
    const recomputed = { value: { profile: row.profile, summary: { ...base, durationMs: 222, intervals: [] } } };
    expect(sessionFacts(row)!.durationMs).toBe(base.durationMs);
    expect(sessionFacts({ ...row, record: { execution } as unknown as LiveSession })).toMatchObject({ durationMs: 111, tzOffsetMinutes: -300 });
    expect(sessionFacts({ ...row, record: { execution, recomputed } as unknown as LiveSession })!.durationMs).toBe(222);
    // A row finished by an older version without a zone offset: this device's, for that date.
    expect(sessionFacts({ ...row, tzOffsetMinutes: undefined }, () => 330)!.tzOffsetMinutes).toBe(330);
  });

  it('reads the summary index only: no session row is loaded, and the figures equal those read from the rows', async () => {
    const rows = Array.from({ length: MANY }, (_, i) => at(i));
    rows[3] = at(3, { tzOffsetMinutes: undefined });
    const store = await storeWith(rows);
    const list = new SessionList({ ...store, list: () => Promise.reject(new Error('rows were read')), get: () => Promise.reject(new Error('a row was read')) }, { now: () => NOW, deviceOffset: () => 60 });
    await list.loadProgress();
    expect(list.progress).toBe('ready');
    expect(list.weeksReady).toBe(true);
    const fromRows = rows.map((r) => sessionFacts(r, () => 60)!).sort((a, b) => a.startedAt - b.startedAt);
    expect(list.facts).toEqual(fromRows);
  });

  it('changes the weeks when the member changes the first day of the week', async () => {
    const list = new SessionList(await storeWith(Array.from({ length: 30 }, (_, i) => at(i))), { now: () => NOW, deviceOffset: () => 60, firstDay: 1 });
    await list.loadProgress();
    // Wednesday 28 January: Monday 26 starts the week; from Sunday, Sunday 25.
    expect(list.weeks.at(-1)!.startDay).toBe(Date.UTC(2026, 0, 26) / DAY);
    expect(list.weeks.at(-1)!.sessions).toBe(3);
    list.firstDay = 7;
    expect(list.weeks.at(-1)!.startDay).toBe(Date.UTC(2026, 0, 25) / DAY);
    expect(list.weeks.at(-1)!.sessions).toBe(4);
  });

  it('says when it could not read', async () => {
    const list = new SessionList({ progressFacts: () => Promise.reject(new Error('gone')) } as never);
    await list.loadProgress();
    expect(list.progress).toBe('error');
  });

  it('reads the first day of the week from the locale, Monday when unknown', () => {
    expect(localeFirstDay('en-GB')).toBe(1);
    expect(localeFirstDay('de-DE')).toBe(1);
    expect(localeFirstDay('en-US')).toBe(7);
    expect(localeFirstDay(undefined)).toBe(1);
    expect(localeFirstDay('not a locale!')).toBe(1);
  });

  it("groups by the member's synced first day, the locale's until one is chosen", () => {
    expect(memberFirstDay({ firstDayOfWeek: null }, 'en-US')).toBe(7);
    expect(memberFirstDay({ firstDayOfWeek: null }, 'de-DE')).toBe(1);
    // Two devices with different locales and the same setting group the same weeks.
    expect(memberFirstDay({ firstDayOfWeek: 6 }, 'en-US')).toBe(6);
    expect(memberFirstDay({ firstDayOfWeek: 6 }, 'de-DE')).toBe(6);
  });
});
