import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { timerView, type TimerState } from '../../core/workout';
import { openBrowser, type TestBrowser } from '../support/browser';
import { newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';
import { installFakeBluetooth } from './strap-fake-bluetooth';

// Class mode end to end in the built PWA: a coach's phone, the gym's big screen (paired by
// code) and two participants' phones, each its own Chromium profile, on a real sync server and
// PocketBase. Staleness is shortened so a closed phone's tile can be watched fading and going.
const STALE_MS = 2_500;
const GONE_MS = 6_000;
const env = { ROOM_STALE_MS: String(STALE_MS), ROOM_GONE_MS: String(GONE_MS) };
const server = useTestServer({ env });
const browsers: TestBrowser[] = [];
const errors: string[] = [];

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
});

const tid = (page: Page, id: string) => page.getByTestId(id);
const text = (page: Page, id: string) => tid(page, id).first().textContent().then((t) => (t ?? '').replace(/\s+/g, ' ').trim());

async function newPage(viewport?: { width: number; height: number }, setup?: (p: Page) => Promise<void>) {
  const b = await openBrowser({ viewport });
  browsers.push(b);
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  watch(page);
  await setup?.(page);
  return { b, page };
}

function watch(page: Page) {
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
}

/** Records, in the display page, when the timer's state attributes change (page clock, ms since the epoch). */
async function recordTimerChanges(display: Page) {
  await display.evaluate(() => {
    const el = document.querySelector('[data-testid="room-timer"]')!;
    const log: Array<{ revision: string; status: string; left: string; at: number }> = [];
    (window as unknown as { __timerLog: typeof log }).__timerLog = log;
    const take = () =>
      log.push({
        revision: el.getAttribute('data-revision') ?? '',
        status: el.getAttribute('data-status') ?? '',
        left: el.getAttribute('data-left-s') ?? '',
        at: performance.timeOrigin + performance.now(),
      });
    new MutationObserver(take).observe(el, { attributes: true, attributeFilter: ['data-revision', 'data-status'] });
  });
}

type LogEntry = { revision: string; status: string; left: string; at: number };
const timerLog = (display: Page) => display.evaluate(() => (window as unknown as { __timerLog: LogEntry[] }).__timerLog);

/** Clicks a control button and returns the state the server answered with. */
async function command(control: Page, testid: string): Promise<TimerState> {
  const answer = control.waitForResponse((r) => r.url().endsWith('/timer') && r.request().method() === 'POST');
  await tid(control, testid).click();
  const res = await answer;
  expect(res.status()).toBe(200);
  return ((await res.json()) as { state: TimerState }).state;
}

/**
 * The display showed `state` pushed, not found later by a resnapshot, with the status and time
 * left the server's state gives at the moment it showed. On an idle machine that moment is well
 * under 100 ms after the command's server time; this test must also hold on a loaded one
 * (issue 11: 109 ms with two busy loops beside the whole suite), so the bound here only tells a
 * push from a later resync. How fast it is, is a figure for bench/, never a test's verdict.
 */
const PUSHED_WITHIN_MS = 1_000;
async function expectShownInTime(display: Page, state: TimerState) {
  await expect.poll(async () => (await timerLog(display)).some((e) => e.revision === String(state.revision))).toBe(true);
  const entry = (await timerLog(display)).find((e) => e.revision === String(state.revision))!;
  const offset = Number(await tid(display, 'room-display').getAttribute('data-offset-ms'));
  const shownAtServer = entry.at + offset;
  const delay = shownAtServer - state.updatedAt!;
  expect(delay, `display lag for revision ${state.revision}`).toBeLessThan(PUSHED_WITHIN_MS);
  expect(delay).toBeGreaterThan(-50); // offset error bound on one machine
  const view = timerView(state, shownAtServer);
  expect(entry.status).toBe(view.status);
  if (view.mode === 'intervals' && view.status !== 'idle') expect(Math.abs(Number(entry.left) - Math.ceil(view.phaseLeftMs / 1000))).toBeLessThanOrEqual(1);
}

/** The display's time left agrees with timerView of the server's state at the display's server time. */
async function expectTimerAgrees(display: Page, control: Page, roomId: string) {
  const state = (await control.evaluate(async (id) => (await (await fetch(`/api/v1/rooms/${id}/timer`)).json()).state, roomId)) as TimerState;
  const shown = await display.evaluate(() => {
    const root = document.querySelector('[data-testid="room-display"]')!;
    const el = document.querySelector('[data-testid="room-timer"]')!;
    return { serverNow: Date.now() + Number(root.getAttribute('data-offset-ms')), left: Number(el.getAttribute('data-left-s')), status: el.getAttribute('data-status') };
  });
  const view = timerView(state, shown.serverNow);
  expect(shown.status).toBe(view.status);
  if (view.mode === 'intervals') expect(Math.abs(shown.left - Math.ceil(view.phaseLeftMs / 1000))).toBeLessThanOrEqual(1);
}

async function joinAs(page: Page, code: string, name: string, age: number, restingHr?: number, privacy: { initials?: boolean; unranked?: boolean } = {}) {
  await page.goto(`${server.url}/join?code=${code}`);
  await tid(page, 'join-name').fill(name);
  await tid(page, 'join-age').fill(String(age));
  if (restingHr !== undefined) await tid(page, 'join-resting').fill(String(restingHr));
  if (privacy.initials) await tid(page, 'join-initials').check();
  if (privacy.unranked) await tid(page, 'join-unranked').check();
  await tid(page, 'join-sex-female').check();
  await tid(page, 'join-weight').fill('60');
  await tid(page, 'join-submit').click();
  await expect.poll(() => tid(page, 'participant-live').getAttribute('data-link'), { timeout: 10_000 }).toBe('open');
}

/** The fake strap sends `bpm` twice a second from inside the page (as a real strap would). */
async function pairFakeStrap(page: Page, bpm: number) {
  await tid(page, 'strap-pair').click();
  await expect.poll(() => tid(page, 'strap-state').getAttribute('data-state')).toBe('streaming');
  await page.evaluate((value) => {
    const fake = (window as unknown as { __fakeStrap: { send(b: number[]): boolean } }).__fakeStrap;
    setInterval(() => fake.send([0x00, value]), 500);
  }, bpm);
  await expect.poll(() => text(page, 'my-bpm')).toBe(String(bpm));
}

const tileOf = (display: Page, participantId: string) => display.locator(`[data-testid="tile"][data-participant-id="${participantId}"]`);

describe('class mode in the browser', () => {
  it('coach, display and participants: tiles, timer in sync, staleness, rejoin and a server restart', async () => {
    // The coach signs up on a phone, creates a room and opens its control page.
    const { page: control } = await newPage({ width: 390, height: 844 });
    const m = newMember('coach');
    await control.goto(`${server.url}/signup`);
    await tid(control, 'signup-name').fill(m.name);
    await tid(control, 'signup-email').fill(m.email);
    await tid(control, 'signup-password').fill(m.password);
    await tid(control, 'signup-submit').click();
    await tid(control, 'home-greeting').waitFor();
    await tid(control, 'nav-class').click();
    await tid(control, 'room-name').fill('Tuesday HIIT');
    await tid(control, 'plan-preset-tabata').click();
    await tid(control, 'plan-rounds').fill('4');
    await tid(control, 'room-create').click();
    await control.waitForURL(/\/rooms\/[a-z0-9]{15}$/);
    const roomId = new URL(control.url()).pathname.split('/')[2]!;
    await expect.poll(() => tid(control, 'room-control').getAttribute('data-link')).toBe('open');
    const joinCode = (await text(control, 'control-join-code')).replace('-', '');
    expect(joinCode).toMatch(/^[A-Z0-9]{8}$/);

    // The gym screen pairs with a code: no account, no app header.
    await tid(control, 'display-add').click();
    const pairingCode = await text(control, 'display-pairing-code');
    const { page: display } = await newPage({ width: 1920, height: 1080 });
    await display.goto(`${server.url}/display`);
    await tid(display, 'pair-code').fill(pairingCode.toLowerCase());
    await tid(display, 'pair-submit').click();
    await expect.poll(() => tid(display, 'room-display').getAttribute('data-link')).toBe('open');
    expect(await display.locator('header nav').count()).toBe(0);
    // Typing the pairing code was a gesture, so the screen may play: sound is on without a tap.
    await expect.poll(() => tid(display, 'room-display').getAttribute('data-sound')).toBe('on');
    expect(await tid(display, 'sound-enable').count()).toBe(0);
    expect(await text(display, 'display-room-name')).toBe('Tuesday HIIT');
    expect((await text(display, 'display-join-code')).replace('-', '')).toBe(joinCode);
    await expect.poll(() => tid(display, 'room-display').getAttribute('data-offset-ms')).toMatch(/\d/);

    // Two participants: one with a (fake) Bluetooth strap at 144 bpm, one with the simulated strap.
    const { b: annBrowser, page: ann } = await newPage(undefined, (p) => installFakeBluetooth(p));
    await joinAs(ann, joinCode, 'Ann', 40, 60);
    await pairFakeStrap(ann, 144);
    const annId = (await tid(ann, 'participant-live').getAttribute('data-participant-id'))!;
    const { page: bea } = await newPage();
    // Bea Lund shows only her initials and stays out of rankings.
    await joinAs(bea, joinCode, 'Bea Lund', 30, undefined, { initials: true, unranked: true });
    await tid(bea, 'strap-simulate').click();
    await expect.poll(() => text(bea, 'my-bpm'), { timeout: 8_000 }).toMatch(/^\d{2,3}$/);
    const beaId = (await tid(bea, 'participant-live').getAttribute('data-participant-id'))!;

    // Tiles: name, bpm, % of max (Tanaka: 208 − 0.7 × 40 = 180), zone number and name, in join order.
    const annTile = tileOf(display, annId);
    await expect.poll(() => annTile.getByTestId('tile-bpm').textContent(), { timeout: 5_000 }).toBe('144');
    expect(await annTile.getByTestId('tile-name').textContent()).toBe('Ann');
    expect(await annTile.getByTestId('tile-percent').textContent()).toBe('80\u202F%');
    expect((await annTile.getByTestId('tile-zone').textContent())?.trim()).toBe('Z4 · Threshold');
    expect(await annTile.getAttribute('data-zone')).toBe('4');
    await expect.poll(() => annTile.getByTestId('tile-kcal').textContent(), { timeout: 5_000 }).toMatch(/^\d+ kcal$/);
    const beaTile = tileOf(display, beaId);
    expect(await beaTile.getByTestId('tile-name').textContent()).toBe('BL');
    expect(await text(bea, 'joined-name')).toBe('BL');
    await expect
      .poll(async () => (await beaTile.getByTestId('tile-bpm').textContent()) === (await text(bea, 'my-bpm')), { timeout: 10_000 })
      .toBe(true);
    expect(await display.getByTestId('tile').evaluateAll((els) => els.map((e) => e.getAttribute('data-participant-id')))).toEqual([annId, beaId]);
    // The coach sees both too.
    await expect.poll(() => tid(control, 'participant-row').count()).toBe(2);

    // Start, pause and resume from the control page: pushed to the display (expectShownInTime).
    await recordTimerChanges(display);
    const started = await command(control, 'timer-start');
    await expectShownInTime(display, started);
    await display.waitForTimeout(1_200);
    const paused = await command(control, 'timer-pause');
    await expectShownInTime(display, paused);
    expect(await text(display, 'timer-status')).toBe('Paused');
    await display.waitForTimeout(600);
    const resumed = await command(control, 'timer-resume');
    await expectShownInTime(display, resumed);
    await expectTimerAgrees(display, control, roomId);
    // Effort points, once the class runs: worked out on Ann's phone, the same on her tile.
    await expect
      .poll(async () => {
        const mine = await tid(ann, 'my-points-value').textContent().catch(() => null);
        const shown = await annTile.getByTestId('tile-points').textContent().catch(() => null);
        return mine !== null && shown === `${mine}\u202Fpts`;
      })
      .toBe(true);
    expect(await tileOf(display, beaId).getByTestId('tile-points').count()).toBe(1);
    // On a phone, Ann sees her heart rate, zone, points and the class timer together, unscrolled.
    await ann.setViewportSize({ width: 390, height: 844 });
    await ann.evaluate(() => window.scrollTo(0, 0));
    for (const id of ['my-bpm', 'my-zone', 'my-points', 'room-timer']) {
      const box = await tid(ann, id).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.y + box!.height, `${id} is on the first screen`).toBeLessThanOrEqual(844);
    }
    // Stop asks first; cancelling leaves the timer running.
    await tid(control, 'timer-stop').click();
    await tid(control, 'control-confirm-cancel').click();
    expect(await tid(display, 'room-timer').getAttribute('data-status')).toBe('running');

    // Ann's phone closes: her tile goes stale ("No signal"), then it is gone.
    await ann.close();
    await expect.poll(() => annTile.getAttribute('data-status'), { timeout: STALE_MS + 3_000 }).toBe('stale');
    expect(await annTile.getByTestId('tile-stale').textContent()).toBe('No signal');
    await expect.poll(() => annTile.count(), { timeout: GONE_MS + 3_000 }).toBe(0);
    expect(await display.getByTestId('tile').count()).toBe(1);

    // She opens the page again on the same phone: the same participant, one tile, no duplicate.
    const ann2 = await annBrowser.context.newPage();
    watch(ann2);
    await installFakeBluetooth(ann2);
    await ann2.goto(`${server.url}/join?code=${joinCode}`);
    await expect.poll(() => tid(ann2, 'participant-live').getAttribute('data-link'), { timeout: 10_000 }).toBe('open');
    expect(await tid(ann2, 'participant-live').getAttribute('data-participant-id')).toBe(annId);
    await pairFakeStrap(ann2, 150);
    await expect.poll(() => annTile.getByTestId('tile-bpm').textContent(), { timeout: 5_000 }).toBe('150');
    expect(await annTile.getAttribute('data-status')).toBe('live');
    expect(await display.getByTestId('tile').count()).toBe(2);
    await expect.poll(() => tid(control, 'participant-row').count()).toBe(2);

    // The sync server restarts mid-timer on the same address: the display says so, comes back
    // with a fresh snapshot, and the timer is where it should be.
    const port = server.port;
    expect(await server.stop()).toBe(0);
    await expect.poll(() => tid(display, 'live-banner').getAttribute('data-state'), { timeout: 5_000 }).toBe('reconnecting');
    await server.start({ port });
    await expect.poll(() => tid(display, 'room-display').getAttribute('data-link'), { timeout: 30_000 }).toBe('open');
    await expect.poll(() => tid(control, 'room-control').getAttribute('data-link'), { timeout: 30_000 }).toBe('open');
    await expectTimerAgrees(display, control, roomId);
    expect(await tid(display, 'live-banner').count()).toBe(0);
    // Heart rate flows again after the phones reconnect.
    await expect.poll(() => tid(ann2, 'participant-live').getAttribute('data-link'), { timeout: 30_000 }).toBe('open');
    await expect.poll(() => annTile.getAttribute('data-status'), { timeout: 10_000 }).toBe('live');
    // Bea's phone reconnects on its own backoff; her tile is back once it has (never twice).
    await expect.poll(() => display.getByTestId('tile').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => beaTile.getAttribute('data-status'), { timeout: 10_000 }).toBe('live');

    // Bea leaves: her tile goes at once.
    await tid(bea, 'leave').click();
    await tid(bea, 'join-notice').waitFor();
    await expect.poll(() => beaTile.count()).toBe(0);

    expect(errors, 'page errors').toEqual([]);
  });
});
