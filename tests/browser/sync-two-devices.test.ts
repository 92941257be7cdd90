import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { client, newMember } from '../support/http-client';
import type { TestBrowser } from '../support/browser';
import { signedInDevice, syncNow as syncNowIn } from '../support/devices';
import { useTestServer } from '../support/test-server';

// Two devices of one member (two Chromium profiles) and the real PWA, sync server and
// PocketBase: A records offline with the simulated strap and syncs when back online; B gets
// it with the same summary; a rename on B reaches A; a delete on A reaches B.
const server = useTestServer();
const browsers: TestBrowser[] = [];

afterAll(async () => {
  for (const b of browsers) await b.close();
});

const tid = (page: Page, id: string) => page.getByTestId(id);

const device = (m: { email: string; password: string }, name: string) => signedInDevice(browsers, server.url, m, name);
const syncNow = (page: Page) => syncNowIn(page, server.url);

/** History items as {title, text}, read after a fresh load of the list. */
async function historyOf(page: Page) {
  await page.goto(`${server.url}/history`);
  await tid(page, 'history-count').filter({ hasText: /workout/ }).waitFor();
  return tid(page, 'history-item').evaluateAll((items) =>
    items.map((el) => ({ title: el.querySelector('[data-testid="history-item-title"]')?.textContent?.trim(), text: el.textContent?.replace(/\s+/g, ' ').trim() })),
  );
}

describe('sync between two devices', () => {
  it('records offline on A, shows on B with the same summary, renames on B, deletes on A', async () => {
    const m = newMember('twodev');
    expect((await client(server.url).post('/api/v1/auth/register', m)).status).toBe(202);
    const a = await device(m, 'Phone A');
    const b = await device(m, 'Tablet B');

    // A: a short interval workout with the simulated strap, offline.
    await a.context().setOffline(true);
    await tid(a, 'workout-card').click();
    await tid(a, 'strap-simulated').click();
    await expect.poll(() => tid(a, 'strap-status').textContent(), { timeout: 10_000 }).toMatch(/bpm/);
    await tid(a, 'plan-new').click();
    await tid(a, 'plan-name').fill('Sync short');
    await tid(a, 'plan-prepare').fill('1');
    await tid(a, 'block-0-work').fill('4');
    await tid(a, 'block-0-rest').fill('2');
    await tid(a, 'block-0-rounds').fill('1');
    await tid(a, 'plan-start').click();
    await tid(a, 'summary').waitFor({ timeout: 30_000 });
    const avg = await tid(a, 'summary-avg').textContent();

    // Back online: A syncs; its history item is the reference.
    await a.context().setOffline(false);
    await syncNow(a);
    const onA = await historyOf(a);
    expect(onA).toHaveLength(1);
    expect(onA[0]!.title).toBe('Sync short');
    expect(onA[0]!.text).toContain(`avg ${avg!.replace(' bpm', '')} bpm`);

    // B pulls it: same title, duration and average.
    await syncNow(b);
    expect(await historyOf(b)).toEqual(onA);

    // B renames it; A sees the new name.
    await tid(b, 'history-item').first().click();
    await tid(b, 'session-title-input').fill('Renamed on B');
    await tid(b, 'session-save').click();
    await expect.poll(() => tid(b, 'session-save-status').textContent()).toBe('Saved.');
    await syncNow(b);
    await syncNow(a);
    expect((await historyOf(a))[0]!.title).toBe('Renamed on B');

    // A deletes it; B loses it.
    await tid(a, 'history-item').first().click();
    await tid(a, 'session-delete').click();
    await tid(a, 'delete-dialog-confirm').click();
    await a.waitForURL((u) => u.pathname === '/history');
    await syncNow(a);
    await syncNow(b);
    await b.goto(`${server.url}/history`);
    await tid(b, 'history-empty').waitFor();
  });
});
