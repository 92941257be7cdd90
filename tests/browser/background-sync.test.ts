import type { CDPSession, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { openBrowser, signInInBrowser, untilServiceWorkerControls, type TestBrowser } from '../support/browser';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

// Background Sync (web/src/lib/sync/background-sync.ts): a workout recorded offline reaches
// the server after the app's tab was closed. The page registers the one-off sync 'hrm-sync';
// with the tab gone and the network back, the service worker gets the `sync` event and runs
// the sync engine on its own.
//
// What Chromium does here (watched through the CDP BackgroundService domain, and read in
// Chromium's content/browser/background_sync/background_sync_manager.cc): Playwright's offline
// mode is DevTools network emulation, which reaches the service worker too, and DevTools'
// offline emulation of a worker switches Background Sync off for it
// (EmulateServiceWorkerOffline). So while the context is offline the registration waits, and a
// `ServiceWorker.dispatchSyncEvent` is refused (CanEmulateSyncEvent; the worker never sees it,
// so a failing run cannot be staged this way: web/src/lib/sync/background-sync.test.ts covers
// the rejection). When the emulation ends Chromium fires the waiting registration by itself
// ("Dispatched sync event", then "Sync completed: succeeded"). The test still dispatches the
// event through CDP once the network is back, as DevTools' Application panel does, so that the
// worker runs whether or not the browser fired first; the workout must then be on the server
// exactly once however many runs there were.
const server = useTestServer();
let browser: TestBrowser | undefined;

afterAll(async () => {
  await browser?.close();
});

const tid = (page: Page, id: string) => page.getByTestId(id);

async function signIn(page: Page, m: { email: string; password: string }) {
  await signInInBrowser(page, server.url, m, 'Phone A');
  // The service worker controls the page, so the app keeps working offline.
  await untilServiceWorkerControls(page);
}

/** The sync tags the browser holds for the app's service worker registration. */
const syncTags = (page: Page) =>
  page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    const sync = (registration as ServiceWorkerRegistration & { sync?: { getTags(): Promise<string[]> } } | undefined)?.sync;
    return sync ? sync.getTags() : null;
  });

/** The id DevTools knows the app's registration by (ServiceWorker.workerRegistrationUpdated). */
async function registrationId(cdp: CDPSession, scopeURL: string): Promise<string> {
  const found = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((r) => r.scopeURL === scopeURL && !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  return found;
}

type PulledChange =
  | { kind: 'session'; record: { kind: string; id: string; title?: { value: string }; summary?: { readingCount: number } | null } }
  | { kind: 'chunk'; sessionId: string; readingCount: number };

/** Everything the server holds for the member, read as a fresh device would pull it. */
async function serverCopy(api: ReturnType<typeof client>) {
  const r = await api.get<{ changes: PulledChange[] }>('/api/v1/sync/pull?protocol=1&deviceId=server-probe&cursor=&limit=1000');
  expect(r.status).toBe(200);
  return {
    sessions: r.body.changes.flatMap((c) => (c.kind === 'session' ? [c.record] : [])),
    chunks: r.body.changes.flatMap((c) => (c.kind === 'chunk' ? [c] : [])),
  };
}

describe('background sync', () => {
  it('pushes a workout recorded offline after the app’s tab was closed', async () => {
    const m = newMember('bgsync');
    const probe = client(server.url);
    expect((await probe.post('/api/v1/auth/register', m)).status).toBe(202);
    expect((await probe.post('/api/v1/auth/login', { email: m.email, password: m.password, deviceName: 'probe' })).status).toBe(200);

    browser = await openBrowser();
    const { context } = browser;
    const page = context.pages()[0] ?? (await context.newPage());
    await signIn(page, m);
    expect(await syncTags(page)).toEqual([]);

    // A second page, about:blank, keeps the browser and its worker alive after the app's tab
    // is closed; DevTools talks to the worker through it.
    const blank = await context.newPage();
    const cdp = await context.newCDPSession(blank);
    const registered: string[] = [];
    cdp.on('BackgroundService.backgroundServiceEventReceived', ({ backgroundServiceEvent: e }) => {
      if (e.eventName === 'Registered sync') registered.push(e.instanceId);
    });
    await cdp.send('BackgroundService.startObserving', { service: 'backgroundSync' });
    await cdp.send('BackgroundService.setRecording', { shouldRecord: true, service: 'backgroundSync' });
    const id = await registrationId(cdp, `${server.url}/`);

    // Offline: a short interval workout with the simulated strap.
    await context.setOffline(true);
    await tid(page, 'workout-card').click();
    await tid(page, 'strap-simulated').click();
    await expect.poll(() => tid(page, 'strap-status').textContent(), { timeout: 10_000 }).toMatch(/bpm/);
    await tid(page, 'plan-new').click();
    await tid(page, 'plan-name').fill('Background push');
    await tid(page, 'plan-prepare').fill('1');
    await tid(page, 'block-0-work').fill('4');
    await tid(page, 'block-0-rest').fill('2');
    await tid(page, 'block-0-rounds').fill('1');
    await tid(page, 'plan-start').click();
    await tid(page, 'summary').waitFor({ timeout: 30_000 });

    // The finished workout made the page register the sync, and the browser holds it.
    await expect.poll(() => syncTags(page), { timeout: 10_000 }).toEqual(['hrm-sync']);
    await expect.poll(() => registered).toContain('hrm-sync');

    // The member closes the app while still offline: nothing has reached the server.
    await page.close();
    expect((await serverCopy(probe)).sessions).toEqual([]);

    // The network is back: the browser wakes the worker for its sync.
    await context.setOffline(false);
    await cdp.send('ServiceWorker.dispatchSyncEvent', { origin: server.url, registrationId: id, tag: 'hrm-sync', lastChance: false });

    // The worker pushed the workout: once, with every reading.
    await expect.poll(async () => (await serverCopy(probe)).sessions.length, { timeout: 20_000 }).toBe(1);
    const { sessions, chunks } = await serverCopy(probe);
    expect(sessions).toHaveLength(1);
    const [session] = sessions;
    expect(session).toMatchObject({ kind: 'live', title: { value: 'Background push' } });
    const readingCount = session!.summary!.readingCount;
    expect(readingCount).toBeGreaterThan(0);
    expect(chunks.every((c) => c.sessionId === session!.id)).toBe(true);
    expect(chunks.reduce((sum, c) => sum + c.readingCount, 0)).toBe(readingCount);
  });
});
