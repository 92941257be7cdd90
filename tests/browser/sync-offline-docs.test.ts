// Issue 12: two devices of one member edit the profile while both are offline, each a different
// field, and one deletes a custom plan the other then renames. Back online and synced, both
// devices show the profile with both edits (per field, docs/sync-protocol.md §8) and the plan
// stays deleted on both. The built PWA (working offline under its service worker), the real sync
// server and PocketBase; every value is read from the screens.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { client, newMember } from '../support/http-client';
import type { TestBrowser } from '../support/browser';
import { saveProfile, signedInDevice, syncNow as syncNowIn } from '../support/devices';
import { useTestServer } from '../support/test-server';

const server = useTestServer();
const browsers: TestBrowser[] = [];

afterAll(async () => {
  for (const b of browsers) await b.close();
});

const tid = (page: Page, id: string) => page.getByTestId(id);
const device = (m: { email: string; password: string }, name: string) => signedInDevice(browsers, server.url, m, name);
const syncNow = (page: Page) => syncNowIn(page, server.url);

async function editProfile(page: Page, field: string, value: string) {
  await page.goto(`${server.url}/settings`);
  await expect.poll(() => tid(page, 'profile-age').inputValue(), { timeout: 10_000 }).toBe('41');
  await tid(page, field).fill(value);
  await tid(page, 'profile-save').click();
  await tid(page, 'profile-saved').waitFor();
}

async function profileOn(page: Page) {
  await page.goto(`${server.url}/settings`);
  await tid(page, 'profile-form').waitFor();
  await expect.poll(() => tid(page, 'profile-age').inputValue(), { timeout: 10_000 }).toBe('41');
  return {
    weight: await tid(page, 'profile-weight').inputValue(),
    resting: await tid(page, 'profile-resting').inputValue(),
    maxHr: await tid(page, 'profile-maxhr').inputValue(),
  };
}

describe('offline edits on two devices', () => {
  it('profile edits merge per field; a plan deleted on one device stays deleted after a rename on the other', async () => {
    const m = newMember('offdocs');
    expect((await client(server.url).post('/api/v1/auth/register', m)).status).toBe(202);
    const a = await device(m, 'Phone A');

    await saveProfile(a, server.url, { age: '41', sex: 'male', weight: '80', resting: '52', maxHr: '184' });
    await a.goto(`${server.url}/workout`);
    await tid(a, 'plan-new').click();
    await tid(a, 'plan-name').fill('Hills');
    await tid(a, 'plan-save').click();
    await tid(a, 'plan-saved').waitFor();
    await syncNow(a);

    const b = await device(m, 'Tablet B');
    await syncNow(b);
    await b.goto(`${server.url}/workout`);
    await expect.poll(() => tid(b, 'saved-plans').textContent(), { timeout: 10_000 }).toContain('Hills');

    // Both offline. A: a new weight. B: a new resting HR, and the plan deleted. Then A renames it.
    await a.context().setOffline(true);
    await b.context().setOffline(true);
    for (const page of [a, b]) expect(await page.evaluate(() => fetch('/api/v1/me').then(() => 'up', () => 'down'))).toBe('down');
    await editProfile(a, 'profile-weight', '78');
    await editProfile(b, 'profile-resting', '49');
    await b.goto(`${server.url}/workout`);
    await tid(b, 'saved-0-delete').click();
    await tid(b, 'saved-empty').waitFor();
    await a.goto(`${server.url}/workout`);
    await tid(a, 'saved-0-edit').click();
    await tid(a, 'plan-name').fill('Hills, longer');
    await tid(a, 'plan-save').click();
    await tid(a, 'plan-saved').waitFor();

    // Back online: B syncs, then A, then B again.
    await a.context().setOffline(false);
    await b.context().setOffline(false);
    await syncNow(b);
    await syncNow(a);
    await syncNow(b);

    const merged = { weight: '78', resting: '49', maxHr: '184' };
    expect(await profileOn(a)).toEqual(merged);
    expect(await profileOn(b)).toEqual(merged);
    for (const page of [a, b]) {
      await page.goto(`${server.url}/workout`);
      await tid(page, 'saved-empty').waitFor();
      expect(await tid(page, 'saved-plans').count()).toBe(0);
    }
  });
});
