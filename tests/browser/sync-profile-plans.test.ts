// Two devices of one member (two Chromium profiles) and the real PWA, sync server and
// PocketBase: the profile, a custom plan and the personal settings (units, default plan) saved
// on A are on B right after B signs in (docs/sync-protocol.md §8), read from B's own screens.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { client, newMember } from '../support/http-client';
import type { TestBrowser } from '../support/browser';
import { signedInDevice, syncNow as syncNowIn } from '../support/devices';
import { useTestServer } from '../support/test-server';

const server = useTestServer();
const browsers: TestBrowser[] = [];

afterAll(async () => {
  for (const b of browsers) await b.close();
});

const tid = (page: Page, id: string) => page.getByTestId(id);

const device = (m: { email: string; password: string }, name: string) => signedInDevice(browsers, server.url, m, name);
const syncNow = (page: Page) => syncNowIn(page, server.url);

describe('profile and plans between two devices', () => {
  it('a profile, a custom plan, units and a default plan saved on A are on B after it signs in', async () => {
    const m = newMember('profdev');
    expect((await client(server.url).post('/api/v1/auth/register', m)).status).toBe(202);
    const a = await device(m, 'Phone A');

    await a.goto(`${server.url}/settings`);
    await tid(a, 'profile-form').waitFor();
    await tid(a, 'profile-age').fill('41');
    // The predicted maxima read as sentences: "age (179 bpm)", never "age(179 bpm)".
    await expect.poll(async () => (await a.locator('label', { has: tid(a, 'profile-maxhr-tanaka') }).textContent())?.trim()).toBe('Tanaka: 208 − 0.7 × age (179 bpm)');
    expect((await a.locator('label', { has: tid(a, 'profile-maxhr-fox') }).textContent())?.trim()).toBe('Fox: 220 − age (179 bpm)');
    await tid(a, 'profile-sex').selectOption('male');
    await tid(a, 'profile-weight').fill('80');
    await tid(a, 'profile-resting').fill('52');
    await tid(a, 'profile-maxhr-measured').check();
    await tid(a, 'profile-maxhr').fill('184');
    await tid(a, 'profile-save').click();
    await tid(a, 'profile-saved').waitFor();

    await a.goto(`${server.url}/workout`);
    await tid(a, 'plan-new').click();
    await tid(a, 'plan-name').fill('Coach Tabata');
    await tid(a, 'plan-save').click();
    await tid(a, 'plan-saved').waitFor();

    // Pounds and the new plan as the default: settings of the person, not of the device.
    await a.goto(`${server.url}/settings`);
    await expect.poll(() => tid(a, 'profile-weight').inputValue()).toBe('80');
    await tid(a, 'units-imperial').check();
    expect(await tid(a, 'profile-weight').inputValue()).toBe('176.4');
    expect(await tid(a, 'profile-weight-unit').textContent()).toBe('lb');
    await expect.poll(() => tid(a, 'prefs-saved').textContent()).toMatch(/^Units saved/);
    await tid(a, 'default-plan').selectOption({ label: 'Coach Tabata' });
    await expect.poll(() => tid(a, 'prefs-saved').textContent()).toMatch(/^Default plan saved/);
    expect(await tid(a, 'device-only').textContent()).toBe('This device only');
    await syncNow(a);

    const b = await device(m, 'Tablet B');
    await syncNow(b);
    await b.goto(`${server.url}/settings`);
    await expect.poll(() => tid(b, 'profile-age').inputValue(), { timeout: 10_000 }).toBe('41');
    expect(await tid(b, 'units-imperial').isChecked()).toBe(true);
    expect(await tid(b, 'profile-weight').inputValue()).toBe('176.4');
    expect(await tid(b, 'profile-weight-unit').textContent()).toBe('lb');
    expect(await tid(b, 'default-plan').evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent)).toBe('Coach Tabata');
    expect(await tid(b, 'profile-resting').inputValue()).toBe('52');
    expect(await tid(b, 'profile-maxhr').inputValue()).toBe('184');
    expect(await tid(b, 'profile-maxhr-measured').isChecked()).toBe(true);
    await b.goto(`${server.url}/workout`);
    await expect.poll(() => tid(b, 'saved-plans').textContent(), { timeout: 10_000 }).toContain('Coach Tabata');
    // The default plan is offered first, ready to start.
    expect(await tid(b, 'default-plan-name').textContent()).toBe('Coach Tabata');
    // Pounds were only the display: back in kilograms the profile still says exactly 80 kg.
    await b.goto(`${server.url}/settings`);
    await expect.poll(() => tid(b, 'profile-weight').inputValue()).toBe('176.4');
    await tid(b, 'units-metric').check();
    expect(await tid(b, 'profile-weight').inputValue()).toBe('80');
  });
});
