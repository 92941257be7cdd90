import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { isRunOver } from '../../core/rooms';
import { expandPlan, type IntervalPlan, type TimerState } from '../../core/workout';
import { openBrowser, type TestBrowser } from '../support/browser';
import { signedInDevice, syncNow } from '../support/devices';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';
import { fakeStraps, FAKE_ANTUSB_M, installFakeAntUsb, TEST_NETWORK_KEY } from './ant-fake-usb';

// Issue 15 end to end, "After class": a class carried entirely by the hub (no participant
// opened a phone) ends; two members who registered their straps and opted in find the class in
// their history on another device, with its intervals; the guest strap the coach named gets a
// claim link (and QR code) on the hub, and the guest claims the workout after signing up.
const PLAN: IntervalPlan = { v: 1, mode: 'intervals', name: 'Hub tiny', prepareMs: 2_000, blocks: [{ name: 'Main', workMs: 5_000, restMs: 3_000, rounds: 2 }] };
const STRAPS = fakeStraps(3);
const [ANN, BEA, GUEST] = STRAPS as [(typeof STRAPS)[0], (typeof STRAPS)[0], (typeof STRAPS)[0]];
const server = useTestServer();
const browsers: TestBrowser[] = [];
const errors: string[] = [];
afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
});
const tid = (page: Page, id: string) => page.getByTestId(id);

async function newPage(): Promise<Page> {
  const b = await openBrowser({ viewport: { width: 1280, height: 900 } });
  browsers.push(b);
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  return page;
}

/** A member with the strap registered and auto-join on (their profile given with it). */
async function optedInMember(prefix: string, deviceNumber: number, profile: Record<string, unknown>) {
  const m = newMember(prefix);
  const c = client(server.url);
  await c.post('/api/v1/auth/register', m);
  expect((await c.post('/api/v1/auth/login', { email: m.email, password: m.password })).status).toBe(200);
  expect((await c.post('/api/v1/straps', { key: `ant:${deviceNumber}` })).status).toBe(201);
  expect((await c.put('/api/v1/straps/prefs', { autoJoin: true, profile })).status).toBe(200);
  return m;
}

async function historyTitles(page: Page) {
  await page.goto(`${server.url}/history`);
  await tid(page, 'history-count').filter({ hasText: /workout/ }).waitFor();
  return tid(page, 'history-item-title').allTextContents();
}

/** The class in the member's history, opened: its interval table has a row per round of the plan (a work bout and its rest). */
async function openClass(page: Page, title: string) {
  await tid(page, 'history-item').filter({ hasText: title }).first().click();
  const rounds = expandPlan(PLAN).filter((p) => p.kind === 'work').length;
  await expect.poll(() => tid(page, 'interval-row').count(), { timeout: 15_000 }).toBe(rounds);
}

describe('after a class carried by the hub', () => {
  it('members find it in their history on another device; a guest claims theirs after sign-up', async () => {
    const coach = client(server.url);
    const cm = newMember('hubcoach');
    await coach.post('/api/v1/auth/register', cm);
    expect((await coach.post('/api/v1/auth/login', { email: cm.email, password: cm.password })).status).toBe(200);
    const { room } = (await coach.post('/api/v1/rooms', { name: 'Hub night', plan: PLAN })).body as { room: { id: string } };
    const ann = await optedInMember('ann', ANN.deviceNumber, { age: 38, sex: 'female', weightKg: 61 });
    const bea = await optedInMember('bea', BEA.deviceNumber, { age: 45, sex: 'female', maxHr: 178 });

    // The hub: the coach's link, a USB ANT stick hearing three straps.
    const hubLink = await coach.post(`/api/v1/rooms/${room.id}/hubs`, { name: 'Tablet' });
    expect(hubLink.status).toBe(201);
    const hub = await newPage();
    await installFakeAntUsb(hub, { ...FAKE_ANTUSB_M, networkKeyHex: TEST_NETWORK_KEY, straps: STRAPS, backgroundEvery: 2 });
    await hub.goto(`${server.url}${hubLink.body.linkPath as string}`);
    await expect.poll(() => tid(hub, 'hub-link-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('open');
    await tid(hub, 'hub-ant-key').fill(TEST_NETWORK_KEY);
    await tid(hub, 'hub-ant-connect').click();
    await expect.poll(() => tid(hub, 'hub-tile').count(), { timeout: 15_000 }).toBe(3);

    // The members joined by themselves; the coach names the unknown strap's wearer.
    type Strap = { participant: { id: string; name: string; member: boolean } };
    const straps = async () => ((await coach.get(`/api/v1/rooms/${room.id}/straps`)).body as { straps: Strap[] }).straps;
    await expect.poll(async () => (await straps()).map((s) => s.participant.name).sort(), { timeout: 15_000 }).toEqual([ann.name, bea.name, `Strap ${GUEST.deviceNumber}`].sort());
    const guest = (await straps()).find((s) => !s.participant.member)!;
    expect((await coach.put(`/api/v1/rooms/${room.id}/straps/${guest.participant.id}`, { name: 'Gus Guest', age: 29 })).status).toBe(200);

    // The coach runs the class to its end (the plan runs out, then the stop); nobody has a phone open.
    expect((await coach.post(`/api/v1/rooms/${room.id}/timer`, { command: 'start' })).status).toBe(200);
    const over = async () => {
      const r = (await coach.get(`/api/v1/rooms/${room.id}/timer`)).body as { state: TimerState; serverTime: number };
      return isRunOver(r.state, r.serverTime);
    };
    await expect.poll(over, { timeout: 40_000, interval: 500 }).toBe(true);
    expect((await coach.post(`/api/v1/rooms/${room.id}/timer`, { command: 'stop' })).status).toBe(200);

    // The hub hands each strap's workout over: two in members' histories, one held for the guest.
    const outcome = (strap: number) => hub.locator(`[data-testid="hub-after-strap"][data-strap="ant:${strap}"]`);
    await tid(hub, 'hub-after-class').waitFor({ timeout: 20_000 });
    for (const s of [ANN, BEA]) await expect.poll(() => outcome(s.deviceNumber).getAttribute('data-state'), { timeout: 20_000 }).toBe('member');
    await expect.poll(() => outcome(GUEST.deviceNumber).getAttribute('data-state'), { timeout: 20_000 }).toBe('held');
    expect(await outcome(GUEST.deviceNumber).textContent()).toContain('Gus Guest');
    const link = (await outcome(GUEST.deviceNumber).getByTestId('hub-after-claim-link').getAttribute('href'))!;
    expect(link).toMatch(new RegExp(`^${server.url.replace(/[.]/g, '\\.')}/claim#[a-z0-9]{15}\\.\\d+\\.[A-Za-z0-9_-]{43}$`));
    await outcome(GUEST.deviceNumber).getByTestId('hub-after-claim-qr').locator('svg').waitFor();

    // Ann and Bea, each on a device of theirs that never saw the class: it is in their history.
    for (const m of [ann, bea]) {
      const device = await signedInDevice(browsers, server.url, m, `${m.name} laptop`);
      device.on('pageerror', (e) => errors.push(`${device.url()}: ${e.message}`));
      await syncNow(device, server.url);
      expect(await historyTitles(device)).toEqual(['Hub night']);
      await openClass(device, 'Hub night');
    }

    // Gus, later, on a laptop: the link from the hub, an account, and the class is his.
    const laptop = await newPage();
    await laptop.goto(link);
    await tid(laptop, 'claim-signup').click();
    const gus = newMember('gus');
    await tid(laptop, 'signup-name').fill('Gus Guest');
    await tid(laptop, 'signup-email').fill(gus.email);
    await tid(laptop, 'signup-password').fill(gus.password);
    await tid(laptop, 'signup-submit').click();
    await tid(laptop, 'claim-done').waitFor({ timeout: 15_000 });
    await syncNow(laptop, server.url);
    expect(await historyTitles(laptop)).toEqual(['Hub night']);
    await openClass(laptop, 'Hub night');
    const report = (await coach.get(`/api/v1/rooms/${room.id}/report`)).body as { classes: Array<{ participants: Array<{ name: string; member: boolean }> }> };
    expect(report.classes[0]!.participants.map((p) => [p.name, p.member]).sort()).toEqual([[ann.name, true], [bea.name, true], ['Gus Guest', true]].sort());
    expect(errors, 'page errors').toEqual([]);
  });
});
