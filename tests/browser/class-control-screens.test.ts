import type { Page, WebSocketRoute } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tabataPlan } from '../../core/workout';
import { fillRoom, type SimulatedClass } from '../../scripts/simulate-class';
import { openBrowser, signUpInBrowser, type TestBrowser } from '../support/browser';
import { newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

// The coach's control page and the room's screens (issue 14): each screen's state is the server's
// view of its live link (live, reconnecting, removed), for a screen opened by link and one paired
// by code; the tile order chosen on the control page reorders the tiles on the screens at once.
const server = useTestServer();
const browsers: TestBrowser[] = [];
let crowd: SimulatedClass | undefined;

afterAll(async () => {
  await crowd?.stop({ leave: false });
  await Promise.all(browsers.map((b) => b.close()));
});

const tid = (page: Page, id: string) => page.getByTestId(id);

async function newPage(viewport?: { width: number; height: number }) {
  const b = await openBrowser(viewport ? { viewport } : {});
  browsers.push(b);
  return { b, page: await b.context.newPage() };
}

const rowState = (control: Page, displayId: string) => control.locator(`[data-testid="display-row"][data-display-id="${displayId}"]`).getAttribute('data-state');

describe('screens on the control page', () => {
  it('shows each screen’s true state and sets the order of its tiles', async () => {
    const { page: control } = await newPage({ width: 390, height: 844 });
    await signUpInBrowser(control, server.url, newMember('coach'));
    const roomId = await control.evaluate(async (plan) => {
      const r = await fetch('/api/v1/rooms', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Screens', plan }) });
      return ((await r.json()) as { room: { id: string } }).room.id;
    }, tabataPlan(4));
    await control.goto(`${server.url}/rooms/${roomId}`);
    await expect.poll(() => tid(control, 'room-control').getAttribute('data-link')).toBe('open');
    const joinCode = ((await tid(control, 'control-join-code').textContent()) ?? '').replace('-', '');

    // Two screens: one to open by link, one to pair by code. Both wait at first.
    await tid(control, 'display-add').click();
    const link = await tid(control, 'display-link').inputValue();
    await tid(control, 'display-add').click();
    await expect.poll(() => tid(control, 'display-row').count()).toBe(2);
    const pairingCode = (await tid(control, 'display-pairing-code').textContent()) ?? '';
    const [linkId, codeId] = await tid(control, 'display-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-display-id')!));
    expect(await rowState(control, linkId!)).toBe('waiting');
    expect(await rowState(control, codeId!)).toBe('waiting');

    // The link-opened screen, its live link routed so the test can cut it.
    const { b: linkBrowser, page: byLink } = await newPage({ width: 1280, height: 720 });
    let cut = false;
    // Both ends of each routed socket: the page's and the server's (a route closes one side only).
    let sockets: Array<{ page: WebSocketRoute; server: WebSocketRoute }> = [];
    await linkBrowser.context.routeWebSocket(/\/live$/, (ws) => {
      if (cut) return void ws.close({ code: 4000, reason: 'network down' });
      sockets.push({ page: ws, server: ws.connectToServer() });
    });
    await byLink.goto(link);
    await expect.poll(() => tid(byLink, 'room-display').getAttribute('data-link'), { timeout: 15_000 }).toBe('open');
    await expect.poll(() => rowState(control, linkId!)).toBe('live');
    expect(await tid(control, 'display-state').first().textContent()).toContain('live');

    // The code-paired screen.
    const { page: byCode } = await newPage({ width: 1280, height: 720 });
    await byCode.goto(`${server.url}/display`);
    await tid(byCode, 'pair-code').fill(pairingCode);
    await tid(byCode, 'pair-submit').click();
    await expect.poll(() => tid(byCode, 'room-display').getAttribute('data-link'), { timeout: 15_000 }).toBe('open');
    await expect.poll(() => rowState(control, codeId!)).toBe('live');

    // The tile order, chosen on the control page, reorders both screens.
    crowd = await fillRoom({ url: server.url, code: joinCode, count: 5, seed: 7, reading: (i, bpm) => ({ bpm, points: [20, 50, 10, 40, 30][i]! }) });
    const points = (p: Page) => async () => (await tid(p, 'tile-points').allTextContents()).map((t) => parseInt(t, 10));
    await expect.poll(points(byLink), { timeout: 15_000 }).toHaveLength(5);
    expect(await tid(control, 'control-tile-sort').inputValue()).toBe('name');
    await tid(control, 'control-tile-sort').selectOption('points');
    await expect.poll(points(byLink)).toEqual([50, 40, 30, 20, 10]);
    await expect.poll(points(byCode)).toEqual([50, 40, 30, 20, 10]);
    expect(await tid(byLink, 'room-display').getAttribute('data-sort')).toBe('points');
    await tid(control, 'control-tile-sort').selectOption('name');
    await expect.poll(() => tid(byCode, 'tile-name').allTextContents()).toEqual(['Sim 1', 'Sim 2', 'Sim 3', 'Sim 4', 'Sim 5']);

    // The link-opened screen loses its network: reconnecting on the control page, then live again.
    // The server end is closed before the browser goes offline: routed sockets run inside the
    // page, and an offline page never sends the close frame, leaving the server a socket that
    // only ages out (DISPLAY_LIVE_FRESH_MS) instead of closing.
    cut = true;
    for (const ws of sockets) await Promise.all([ws.page.close({ code: 4000, reason: 'network down' }), ws.server.close({ code: 4000, reason: 'network down' })]);
    sockets = [];
    await linkBrowser.context.setOffline(true);
    await expect.poll(() => rowState(control, linkId!)).toBe('reconnecting');
    expect(await rowState(control, codeId!)).toBe('live');
    cut = false;
    await linkBrowser.context.setOffline(false);
    await byLink.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => rowState(control, linkId!), { timeout: 30_000 }).toBe('live');

    // Removing the code-paired screen: revoked on the control page, the screen asks for a new code.
    await control.locator(`[data-testid="display-row"][data-display-id="${codeId}"] [data-testid="display-revoke"]`).click();
    await tid(control, 'control-confirm-confirm').click();
    await expect.poll(() => rowState(control, codeId!)).toBe('revoked');
    await tid(byCode, 'pair-notice').waitFor();
    expect(await rowState(control, linkId!)).toBe('live');
  });
});
