/**
 * Two costs of the workout screen, in Chromium against the built PWA on a real sync server:
 *
 * 1. JavaScript transferred on the first load of /workout (fresh profile, empty caches), from CDP
 *    Network events over script responses (the server gzips): the goal's figure is the gzip
 *    bodies of the scripts the page asked for before the screen's first paint (its marker
 *    element, the plan list, is in the DOM and a frame has passed; the page's own resource
 *    timing says when each script was asked for). Also printed: the same with HTTP headers
 *    (bytes on the wire), and everything by network idle, including what the layout fetches
 *    lazily once the first frame is out (banners, prompts, class mode, the service worker's
 *    registration). / for comparison.
 * 2. IndexedDB cost of recording: the app's own recorder (web/src/lib/recording, bundled with
 *    esbuild and run in the page) records N synthetic 1 Hz readings with RR into its own
 *    database, flushing after every reading as it does once a second in a workout (one
 *    transaction: rewrite the open chunk, update the session row), and once more with a flush
 *    per 60 readings. navigator.storage.estimate() before/after gives bytes per reading; the
 *    loop's wall time gives flushes (write transactions) per second.
 *
 * Run: READINGS=60 node --import tsx bench/workout-first-load.bench.ts   (needs npx vite build first;
 *      FIRST_LOAD_FILES=1 lists each script with wire and body bytes, before or after the paint)
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { openBrowser } from '../tests/support/browser';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { startSyncServer } from '../tests/support/sync-server';

const N = Number(process.env.READINGS ?? 7200);
const root = fileURLToPath(new URL('..', import.meta.url));

interface Transfer {
  scripts: number;
  scriptFiles: number;
  scriptDecoded: number;
  /** Response bodies only (gzip as served), without the HTTP headers. */
  scriptBodies: number;
  /** Scripts requested before the screen's first paint (its marker element painted). */
  beforePaint: { files: number; wire: number; bodies: number };
  all: number;
  gzipped: number;
}

/** The element that says the screen's own content is there (the first paint that matters). */
const PAINT_MARKER: Record<string, string> = {
  '/workout': '[data-testid="preset-stopwatch"]',
  '/': 'main#main h1',
};

async function firstLoad(page: Page, url: string, marker: string): Promise<Transfer> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  // The page notes (epoch ms) the frame after the marker element first appears: a script asked
  // for after that moment did not delay the first paint (lazy, idle-time prefetch).
  await page.addInitScript({
    content: `(() => {
      const sel = ${JSON.stringify(marker)};
      const mark = () => requestAnimationFrame(() => setTimeout(() => { globalThis.__firstPaintAt = performance.now(); }));
      new MutationObserver((_, obs) => { if (document.querySelector(sel)) { obs.disconnect(); mark(); } })
        .observe(document, { childList: true, subtree: true });
    })();`,
  });
  const kinds = new Map<string, { script: boolean; gzip: boolean; url: string; headers: number }>();
  const t: Transfer = { scripts: 0, scriptFiles: 0, scriptDecoded: 0, scriptBodies: 0, beforePaint: { files: 0, wire: 0, bodies: 0 }, all: 0, gzipped: 0 };
  cdp.on('Network.responseReceived', (e) => {
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const script = e.type === 'Script' || /javascript/.test(e.response.mimeType);
    // encodedDataLength at this point: the bytes of the status line and headers.
    kinds.set(e.requestId, { script, gzip: /gzip|br|zstd/.test(headers['content-encoding'] ?? ''), url: e.response.url, headers: e.response.encodedDataLength });
  });
  const decoded = new Map<string, number>();
  cdp.on('Network.dataReceived', (e) => decoded.set(e.requestId, (decoded.get(e.requestId) ?? 0) + e.dataLength));
  const finished: Array<{ id: string; wire: number; body: number; url: string }> = [];
  cdp.on('Network.loadingFinished', (e) => {
    const k = kinds.get(e.requestId);
    t.all += e.encodedDataLength;
    if (!k?.script) return;
    const body = e.encodedDataLength - k.headers;
    t.scripts += e.encodedDataLength;
    t.scriptBodies += body;
    t.scriptDecoded += decoded.get(e.requestId) ?? 0;
    t.scriptFiles++;
    if (k.gzip) t.gzipped++;
    finished.push({ id: e.requestId, wire: e.encodedDataLength, body, url: k.url });
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => (globalThis as { __firstPaintAt?: number }).__firstPaintAt !== undefined);
  await page.waitForLoadState('networkidle');
  // The page's own resource timing says when each script was asked for, on the clock the
  // marker was read from.
  const askedBeforePaint = new Set(
    await page.evaluate(() => {
      const paintedAt = (globalThis as unknown as { __firstPaintAt: number }).__firstPaintAt;
      return (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => r.startTime < paintedAt).map((r) => r.name);
    }),
  );
  await cdp.detach();
  for (const f of finished) {
    const before = askedBeforePaint.has(f.url);
    if (before) {
      t.beforePaint.files++;
      t.beforePaint.wire += f.wire;
      t.beforePaint.bodies += f.body;
    }
    // FIRST_LOAD_FILES=1 lists each script, to see what a change added to the first load.
    if (process.env.FIRST_LOAD_FILES) console.log(`  ${String(f.wire).padStart(7)} ${String(f.body).padStart(7)} ${before ? 'before paint' : 'after paint '} ${new URL(f.url).pathname}`);
  }
  return t;
}

interface BenchResult {
  ms: number;
  flushes: number;
  readings: number;
  chunks: number;
  payload: number;
  usage: number;
  settled: number;
}
type BenchFn = (n: number, perFlush: number, dbName: string) => Promise<BenchResult>;

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The app's recorder and storage, bundled for the page ($lib and $core as in svelte.config.js). */
async function recorderBundle(): Promise<string> {
  const entry = `
    import { createStorage } from '$lib/storage';
    import { startRecording } from '$lib/recording/recorder';
    globalThis.__hrmBench = async (n, perFlush, name) => {
      const storage = createStorage({ name });
      const clock = { now: () => Date.now(), every: () => () => {} };
      const plan = { v: 1, mode: 'stopwatch', name: 'Bench' };
      const t0 = Date.now();
      const timer = { v: 1, plan, revision: 1, updatedAt: t0, startedAt: t0, pausedAt: null, pausedTotal: 0, pauses: [], skips: [], stoppedAt: null };
      await storage.db().open();
      const before = await navigator.storage.estimate();
      const rec = await startRecording({ db: storage.db, sessions: storage.sessions, clock, writeEachReading: false, onError: (e) => { throw e; } }, { plan, timer, source: 'simulated' });
      const start = performance.now();
      let flushes = 0;
      for (let i = 0; i < n; i++) {
        const bpm = 120 + Math.round(40 * Math.sin(i / 90));
        const rr = Math.round(61440 / bpm);
        rec.sink({ type: 'reading', reading: { t: t0 + i * 1000, bpm, rr1024: i % 5 === 0 ? [rr, rr + 7] : [rr], contact: 'detected', energyKj: null } });
        if ((i + 1) % perFlush === 0) { await rec.flush(); flushes++; }
      }
      await rec.close();
      const ms = performance.now() - start;
      const after = await navigator.storage.estimate();
      const row = await storage.sessions.get(rec.sessionId);
      const chunks = await storage.db().chunks.where('sessionId').equals(rec.sessionId).toArray();
      const payload = chunks.reduce((sum, c) => sum + c.data.byteLength, 0);
      storage.db().close();
      // LevelDB compacts in the background: the usage right after the writes still holds the
      // log of every rewrite of the open chunk. Wait (up to 20 s) for it to settle.
      let settled = after.usage;
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        const now = (await navigator.storage.estimate()).usage;
        if (now === settled && i > 2) break;
        settled = now;
      }
      return { ms, flushes, readings: row.readingCount, chunks: row.chunkCount, payload,
        usage: after.usage - before.usage, settled: settled - before.usage };
    };`;
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'iife',
    write: false,
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
    plugins: [
      {
        name: 'kit-aliases',
        setup(b) {
          b.onResolve({ filter: /^\$(lib|core)(\/|$)/ }, async (args) => {
            const path = args.path.replace(/^\$lib/, `${root}web/src/lib`).replace(/^\$core/, `${root}core`);
            return b.resolve(path.startsWith('/') ? path : `./${path}`, { kind: args.kind, resolveDir: root });
          });
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}

const pb = await startTestPocketBase();
const server = await startSyncServer({ pb });
try {
  const probe = await fetch(`${server.url}/workout`);
  const target = probe.ok && !(await probe.text()).includes('404') ? '/workout' : '/';
  if (target === '/') console.log('/workout not found: measuring / instead');
  for (const path of [target, '/']) {
    const b = await openBrowser();
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      const t = await firstLoad(page, server.url + path, PAINT_MARKER[path]!);
      console.log(
        `first load of ${path.padEnd(8)}: JavaScript before first paint ${kb(t.beforePaint.bodies)} gzip (${kb(t.beforePaint.wire)} on the wire with headers) in ${t.beforePaint.files} files; ` +
          `by network idle ${kb(t.scriptBodies)} gzip (${kb(t.scripts)} with headers) in ${t.scriptFiles} files (${t.gzipped} gzip-encoded; ${kb(t.scriptDecoded)} decoded); all responses ${kb(t.all)}`,
      );
    } finally {
      await b.close();
    }
  }

  const code = await recorderBundle();
  for (const perFlush of [1, 60]) {
    const b = await openBrowser();
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      await page.goto(`${server.url}/`);
      await page.evaluate(code);
      const r = await page.evaluate(([n, f]) => (globalThis as unknown as { __hrmBench: BenchFn }).__hrmBench(n, f, 'hrm-bench'), [N, perFlush] as const);
      const per = (bytes: number) => `${(bytes / r.readings).toFixed(1)} B/reading`;
      console.log(
        `recorder, ${r.readings} readings (1 Hz, RR), flush every ${String(perFlush).padStart(2)}: ` +
          `${((r.flushes / r.ms) * 1000).toFixed(0)} write transactions/s (${((r.readings / r.ms) * 1000).toFixed(0)} readings/s); ` +
          `chunk payload ${per(r.payload)} in ${r.chunks} rows; storage.estimate +${kb(r.usage)} right after (${per(r.usage)}), ` +
          `+${kb(r.settled)} settled (${per(r.settled)})`,
      );
    } finally {
      await b.close();
    }
  }
} finally {
  await server.stop();
  await pb.dispose();
}
