/**
 * History list with 1000 stored sessions in Chromium (metadata rows only; the list never reads
 * readings): time to the first rows, time to the progress section (every session's stored
 * figures read from the summary index, storage/session-facts.ts, and added up), time to the
 * personal records, time to scroll through all 1000 (pages load as the end comes into view),
 * frame times while scrolling, and DOM size at the end. Sessions are seeded with their summary
 * index rows where the database has that table (history-seed.ts), as the app writes them.
 * Needs the built PWA (npx vite build). Run: node --import tsx bench/history-list.bench.ts
 */
import { seedInPage, seedSession, type Seeded } from '../tests/browser/history-seed';
import { openBrowser } from '../tests/support/browser';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { startSyncServer } from '../tests/support/sync-server';

const SESSIONS = Number(process.env.SESSIONS ?? 1000);
const RUNS = Number(process.env.RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const pb = await startTestPocketBase();
const server = await startSyncServer({ pb });
const b = await openBrowser();
try {
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  await page.goto(`${server.url}/history`);
  await page.getByTestId('history-empty').waitFor();
  // Two workouts a day back from this morning: the newest ~170 fall in the 12-week trend.
  const today = new Date();
  const T = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 7);
  const template = seedSession({ id: 'template0000000', title: 'Tabata', startedAt: T, withoutReadings: true });
  for (let i = 0; i < SESSIONS; i += 200) {
    const batch: Seeded[] = [];
    for (let k = i; k < Math.min(SESSIONS, i + 200); k++) {
      const shift = -k * 43_200_000;
      const s = template.session;
      batch.push({ ...template, session: { ...s, id: `bench${String(k).padStart(10, '0')}`, title: `Workout ${k + 1}`, startedAt: s.startedAt + shift, endedAt: s.endedAt! + shift } });
    }
    await seedInPage(page, batch);
  }
  const rowBytes = JSON.stringify(template.session).length;
  console.log(`${SESSIONS} sessions seeded (one session row ≈ ${(rowBytes / 1024).toFixed(1)} KB as JSON)`);

  const first: number[] = [];
  const progress: number[] = [];
  const records: number[] = [];
  const all: number[] = [];
  let frames = { p50: 0, p95: 0, max: 0, n: 0 };
  let dom = 0;
  for (let run = 0; run < RUNS; run++) {
    await page.goto(`${server.url}/history`);
    first.push(await page.waitForFunction(() => document.querySelector('[data-testid="history-item"]') && performance.now(), undefined, { polling: 'raf' }).then((h) => h.jsonValue() as Promise<number>));
    // Progress (weekly totals, trend, records) reads every session's stored figures after the
    // first page: timed alongside the scroll, as a member would scroll while it adds up.
    const shown = page.waitForFunction(() => document.querySelector('[data-testid="weekly-totals"]') && performance.now(), undefined, { polling: 'raf', timeout: 60_000 });
    const recordsShown = page.waitForFunction(() => document.querySelector('[data-testid="personal-records"]') && performance.now(), undefined, { polling: 'raf', timeout: 60_000 });
    const r = await page.evaluate(async (total) => {
      const deltas: number[] = [];
      const t0 = performance.now();
      let last = t0;
      while (document.querySelectorAll('[data-testid="history-item"]').length < total) {
        window.scrollBy(0, 1200);
        await new Promise((res) => requestAnimationFrame(() => res(null)));
        const now = performance.now();
        deltas.push(now - last);
        last = now;
        if (now - t0 > 60_000) break;
      }
      const elapsed = performance.now() - t0;
      deltas.sort((a, c) => a - c);
      return {
        elapsed,
        frames: { p50: deltas[Math.floor(deltas.length / 2)]!, p95: deltas[Math.floor(deltas.length * 0.95)]!, max: deltas.at(-1)!, n: deltas.length },
        dom: document.getElementsByTagName('*').length,
        rows: document.querySelectorAll('[data-testid="history-item"]').length,
      };
    }, SESSIONS);
    if (r.rows < SESSIONS) throw new Error(`only ${r.rows} rows loaded`);
    all.push(r.elapsed);
    progress.push(await shown.then((h) => h.jsonValue() as Promise<number>));
    records.push(await recordsShown.then((h) => h.jsonValue() as Promise<number>));
    frames = r.frames;
    dom = r.dom;
  }
  console.log(`first rows visible (navigation start → first row): median ${median(first).toFixed(0)} ms`);
  console.log(`progress shown (navigation start → weekly totals and 12-week trend): median ${median(progress).toFixed(0)} ms`);
  console.log(`personal records shown (navigation start → records over all ${SESSIONS}): median ${median(records).toFixed(0)} ms`);
  console.log(`scroll through all ${SESSIONS} (30 per page, loaded on scroll): median ${median(all).toFixed(0)} ms`);
  console.log(`frame time while scrolling (last run, ${frames.n} frames): p50 ${frames.p50.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms, max ${frames.max.toFixed(1)} ms`);
  console.log(`DOM elements with all ${SESSIONS} rows loaded: ${dom}`);
} finally {
  await b.close();
  await server.stop();
  await pb.dispose();
}
