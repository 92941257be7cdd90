import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFit } from '../../core/export/testing';
import { isGap } from '../../core/workout';
import { openBrowser } from '../support/browser';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';
import { countRows, seedInPage, seedSession } from './history-seed';
import { seriousViolations } from '../support/a11y';

// The built PWA served by a real sync server, in Debian's Chromium: recorded sessions (seeded
// into the app's IndexedDB as the recorder stores them) listed, opened, renamed, exported in
// three formats and deleted.
const XSD = path.resolve(import.meta.dirname, '../fixtures/TrainingCenterDatabasev2.xsd');
let pb: TestPocketBase;
let server: TestServer;
let downloads: string;

beforeAll(async () => {
  pb = await startTestPocketBase();
  server = await startSyncServer({ pb });
  downloads = await mkdtemp(path.join(tmpdir(), 'hrm-downloads-'));
});

afterAll(async () => {
  await server?.stop();
  await pb?.dispose();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

const tid = (page: Page, id: string) => page.getByTestId(id);
const DAY = 86_400_000;
const T = Date.UTC(2026, 0, 20, 7, 0);

async function download(page: Page, testid: string): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), tid(page, testid).click()]);
  const file = path.join(downloads, d.suggestedFilename());
  await d.saveAs(file);
  return { name: d.suggestedFilename(), bytes: await readFile(file) };
}

describe('workout history in the browser', () => {
  it('lists newest first, shows the summary, renames, exports TCX, FIT and CSV, and deletes', async () => {
    const b = await openBrowser();
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text());
      });

      await page.goto(`${server.url}/history`);
      await tid(page, 'history-empty').waitFor();

      const newest = seedSession({ id: 'sessnewest00001', title: 'Tabata Monday', startedAt: T });
      const older = seedSession({ id: 'sessolder000002', title: 'Easy intervals', startedAt: T - DAY, rounds: 3, workMs: 60_000, restMs: 30_000 });
      const oldest = seedSession({ id: 'sessoldest00003', title: 'First ride', startedAt: T - 2 * DAY, rounds: 2 });
      await seedInPage(page, [oldest, newest, older]);
      await page.reload();

      const titles = tid(page, 'history-item-title');
      await expect.poll(() => titles.allTextContents()).toEqual(['Tabata Monday', 'Easy intervals', 'First ride']);
      await expect.poll(() => tid(page, 'history-count').textContent()).toContain('3 workouts');

      // Open it by keyboard: focus the first row, Enter.
      await tid(page, 'history-item').first().focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/history/${newest.session.id}`);
      await expect.poll(() => tid(page, 'detail-title').textContent()).toBe('Tabata Monday');

      const s = newest.session.summary!;
      expect(await tid(page, 'summary-duration').textContent()).toBe('3:55') // 5 s + 8 × 20 s + 7 × 10 s;
      expect(await tid(page, 'summary-avg').textContent()).toBe(`${Math.round(s.heartRate!.avgBpm)} bpm`);
      expect(await tid(page, 'summary-max').textContent()).toBe(`${s.heartRate!.maxBpm} bpm`);
      expect(await tid(page, 'summary-min').textContent()).toBe(`${s.heartRate!.minBpm} bpm`);
      expect(await tid(page, 'summary-calories').textContent()).toBe(`${Math.round(s.calories.kcal)} kcal`);
      // One precision per figure on every screen (web/src/lib/figures): TRIMP one decimal, RMSSD whole ms.
      expect(await tid(page, 'summary-trimp').textContent()).toBe(s.trimp.value.toFixed(1));
      expect(await tid(page, 'summary-rmssd').textContent()).toBe(`${Math.round(s.hrv!.rmssdMs)} ms`);
      expect(await page.getByText('Calories (estimate)').count()).toBe(1);
      expect(await tid(page, 'zone-row').count()).toBe(6);
      expect(await tid(page, 'interval-row').count()).toBe(8); // one row per round: work + its rest
      const peaks = await tid(page, 'interval-peak').allTextContents();
      expect(peaks[0]).toBe(String(s.intervals[0]!.peakBpm));

      // The chart is drawn, and readable by keyboard.
      const painted = await tid(page, 'hr-chart-canvas').evaluate((c: HTMLCanvasElement) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return n;
      });
      expect(painted).toBeGreaterThan(1000);
      await tid(page, 'hr-chart-cursor').focus();
      await page.keyboard.press('End');
      await expect.poll(() => tid(page, 'hr-chart-readout').textContent()).toMatch(/bpm, zone \d/);

      // Rename and add notes; both survive a reload and show in the list.
      await tid(page, 'session-title-input').fill('Tabata, hard');
      await tid(page, 'session-notes-input').fill('Legs heavy after round 5');
      await tid(page, 'session-save').click();
      await expect.poll(() => tid(page, 'session-save-status').textContent()).toBe('Saved.');
      await page.reload();
      await expect.poll(() => tid(page, 'detail-title').textContent()).toBe('Tabata, hard');
      expect(await tid(page, 'session-notes-input').inputValue()).toBe('Legs heavy after round 5');

      // Exports: TCX valid against the official schema, FIT decodes to the same values, CSV rows.
      const valid = newest.readings.filter((r) => !isGap(r));
      const tcx = await download(page, 'export-tcx');
      expect(tcx.name).toMatch(/^hrm-2026-01-20-0700-tabata-hard\.tcx$/);
      const tcxFile = path.join(downloads, tcx.name);
      execFileSync('xmllint', ['--noout', '--schema', XSD, tcxFile], { stdio: 'pipe' });
      expect(tcx.bytes.toString().match(/<Trackpoint>/g)).toHaveLength(valid.length);
      expect(tcx.bytes.toString()).toContain('Legs heavy after round 5');

      const fit = await download(page, 'export-fit');
      const decoded = decodeFit(new Uint8Array(fit.bytes));
      expect(decoded.errors).toEqual([]);
      expect(decoded.integrity).toBe(true);
      expect(decoded.messages.recordMesgs!.map((r) => r.heartRate)).toEqual(valid.map((r) => r.bpm));
      expect(decoded.messages.lapMesgs).toHaveLength(newest.session.phases.length);
      const rr = decoded.messages.hrvMesgs!.flatMap((m) => m.time as number[]);
      expect(rr).toHaveLength(valid.reduce((n, r) => n + r.rr1024.length, 0));

      const csv = (await download(page, 'export-csv')).bytes.toString().split('\r\n');
      expect(csv[0]).toBe('time_iso,elapsed_s,bpm,rr_ms');
      expect(csv.length - 2).toBe(newest.readings.length);

      // Delete, after confirming; the rows and chunks are gone and the list has two left.
      expect(await countRows(page, newest.session.id)).toEqual([1, newest.chunks.length]);
      await tid(page, 'session-delete').click();
      await tid(page, 'delete-dialog-cancel').click();
      expect(await countRows(page, newest.session.id)).toEqual([1, newest.chunks.length]);
      await tid(page, 'session-delete').click();
      await tid(page, 'delete-dialog-confirm').click();
      await page.waitForURL((u) => u.pathname === '/history');
      await expect.poll(() => titles.allTextContents()).toEqual(['Easy intervals', 'First ride']);
      expect(await countRows(page, newest.session.id)).toEqual([0, 0]);

      await page.goto(`${server.url}/history/${newest.session.id}`);
      await tid(page, 'detail-not-found').waitFor();
      expect(errors, 'page errors and CSP violations').toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('marks a workout pulled from an older version (no execution record) as such, and only that one', async () => {
    const b = await openBrowser();
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      await page.goto(`${server.url}/history`);
      await tid(page, 'history-empty').waitFor();
      const mine = seedSession({ id: 'sessmine0000001', title: 'Recorded here', startedAt: T });
      const old = seedSession({ id: 'sessolderapp001', title: 'From an older app', startedAt: T - DAY });
      // As a pull stores a session another device's older version synced: remote, no record.
      const { record: _none, ...bare } = old.session;
      await seedInPage(page, [mine, { ...old, session: { ...bare, origin: 'remote' } }]);

      await page.goto(`${server.url}/history/${old.session.id}`);
      await tid(page, 'hr-chart').waitFor();
      await expect.poll(() => tid(page, 'detail-partial').textContent()).toContain('Recorded by an older version of the app');
      // What can be shown still is: the summary and the chart.
      expect(await tid(page, 'detail-chart').count()).toBe(1);

      await page.goto(`${server.url}/history/${mine.session.id}`);
      await tid(page, 'hr-chart').waitFor();
      expect(await tid(page, 'detail-partial').count()).toBe(0);
    } finally {
      await b.close();
    }
  });

  it('has no serious accessibility violations on the list and the detail, phone and tablet, light and dark', async () => {
    for (const viewport of [{ width: 390, height: 844 }, { width: 820, height: 1180 }]) {
      const b = await openBrowser({ viewport });
      try {
        const page = b.context.pages()[0] ?? (await b.context.newPage());
        await page.goto(`${server.url}/history`);
        await tid(page, 'history-empty').waitFor();
        const s = seedSession({ id: 'axesession00001', title: 'Tabata', startedAt: T });
        await seedInPage(page, [s]);
        for (const scheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: scheme });
          await page.goto(`${server.url}/history`);
          await tid(page, 'history-item').first().waitFor();
          expect(await seriousViolations(page), `list ${viewport.width}px ${scheme}`).toEqual([]);
          await page.goto(`${server.url}/history/${s.session.id}`);
          await tid(page, 'hr-chart').waitFor();
          expect(await seriousViolations(page), `detail ${viewport.width}px ${scheme}`).toEqual([]);
        }
      } finally {
        await b.close();
      }
    }
  });
});
