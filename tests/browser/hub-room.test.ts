import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tabataPlan } from '../../core/workout';
import { openBrowser, signInInBrowser, signUpInBrowser, type TestBrowser } from '../support/browser';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';
import { fakeAnt, fakeStraps, FAKE_ANTUSB_M, installFakeAntUsb, TEST_NETWORK_KEY } from './ant-fake-usb';

// The room hub end to end in the built PWA (issue 15): a hub page opened by the coach's hub link
// carries 22 ANT+ straps from a fake USB ANT stick into the room over one socket; a display in
// another browser shows a tile per strap; a phone without navigator.bluetooth follows its strap
// and sees its own live heart rate; the coach names an unknown strap from the control page;
// removing the hub cuts it off.
const server = useTestServer();
const STRAPS = fakeStraps(22);
const browsers: TestBrowser[] = [];

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
});

async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const b = await openBrowser({ viewport });
  browsers.push(b);
  return b.context.pages()[0] ?? (await b.context.newPage());
}

const tiles = (page: Page) => page.getByTestId('tile');
const tileOf = (page: Page, name: string) => page.locator('[data-testid="tile"]', { has: page.getByTestId('tile-name').getByText(name, { exact: true }) });

describe('the room hub in the room', () => {
  it('carries 22 ANT+ straps to a display; a phone without Bluetooth follows its strap; the coach names a strap; removing the hub cuts it off', async () => {
    const coach = client(server.url);
    const m = newMember('hubcoach');
    await coach.post('/api/v1/auth/register', m);
    expect((await coach.post('/api/v1/auth/login', { email: m.email, password: m.password })).status).toBe(200);
    const created = await coach.post('/api/v1/rooms', { name: 'Gym floor', plan: tabataPlan(2) });
    const room = created.body.room as { id: string; joinCode: string };
    const hubLink = await coach.post(`/api/v1/rooms/${room.id}/hubs`, { name: 'Tablet' });
    expect(hubLink.status).toBe(201);
    const display = await coach.post(`/api/v1/rooms/${room.id}/displays`, { name: 'TV' });

    // The hub: the coach's link, a fake ANT stick with 22 straps.
    const hub = await newPage();
    const hubErrors: string[] = [];
    hub.on('pageerror', (e) => hubErrors.push(e.message));
    await installFakeAntUsb(hub, { ...FAKE_ANTUSB_M, networkKeyHex: TEST_NETWORK_KEY, straps: STRAPS, backgroundEvery: 2 });
    await hub.goto(`${server.url}${hubLink.body.linkPath as string}`);
    await expect.poll(() => hub.getByTestId('hub-link-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('open');
    // The token left the address bar (kept on the device).
    expect(new URL(hub.url()).hash).toBe('');
    await hub.getByTestId('hub-ant-key').fill(TEST_NETWORK_KEY);
    await hub.getByTestId('hub-ant-connect').click();
    await expect.poll(() => hub.getByTestId('hub-tile').count(), { timeout: 15_000 }).toBe(22);

    // A display in another browser: a tile per strap, named by its last four digits, with its heart rate.
    const screen = await newPage({ width: 1920, height: 1080 });
    await screen.goto(`${server.url}${display.body.linkPath as string}`);
    await expect.poll(() => tiles(screen).count(), { timeout: 20_000 }).toBe(22);
    for (const s of [STRAPS[0]!, STRAPS[11]!, STRAPS[21]!]) {
      await expect.poll(() => tileOf(screen, `Strap ${s.deviceNumber}`).getByTestId('tile-bpm').textContent()).toBe(String(s.bpm));
    }

    // A phone without Web Bluetooth follows Strap 4800 with the room code.
    const phone = await newPage({ width: 390, height: 844 });
    await phone.addInitScript(() => {
      delete (Navigator.prototype as unknown as { bluetooth?: unknown }).bluetooth;
    });
    await phone.goto(`${server.url}/join?code=${room.joinCode}`);
    expect(await phone.evaluate(() => 'bluetooth' in navigator)).toBe(false);
    await phone.getByTestId('join-strap-link').getByRole('link').click();
    await expect.poll(() => phone.getByTestId('strap-join-code').inputValue()).toBe(room.joinCode);
    await phone.getByTestId('strap-join-find').click();
    await expect.poll(() => phone.getByTestId('strap-choice').count()).toBe(22);
    await phone.getByTestId('strap-choice').getByText(`I am Strap ${STRAPS[0]!.deviceNumber}`, { exact: true }).click();
    await expect.poll(() => phone.getByTestId('strap-me-bpm').textContent(), { timeout: 15_000 }).toBe(String(STRAPS[0]!.bpm));
    await fakeAnt(hub, 'setBpm', STRAPS[0]!.deviceNumber, 152);
    await expect.poll(() => phone.getByTestId('strap-me-bpm').textContent(), { timeout: 15_000 }).toBe('152');
    expect(await phone.getByTestId('strap-me-zone').textContent()).toMatch(/^Zone \d · /);
    await expect.poll(() => tileOf(screen, `Strap ${STRAPS[0]!.deviceNumber}`).getByTestId('tile-bpm').textContent()).toBe('152');

    // The coach names an unknown strap from the control page: every screen shows the name.
    const control = await screen.context().newPage();
    await signInInBrowser(control, server.url, m, 'Coach laptop');
    await control.goto(`${server.url}/rooms/${room.id}`);
    await expect.poll(() => control.getByTestId('hub-row').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
    const labelled = control.locator('[data-testid="strap-row"]', { hasText: `Strap ${STRAPS[5]!.deviceNumber}` });
    const pid = await labelled.getAttribute('data-participant-id');
    const row = control.locator(`[data-testid="strap-row"][data-participant-id="${pid}"]`);
    await row.getByTestId('strap-assign').click();
    await row.getByTestId('strap-name').fill('Gail');
    await row.getByTestId('strap-age').fill('41');
    await row.getByTestId('strap-save').click();
    await expect.poll(() => tileOf(screen, 'Gail').getByTestId('tile-bpm').textContent(), { timeout: 15_000 }).toBe(String(STRAPS[5]!.bpm));
    expect(await tileOf(screen, `Strap ${STRAPS[5]!.deviceNumber}`).count()).toBe(0);

    // Removed: the hub's link ends at once, and it stops publishing.
    await control.getByTestId('hub-revoke').click();
    await expect.poll(() => hub.getByTestId('hub-link-state').getAttribute('data-end'), { timeout: 10_000 }).toMatch(/^(revoked|unauthorized)$/);
    await expect.poll(() => control.getByTestId('hub-row').count()).toBe(0);
    expect(hubErrors).toEqual([]);
  });

  it('a member registers a strap in Account, opts in to joining automatically; a strap another member holds is refused with its reason', async () => {
    const other = client(server.url);
    const o = newMember('strapowner');
    await other.post('/api/v1/auth/register', o);
    expect((await other.post('/api/v1/auth/login', { email: o.email, password: o.password })).status).toBe(200);
    expect((await other.post('/api/v1/straps', { key: 'ant:31235' })).status).toBe(201);

    const page = await newPage({ width: 412, height: 900 });
    const m = newMember('strapmember');
    await signUpInBrowser(page, server.url, m);
    await page.goto(`${server.url}/account`);
    const registry = page.getByTestId('strap-registry');
    await registry.getByTestId('strap-id').fill('31234');
    await registry.getByTestId('strap-register').click();
    await expect.poll(() => registry.getByTestId('strap-registered').getAttribute('data-key')).toBe('ant:31234');

    await registry.getByTestId('strap-id').fill('31235');
    await registry.getByTestId('strap-register').click();
    await expect.poll(() => page.getByTestId('strap-registry-error').getAttribute('data-code')).toBe('strap_taken');
    expect(await registry.getByTestId('strap-registered').count()).toBe(1);

    expect(await registry.getByTestId('strap-auto-join').isChecked()).toBe(false);
    await registry.getByTestId('strap-auto-join').check();
    await registry.getByLabel('Age').fill('44');
    await registry.getByTestId('strap-prefs-save').click();
    const own = client(server.url);
    await own.post('/api/v1/auth/login', { email: m.email, password: m.password });
    await expect.poll(async () => (await own.get('/api/v1/straps')).body).toMatchObject({ straps: [{ key: 'ant:31234' }], autoJoin: true, profile: { age: 44 } });
  });
});
