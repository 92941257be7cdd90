// Issue 12, "the same workout, the same numbers, on every device": two devices of one member (two
// Chromium profiles) with the real PWA, sync server and PocketBase. A sets a profile, saves a
// custom plan, records it with a pause and a skipped phase (simulated strap) and syncs; B signs in
// and has the profile and the plan. B's history detail shows what A's shows (summary, zone times,
// interval table, chart bands, read as rendered text), at the same address (the Spotify songs'
// request names it too), and B's FIT, TCX and CSV are byte-identical to A's.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { client, newMember } from '../support/http-client';
import type { TestBrowser } from '../support/browser';
import { saveProfile, signedInDevice, syncNow as syncNowIn } from '../support/devices';
import { useTestServer } from '../support/test-server';
import { seriousViolations } from '../support/a11y';

const server = useTestServer();
const browsers: TestBrowser[] = [];

afterAll(async () => {
  for (const b of browsers) await b.close();
});

const tid = (page: Page, id: string) => page.getByTestId(id);

const device = (m: { email: string; password: string }, name: string) => signedInDevice(browsers, server.url, m, name);
const syncNow = (page: Page) => syncNowIn(page, server.url);

const text = async (page: Page, id: string) => ((await tid(page, id).textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** The workout id a request for the songs of a workout (its Spotify tracks) names. */
const TRACKS = /\/spotify\/sessions\/([^/]+)\/tracks$/;
const tracksRequest = (page: Page) =>
  page.waitForRequest((r) => TRACKS.test(new URL(r.url()).pathname)).then((r) => decodeURIComponent(TRACKS.exec(new URL(r.url()).pathname)![1]!));

/** The history detail of the only workout, as rendered, and its three files. */
async function detailOf(page: Page) {
  await page.goto(`${server.url}/history`);
  const tracks = tracksRequest(page);
  await tid(page, 'history-item').first().click();
  await tid(page, 'detail-title').waitFor();
  // All readings here (a second device may still be fetching them).
  await expect.poll(async () => (await tid(page, 'detail-readings-downloading').count()) + (await tid(page, 'detail-readings-missing').count()), { timeout: 20_000 }).toBe(0);
  await tid(page, 'interval-table').waitFor();
  const files: Record<string, string> = {};
  for (const format of ['fit', 'tcx', 'csv']) {
    const [download] = await Promise.all([page.waitForEvent('download'), tid(page, `export-${format}`).click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    files[format] = `${download.suggestedFilename()} ${Buffer.concat(chunks).toString('base64')}`;
  }
  return {
    path: new URL(page.url()).pathname,
    tracksId: await tracks,
    summary: await text(page, 'session-summary'),
    zones: await text(page, 'zone-bars'),
    intervals: await text(page, 'interval-table'),
    intervalRows: await tid(page, 'interval-row').count(),
    bands: await tid(page, 'detail-chart').getAttribute('data-bands'),
    partial: await tid(page, 'detail-partial').count(),
    files,
  };
}

describe('one workout on two devices', () => {
  it('B shows the summary, zones, intervals and bands A shows and exports the same bytes', async () => {
    const m = newMember('execdev');
    expect((await client(server.url).post('/api/v1/auth/register', m)).status).toBe(202);
    const a = await device(m, 'Phone A');

    await saveProfile(a, server.url, { age: '41', sex: 'male', weight: '80', resting: '52', maxHr: '184' });

    // A: 1 s prepare, 3 × (4 s work, 2 s rest); a pause in the first work bout, the first rest skipped.
    await a.goto(`${server.url}/`);
    await tid(a, 'workout-card').click();
    await tid(a, 'strap-simulated').click();
    await expect.poll(() => tid(a, 'strap-status').textContent(), { timeout: 10_000 }).toMatch(/bpm/);
    await tid(a, 'plan-new').click();
    await tid(a, 'plan-name').fill('Exec short');
    await tid(a, 'plan-prepare').fill('1');
    await tid(a, 'block-0-work').fill('4');
    await tid(a, 'block-0-rest').fill('2');
    await tid(a, 'block-0-rounds').fill('3');
    await tid(a, 'plan-save').click();
    await tid(a, 'plan-saved').waitFor();
    await tid(a, 'plan-start').click();
    await tid(a, 'workout-live').waitFor();
    await expect.poll(() => tid(a, 'phase-label').textContent(), { timeout: 5_000 }).toMatch(/work/i);
    await tid(a, 'btn-pause').click();
    await tid(a, 'btn-resume').click();
    await expect.poll(() => tid(a, 'phase-label').textContent(), { timeout: 10_000 }).toMatch(/rest/i);
    await tid(a, 'btn-skip').click();
    await tid(a, 'summary').waitFor({ timeout: 30_000 });
    await syncNow(a);
    const onA = await detailOf(a);
    expect(onA.partial).toBe(0);
    expect(onA.intervalRows).toBeGreaterThanOrEqual(3);
    expect(onA.bands).toMatch(/^prepare:\d+-\d+ work:/);

    const b = await device(m, 'Tablet B');
    await syncNow(b);
    const onB = await detailOf(b);
    expect(onB.summary).toBe(onA.summary);
    expect(onB.zones).toBe(onA.zones);
    expect(onB.intervals).toBe(onA.intervals);
    expect(onB.bands).toBe(onA.bands);
    expect(onB.partial).toBe(0);
    for (const format of ['fit', 'tcx', 'csv']) expect(onB.files[format], format).toBe(onA.files[format]);

    // The profile came with the sign-in, so recomputing on B changes nothing, and says so.
    await tid(b, 'recompute').click();
    await tid(b, 'recompute-same').waitFor();
    expect(await seriousViolations(b)).toEqual([]);

    // A's profile and custom plan are on B too.
    await b.goto(`${server.url}/workout`);
    await expect.poll(() => tid(b, 'saved-plans').textContent(), { timeout: 10_000 }).toContain('Exec short');
    await b.goto(`${server.url}/settings`);
    await expect.poll(() => tid(b, 'profile-age').inputValue(), { timeout: 10_000 }).toBe('41');
    expect(await tid(b, 'profile-maxhr').inputValue()).toBe('184');

    // One address on both devices (the wire id), and A's own row id still finds it.
    expect(onB.path).toBe(onA.path);
    expect(onA.path).toMatch(/^\/history\/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await a.goto(`${server.url}/history`);
    const localId = await tid(a, 'history-item').first().getAttribute('data-id');
    expect(`/history/${localId}`).not.toBe(onA.path);
    // A request keyed by the workout (its Spotify songs) names that one address on both devices,
    // even from a link by A's row id.
    expect(onA.tracksId).toBe(onA.path.slice('/history/'.length));
    expect(onB.tracksId).toBe(onA.tracksId);
    const tracks = tracksRequest(a);
    await a.goto(`${server.url}/history/${localId}`);
    await a.waitForURL((u) => u.pathname === onA.path);
    await tid(a, 'detail-title').waitFor();
    expect(await tracks).toBe(onA.tracksId);
  });
});
