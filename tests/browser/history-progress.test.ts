import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGap, type WorkoutSummary } from '../../core/workout';
import { openBrowser } from '../support/browser';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';
import { seedInPage, seedSession, type Seeded } from './history-seed';

// History with progress (issue 13) in the built PWA: sessions seeded over several weeks, the
// expected weekly totals, bars and records worked out here from the seed (not with the app's
// code), a touch drag on the HR chart and on the trend, and a phone-width overflow check.
let pb: TestPocketBase;
let server: TestServer;

beforeAll(async () => {
  pb = await startTestPocketBase();
  server = await startSyncServer({ pb });
});

afterAll(async () => {
  await server?.stop();
  await pb?.dispose();
});

const tid = (page: Page, id: string) => page.getByTestId(id);
const MIN = 60_000;
const DAY = 86_400_000;

/** "m:ss" under an hour, "h:mm:ss" from an hour, whole seconds truncated (the app's one style). */
function duration(ms: number): string {
  const t = Math.floor(ms / 1000);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The member's calendar: local day numbers and the week that holds them. */
const dayNumber = (ms: number, offsetMin: number) => Math.floor((ms + offsetMin * MIN) / DAY);
function weekStart(day: number, firstDay: number): number {
  const iso = new Date(day * DAY).getUTCDay() || 7; // 1 = Monday … 7 = Sunday
  return day - ((iso - firstDay + 7) % 7);
}
/** The UTC instant of local wall time `minutes` after the start of `day` in a zone `offset` min ahead. */
const localAt = (day: number, minutes: number, offset: number) => day * DAY + minutes * MIN - offset * MIN;

function withFigures(s: Seeded, offset: number, patch: (summary: WorkoutSummary) => Partial<WorkoutSummary> = () => ({})): Seeded {
  const summary = s.session.summary!;
  return { ...s, session: { ...s.session, tzOffsetMinutes: offset, summary: { ...summary, ...patch(summary) } } };
}

async function browserCalendar(page: Page): Promise<{ firstDay: number; deviceOffset: number; now: number }> {
  return page.evaluate(() => {
    const l = new Intl.Locale(navigator.language) as Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } };
    return { firstDay: l.getWeekInfo?.().firstDay ?? l.weekInfo?.firstDay ?? 1, deviceOffset: -new Date().getTimezoneOffset(), now: Date.now() };
  });
}

async function touch(cdp: CDPSession, type: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) {
  await cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y, id: 1 }] });
}

describe('history with progress', () => {
  it('shows weekly totals, one trend bar per week and the personal records of the seeded weeks, and reads charts by touch', async () => {
    const b = await openBrowser();
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}/history`);
      await tid(page, 'history-empty').waitFor();
      expect(await tid(page, 'history-empty').textContent()).toContain('weekly totals');

      const cal = await browserCalendar(page);
      const today = dayNumber(cal.now, cal.deviceOffset);
      const thisWeek = weekStart(today, cal.firstDay);
      // Sessions in this week, last week (one whose UTC time is already in this week: its own
      // clock, 5 h behind UTC, said the last evening of last week), three weeks ago and long ago.
      const seeds: Seeded[] = [
        withFigures(seedSession({ id: 'progthis0000001', title: 'This week A', startedAt: localAt(thisWeek, 30, 60) }), 60),
        withFigures(seedSession({ id: 'progthis0000002', title: 'This week B', startedAt: localAt(thisWeek, 60 * 20, 60), rounds: 4, workMs: 60_000, restMs: 30_000, withoutReadings: true }), 60),
        withFigures(seedSession({ id: 'proglast0000003', title: 'Late in New York', startedAt: localAt(thisWeek - 1, 60 * 23 + 30, -300), rounds: 6, withoutReadings: true }), -300, (s) => ({
          heartRate: { ...s.heartRate!, maxBpm: 201 },
        })),
        withFigures(seedSession({ id: 'prog3wks0000004', title: 'Hill repeats', startedAt: localAt(thisWeek - 21 + 2, 60 * 7, 120), rounds: 5, workMs: 40_000, restMs: 40_000, withoutReadings: true }), 120, (s) => ({
          intervals: s.intervals.map((i, n) => (i.kind === 'rest' && n === 3 ? { ...i, dropBpm: 58 } : i)),
        })),
        withFigures(seedSession({ id: 'prog3wks0000005', title: 'Short one', startedAt: localAt(thisWeek - 21 + 4, 60 * 18, 120), rounds: 2, withoutReadings: true }), 120),
        withFigures(seedSession({ id: 'progold00000006', title: 'Long ago, long', startedAt: localAt(thisWeek - 20 * 7, 60 * 9, 60), rounds: 12, workMs: 240_000, restMs: 60_000, withoutReadings: true }), 60),
      ];
      const recording = seedSession({ id: 'progrec00000007', title: 'Still running', startedAt: cal.now - 10 * MIN, withoutReadings: true });
      await seedInPage(page, [...seeds, { ...recording, session: { ...recording.session, status: 'recording', endedAt: null, summary: null } }]);
      await page.reload();

      expect(await tid(page, 'history-progress').getAttribute('data-first-day')).toBe(String(cal.firstDay));
      await tid(page, 'weekly-totals').waitFor();

      // Expected, from the seed: each finished session's week by its own offset.
      const weeks = Array.from({ length: 12 }, (_, i) => thisWeek - (11 - i) * 7);
      const inWeek = (w: number) => seeds.filter((s) => weekStart(dayNumber(s.session.startedAt, s.session.tzOffsetMinutes!), cal.firstDay) === w);
      const mine = inWeek(thisWeek).map((s) => s.session.summary!);
      expect(mine).toHaveLength(2);
      const lastWeek = inWeek(thisWeek - 7).map((s) => s.session.summary!);
      expect(lastWeek).toHaveLength(1);
      const sum = (xs: WorkoutSummary[], f: (s: WorkoutSummary) => number) => xs.reduce((n, s) => n + f(s), 0);
      expect(await tid(page, 'week-sessions').textContent()).toBe('2');
      expect(await tid(page, 'week-time').textContent()).toBe(duration(sum(mine, (s) => s.durationMs)));
      expect(await tid(page, 'week-trimp').textContent()).toBe(sum(mine, (s) => s.trimp.value).toFixed(1));
      expect(await tid(page, 'week-trimp-last').textContent()).toBe(`last week ${sum(lastWeek, (s) => s.trimp.value).toFixed(1)}`);
      for (const z of [0, 1, 2, 3, 4, 5]) {
        expect(await tid(page, `zone-time-${z}`).textContent()).toMatch(new RegExp(`^${duration(sum(mine, (s) => s.timeInZoneMs[z]!))} `));
      }

      // The trend: one bar per week, each with its week's sessions.
      const bars = tid(page, 'trend-bar');
      expect(await bars.count()).toBe(12);
      expect(await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-sessions'))))).toEqual(weeks.map((w) => inWeek(w).length));
      // By keyboard: End is this week.
      await tid(page, 'trend-plot').focus();
      await page.keyboard.press('End');
      await expect.poll(() => tid(page, 'trend-readout').textContent()).toContain(`2 workouts, ${duration(sum(mine, (s) => s.durationMs))}, TRIMP ${sum(mine, (s) => s.trimp.value).toFixed(1)}`);
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => tid(page, 'trend-readout').textContent()).toContain(`1 workout, ${duration(lastWeek[0]!.durationMs)}`);

      // Records: the best stored figure of all finished sessions, first set wins a tie.
      const finished = [...seeds].sort((a, c) => a.session.startedAt - c.session.startedAt);
      const best = (f: (s: WorkoutSummary) => number | null) =>
        finished.reduce<{ v: number; s: Seeded } | null>((acc, s) => {
          const v = f(s.session.summary!);
          return v !== null && (!acc || v > acc.v) ? { v, s } : acc;
        }, null)!;
      const maxHr = best((s) => s.heartRate?.maxBpm ?? null);
      const recovery = best((s) => Math.max(...s.intervals.map((i) => (i.kind === 'rest' && i.dropBpm !== null ? i.dropBpm : -Infinity))));
      const longest = best((s) => s.durationMs);
      expect(maxHr.v).toBe(201);
      expect(recovery.v).toBe(58);
      expect(longest.s.session.id).toBe('progold00000006');
      expect(await tid(page, 'pr-max-hr-value').textContent()).toBe(`${maxHr.v} bpm`);
      expect(await tid(page, 'pr-recovery-value').textContent()).toBe(`${recovery.v} bpm`);
      expect(await tid(page, 'pr-longest-value').textContent()).toBe(duration(longest.v));
      expect(await tid(page, 'pr-max-hr-link').getAttribute('href')).toBe(`/history/${maxHr.s.session.id}`);
      expect(await tid(page, 'pr-recovery-link').getAttribute('href')).toBe(`/history/${recovery.s.session.id}`);
      await tid(page, 'pr-longest-link').click();
      await page.waitForURL(`**/history/${longest.s.session.id}`);
      await expect.poll(() => tid(page, 'detail-title').textContent()).toBe('Long ago, long');

      // Touch on the trend: a tap on the third bar from the right reads that week (3 weeks ago: 2 workouts).
      const cdp = await b.context.newCDPSession(page);
      await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
      await page.goto(`${server.url}/history`);
      await tid(page, 'trend-plot').scrollIntoViewIfNeeded();
      const plot = (await tid(page, 'trend-plot').boundingBox())!;
      const colW = plot.width / 12;
      await touch(cdp, 'touchStart', plot.x + colW * 8.5, plot.y + plot.height / 2);
      await touch(cdp, 'touchEnd', 0, 0);
      const threeAgo = inWeek(thisWeek - 21).map((s) => s.session.summary!);
      await expect.poll(() => tid(page, 'trend-readout').textContent()).toContain(`2 workouts, ${duration(sum(threeAgo, (s) => s.durationMs))}`);

      // Touch drag on the HR chart of the session with readings: the readout follows the finger
      // and stays after it lifts, with the time and heart rate under it.
      const chartSeed = seeds[0]!;
      await page.goto(`${server.url}/history/${chartSeed.session.id}`);
      await tid(page, 'hr-chart-canvas').waitFor();
      const box = tid(page, 'hr-chart-cursor');
      await box.scrollIntoViewIfNeeded();
      const rect = (await box.boundingBox())!;
      const plotLeft = Number(await box.getAttribute('data-plot-left'));
      const plotW = Number(await box.getAttribute('data-plot-width'));
      const y = rect.y + 100;
      await touch(cdp, 'touchStart', rect.x + plotLeft + plotW * 0.2, y);
      await expect.poll(() => tid(page, 'hr-chart-readout').textContent()).toMatch(/bpm|no heart rate/);
      const x = Math.round(rect.x + plotLeft + plotW * 0.62) + 0.5;
      for (const f of [0.3, 0.45, 0.62]) await touch(cdp, 'touchMove', f === 0.62 ? x : rect.x + plotLeft + plotW * f, y);
      await touch(cdp, 'touchEnd', 0, 0);

      const start = chartSeed.session.startedAt;
      const span = chartSeed.session.endedAt! - start;
      const column = Math.floor(x - rect.x - plotLeft);
      const from = start + (column / plotW) * span;
      const to = start + ((column + 1) / plotW) * span;
      // Time-weighted mean of the readings over the column, each held until the next (1 Hz).
      const rs = chartSeed.readings;
      let weighted = 0;
      let held = 0;
      rs.forEach((r, i) => {
        if (isGap(r)) return;
        const end = Math.min(rs[i + 1]?.t ?? Infinity, r.t + 5000);
        const ms = Math.min(end, to) - Math.max(r.t, from);
        if (ms > 0) {
          weighted += r.bpm * ms;
          held += ms;
        }
      });
      const at = duration(((column + 0.5) / plotW) * span);
      const expected = held > 0 ? `${at}: ${Math.round(weighted / held)} bpm` : `${at}: no heart rate`;
      await expect.poll(() => tid(page, 'hr-chart-readout').textContent()).toContain(expected);
      expect(held, 'the finger rests where the seed has heart rate').toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('fits a 360 × 740 phone: no sideways overflow in the progress section', async () => {
    const b = await openBrowser({ viewport: { width: 360, height: 740 } });
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      await page.goto(`${server.url}/history`);
      await tid(page, 'history-empty').waitFor();
      const now = await page.evaluate(() => Date.now());
      const seeds = Array.from({ length: 30 }, (_, i) =>
        withFigures(seedSession({ id: `phone${String(i).padStart(10, '0')}`, title: `A workout with a rather long title number ${i + 1}`, startedAt: now - i * 2.5 * DAY, withoutReadings: true, rounds: 3 + (i % 6) }), 60),
      );
      await seedInPage(page, seeds);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(`${server.url}/history`);
        await tid(page, 'personal-records').waitFor();
        await tid(page, 'trend-metric-time').click();
        await tid(page, 'trend-plot').focus();
        await page.keyboard.press('End');
        await expect.poll(() => tid(page, 'trend-readout-zones').textContent()).toMatch(/Z\d/);
        const problems = await tid(page, 'history-progress').evaluate((section) => {
          const out: string[] = [];
          const vw = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth > vw) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);
          for (const el of [section, ...section.querySelectorAll('*')]) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            const name = `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
            if (r.left < -0.5 || r.right > vw + 0.5) out.push(`${name} outside the viewport (${r.left}..${r.right})`);
            if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') out.push(`${name} clips its content`);
          }
          return out;
        });
        expect(problems, scheme).toEqual([]);
      }
    } finally {
      await b.close();
    }
  });
});
