// Issue 12, guests: on a shared gym tablet a guest sets a profile, saves a custom plan and
// records a workout with it (simulated strap), then creates an account there, saying the device
// is shared. The app offers the workout, the profile and the plan to the new account together;
// once added and synced, the member's phone has all three. Signing out of the tablet leaves none
// of them behind: no profile, no plan, no workout, no document, read from the screens and from
// the app's IndexedDB. The built PWA, the real sync server and PocketBase.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { newMember } from '../support/http-client';
import { openBrowser, type TestBrowser } from '../support/browser';
import { saveProfile, signedInDevice, syncNow as syncNowIn } from '../support/devices';
import { useTestServer } from '../support/test-server';
import { DB_NAME } from '../../web/src/lib/storage/schema';

const server = useTestServer();
const browsers: TestBrowser[] = [];

afterAll(async () => {
  for (const b of browsers) await b.close();
});

const tid = (page: Page, id: string) => page.getByTestId(id);
const syncNow = (page: Page) => syncNowIn(page, server.url);

/** The person's settings (synced); the device's own (a paired strap…) may stay on a shared device. */
const PERSON_SETTINGS = ['profile', 'cues', 'units', 'defaultPlan'];

/** Rows per object store of the app's database (the stores the member's data lives in), and the settings' keys. */
function rowCounts(page: Page): Promise<{ counts: Record<string, number>; settings: string[] }> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const out: Record<string, number> = {};
    for (const store of ['sessions', 'chunks', 'docs', 'plans', 'outbox']) {
      out[store] = await new Promise<number>((resolve, reject) => {
        const req = db.transaction(store).objectStore(store).count();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    const settings = await new Promise<string[]>((resolve, reject) => {
      const req = db.transaction('settings').objectStore('settings').getAllKeys();
      req.onsuccess = () => resolve(req.result.map(String));
      req.onerror = () => reject(req.error);
    });
    db.close();
    return { counts: out, settings };
  }, DB_NAME);
}

describe('a guest’s data on a shared device', () => {
  it('profile, plan and workout are offered to the new account together; sign-out leaves none of them', async () => {
    const b = await openBrowser({ viewport: { width: 800, height: 1000 } });
    browsers.push(b);
    const tablet = b.context.pages()[0] ?? (await b.context.newPage());

    // The guest's profile.
    await saveProfile(tablet, server.url, { age: '29', sex: 'female', weight: '58', resting: '55', maxHr: '191' });

    // The guest's plan, saved, then run once: 1 s prepare, 3 s work.
    await tablet.goto(`${server.url}/`);
    await tid(tablet, 'workout-card').click();
    await tid(tablet, 'strap-simulated').click();
    await expect.poll(() => tid(tablet, 'strap-status').textContent(), { timeout: 10_000 }).toMatch(/bpm/);
    await tid(tablet, 'plan-new').click();
    await tid(tablet, 'plan-name').fill('Guest ladder');
    await tid(tablet, 'plan-prepare').fill('1');
    await tid(tablet, 'block-0-work').fill('3');
    await tid(tablet, 'block-0-rest').fill('0');
    await tid(tablet, 'block-0-rounds').fill('1');
    await tid(tablet, 'plan-save').click();
    await tid(tablet, 'plan-saved').waitFor();
    await tid(tablet, 'plan-start').click();
    await tid(tablet, 'workout-live').waitFor();
    await tid(tablet, 'summary').waitFor({ timeout: 30_000 });

    // A new account on the shared tablet: the three are offered together, then added.
    const m = newMember('guestdata');
    await tablet.goto(`${server.url}/signup`);
    await tid(tablet, 'signup-name').fill(m.name);
    await tid(tablet, 'signup-email').fill(m.email);
    await tid(tablet, 'signup-password').fill(m.password);
    await tid(tablet, 'signup-shared').check();
    await tid(tablet, 'signup-submit').click();
    await tid(tablet, 'home-greeting').waitFor();
    await tid(tablet, 'guest-prompt').waitFor({ timeout: 10_000 });
    const offer = (await tid(tablet, 'guest-prompt').textContent()) ?? '';
    expect(offer).toMatch(/^\s*Add 1 workout, your profile(, your settings)? and 1 plan made on this device to your account\?/);
    await tid(tablet, 'guest-add').click();
    await tid(tablet, 'guest-prompt').waitFor({ state: 'detached' });
    await syncNow(tablet);

    // The member's phone has the profile, the plan and the workout.
    const phone = await signedInDevice(browsers, server.url, m, 'Phone');
    await syncNow(phone);
    await phone.goto(`${server.url}/settings`);
    await expect.poll(() => tid(phone, 'profile-age').inputValue(), { timeout: 10_000 }).toBe('29');
    expect(await tid(phone, 'profile-maxhr').inputValue()).toBe('191');
    expect(await tid(phone, 'profile-weight').inputValue()).toBe('58');
    await phone.goto(`${server.url}/workout`);
    await expect.poll(() => tid(phone, 'saved-plans').textContent(), { timeout: 10_000 }).toContain('Guest ladder');
    await phone.goto(`${server.url}/history`);
    await expect.poll(() => tid(phone, 'history-item').count(), { timeout: 10_000 }).toBe(1);
    expect(await tid(phone, 'history-item').textContent()).toContain('Guest ladder');

    // Sign-out on the shared tablet: nothing of theirs stays.
    const before = await rowCounts(tablet);
    expect(before.counts.sessions).toBe(1);
    expect(before.counts.docs).toBeGreaterThanOrEqual(2);
    expect(before.counts.plans).toBe(1);
    expect(before.settings).toContain('profile');
    await tablet.goto(`${server.url}/account`);
    await tid(tablet, 'account-signout').click();
    await tablet.waitForURL((u) => !u.pathname.startsWith('/account'));
    await expect.poll(async () => (await rowCounts(tablet)).counts).toEqual({ sessions: 0, chunks: 0, docs: 0, plans: 0, outbox: 0 });
    expect((await rowCounts(tablet)).settings.filter((k) => PERSON_SETTINGS.includes(k))).toEqual([]);
    await tablet.goto(`${server.url}/settings`);
    await tid(tablet, 'profile-form').waitFor();
    expect(await tid(tablet, 'profile-age').inputValue()).toBe('');
    expect(await tid(tablet, 'profile-maxhr-measured').isChecked()).toBe(false);
    await tablet.goto(`${server.url}/workout`);
    await tid(tablet, 'plan-new').waitFor();
    expect(await tid(tablet, 'saved-plans').count()).toBe(0);
    await tablet.goto(`${server.url}/history`);
    await tid(tablet, 'history-empty').waitFor();
  });
});
