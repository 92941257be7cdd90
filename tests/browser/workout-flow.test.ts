import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeFit } from '../../core/export/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBrowser, type TestBrowser } from '../support/browser';
import { useTestServer } from '../support/test-server';
import { seriousViolations } from '../support/a11y';

// The real PWA served by a real sync server, in Debian's Chromium: an offline interval workout
// with the simulated strap, cut off by a reload, resumed and finished; and axe on its screens.
const server = useTestServer();

const tid = (page: Page, id: string) => page.getByTestId(id);
async function withBrowser(viewport: { width: number; height: number }, fn: (b: TestBrowser, page: Page) => Promise<void>) {
  const b = await openBrowser({ viewport });
  try {
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await fn(b, page);
    expect(errors, 'page errors').toEqual([]);
  } finally {
    await b.close();
  }
}

async function serviceWorkerInControl(page: Page) {
  await page.goto(server.url + '/');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

const numberIn = async (page: Page, id: string) => Number(await tid(page, id).textContent());

describe('an interval workout in the browser', () => {
  it('runs offline with the simulated strap, survives a reload, resumes, finishes, and is in history with the same summary and all three exports', async () => {
    await withBrowser({ width: 390, height: 844 }, async (b, page) => {
      await serviceWorkerInControl(page);
      await b.context.setOffline(true);
      await tid(page, 'workout-card').click();
      await tid(page, 'strap-simulated').click();
      await expect.poll(() => tid(page, 'strap-status').textContent(), { timeout: 10_000 }).toMatch(/bpm/);

      // prepare 2 s + 2 × (5 s work / 3 s rest), the last rest dropped: 15 s in all.
      await tid(page, 'plan-new').click();
      await tid(page, 'plan-name').fill('Browser short');
      await tid(page, 'plan-prepare').fill('2');
      await tid(page, 'block-0-work').fill('5');
      await tid(page, 'block-0-rest').fill('3');
      await tid(page, 'block-0-rounds').fill('2');
      await expect.poll(() => tid(page, 'plan-total').textContent()).toContain('0:15');
      await tid(page, 'plan-save').click();
      await tid(page, 'plan-saved').waitFor();
      await tid(page, 'plan-start').click();

      await tid(page, 'workout-live').waitFor();
      await expect.poll(() => tid(page, 'phase-label').textContent(), { timeout: 5_000 }).toMatch(/work/i);
      await expect.poll(() => tid(page, 'phase-round').textContent()).toMatch(/Round 1 of 2/);
      await expect.poll(() => numberIn(page, 'hr-bpm'), { timeout: 5_000 }).toBeGreaterThan(30);
      await page.waitForTimeout(3_000);

      // Cut off in the middle: the recording is found again and resumes by itself, no tap.
      await page.reload();
      await tid(page, 'workout-live').waitFor();
      expect(await tid(page, 'cutoff-banner').count()).toBe(0);
      await tid(page, 'live-strap-simulated').click();
      await expect.poll(() => numberIn(page, 'hr-bpm'), { timeout: 5_000 }).toBeGreaterThan(30);

      // The plan runs out by itself and the summary appears.
      await tid(page, 'summary').waitFor({ timeout: 20_000 });
      const duration = await tid(page, 'summary-duration').textContent();
      expect(duration).toBe('0:15');
      const avg = await numberIn(page, 'summary-avg');
      const max = await numberIn(page, 'summary-max');
      const min = await numberIn(page, 'summary-min');
      expect(min).toBeGreaterThan(30);
      expect(min).toBeLessThanOrEqual(avg);
      expect(avg).toBeLessThanOrEqual(max);
      expect(max).toBeLessThan(230);
      expect(await numberIn(page, 'summary-kcal')).toBeGreaterThanOrEqual(0);
      expect(await tid(page, 'summary-intervals').locator('tbody tr').count()).toBe(3);
      expect(await tid(page, 'summary-gaps').textContent()).toMatch(/gap/);
      expect(await tid(page, 'cutoff-banner').count()).toBe(0);

      // Stored: one finished session, nothing left to resume.
      const stored = await page.evaluate(
        () =>
          new Promise<{ status: string; chunks: number; readings: number }[]>((resolve, reject) => {
            const open = indexedDB.open('hrm');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction('sessions');
              const all = tx.objectStore('sessions').getAll();
              all.onsuccess = () => resolve(all.result.map((s: { status: string; chunkCount: number; readingCount: number }) => ({ status: s.status, chunks: s.chunkCount, readings: s.readingCount })));
            };
          }),
      );
      expect(stored).toHaveLength(1);
      expect(stored[0]!.status).toBe('finished');
      expect(stored[0]!.readings).toBeGreaterThan(5);

      // Still offline: find it in history with the same summary, and export all three formats.
      await tid(page, 'summary-history').click();
      // The workout summary uses the same test ids: wait for the history detail itself.
      await page.waitForURL((u) => u.pathname.startsWith('/history/'));
      await tid(page, 'detail-title').waitFor();
      await expect.poll(() => tid(page, 'summary-duration').textContent()).toBe('0:15');
      expect(await tid(page, 'summary-avg').textContent()).toBe(`${avg} bpm`);
      expect(await tid(page, 'summary-max').textContent()).toBe(`${max} bpm`);
      expect(await tid(page, 'summary-min').textContent()).toBe(`${min} bpm`);
      const dir = await mkdtemp(path.join(tmpdir(), 'hrm-offline-export-'));
      try {
        const save = async (testid: string) => {
          const [d] = await Promise.all([page.waitForEvent('download'), tid(page, testid).click()]);
          const file = path.join(dir, d.suggestedFilename());
          await d.saveAs(file);
          return { file, bytes: await readFile(file) };
        };
        const tcx = await save('export-tcx');
        const xsd = fileURLToPath(new URL('../fixtures/TrainingCenterDatabasev2.xsd', import.meta.url));
        execFileSync('xmllint', ['--noout', '--schema', xsd, tcx.file], { stdio: 'pipe' });
        const fit = decodeFit(new Uint8Array((await save('export-fit')).bytes));
        expect(fit.errors).toEqual([]);
        const fitBpm = fit.messages.recordMesgs!.map((r) => r.heartRate as number);
        expect(Math.max(...fitBpm)).toBe(max);
        expect(Math.min(...fitBpm)).toBe(min);
        const csv = (await save('export-csv')).bytes.toString().split('\r\n');
        expect(csv[0]).toBe('time_iso,elapsed_s,bpm,rr_ms');
        expect(csv.length).toBeGreaterThan(5);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      await b.context.setOffline(false);
    });
  });

  it('has no serious or critical axe violations on the workout and settings screens', async () => {
    await withBrowser({ width: 1180, height: 820 }, async (_b, page) => {
      await page.goto(server.url + '/workout');
      await tid(page, 'preset-tabata').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await tid(page, 'plan-new').click();
      await tid(page, 'plan-editor').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await tid(page, 'plan-start').click();
      await tid(page, 'workout-live').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      // Stop, confirm, and save without waiting out the undo window.
      await tid(page, 'btn-stop').click();
      await tid(page, 'btn-stop-confirm').click();
      expect(await seriousViolations(page)).toEqual([]);
      await tid(page, 'btn-save-now').click();
      await tid(page, 'summary').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await page.goto(server.url + '/settings');
      await tid(page, 'profile-form').waitFor();
      await tid(page, 'profile-age').fill('40');
      await tid(page, 'profile-sex').selectOption('male');
      await tid(page, 'profile-weight').fill('80');
      await tid(page, 'profile-resting').fill('58');
      await tid(page, 'profile-zones-karvonen').check();
      await tid(page, 'profile-save').click();
      await tid(page, 'profile-saved').waitFor();
      await expect.poll(() => tid(page, 'storage-used').textContent()).toMatch(/Used: \d/);
      expect(await seriousViolations(page)).toEqual([]);
      // The profile is kept on this device.
      await page.reload();
      await expect.poll(() => tid(page, 'profile-age').inputValue()).toBe('40');
    });
  });
});
