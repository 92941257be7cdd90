import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tabataPlan } from '../../core/workout';
import { layoutProblems, seriousViolations } from '../support/a11y';
import { openBrowser, signInInBrowser, type TestBrowser } from '../support/browser';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';
import { seedInPage, seedSession } from './history-seed';

// Issue 13: every screen at 360×740, 390×844, 820×1180 and 1920×1080, light and dark, signed in
// and signed out: no sideways scrolling and no number or label cut or off-screen
// (tests/support/a11y.ts layoutProblems); axe finds nothing serious or critical (at the phone
// size, in both schemes). The live workout screen in every phase has its own test
// (workout-live-layout.test.ts), the class display its own (class-display-layout.test.ts).
const server = useTestServer();
const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
  { width: 820, height: 1180 },
  { width: 1920, height: 1080 },
] as const;
const AXE_AT = 390;
const SESSION_ID = 'sesslayout00001';

let member: ReturnType<typeof newMember>;
let roomId = '';

beforeAll(async () => {
  member = newMember('layout');
  const c = client(server.url);
  expect((await c.post('/api/v1/auth/register', member)).status).toBe(202);
  expect((await c.post('/api/v1/auth/login', { email: member.email, password: member.password })).status).toBe(200);
  const created = await c.post('/api/v1/rooms', { name: 'Thursday intervals with a long name', plan: tabataPlan(2) });
  expect(created.status).toBe(201);
  roomId = created.body.room.id;
});

const browsers: TestBrowser[] = [];
afterAll(async () => {
  for (const b of browsers) await b.close();
});

/** Waits until the screen has its heading and the DOM has been still for 300 ms (data loaded and rendered). */
async function settled(page: Page) {
  await page
    .locator('h1')
    .first()
    .waitFor({ timeout: 30_000 })
    .catch(() => {
      throw new Error(`${new URL(page.url()).pathname} shows no heading`);
    });
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        let timer = setTimeout(done, 300);
        const observer = new MutationObserver(() => {
          clearTimeout(timer);
          timer = setTimeout(done, 300);
        });
        function done() {
          observer.disconnect();
          resolve();
        }
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      }),
  );
}

const SIGNED_IN = () => ['/', '/workout', '/history', `/history/${SESSION_ID}`, '/settings', '/account', '/rooms', `/rooms/${roomId}`, '/strap', '/spotify', '/join'];
const SIGNED_OUT = ['/', '/signin', '/signup', '/forgot-password', '/reset-password', '/verify-email', '/display', '/join', '/claim'];

async function check(page: Page, paths: readonly string[], width: number, scheme: string): Promise<string[]> {
  const problems: string[] = [];
  for (const p of paths) {
    await page.goto(`${server.url}${p}`);
    await settled(page);
    for (const line of await layoutProblems(page)) problems.push(`${p} at ${width}px ${scheme}: ${line}`);
    if (width === AXE_AT) for (const line of await seriousViolations(page)) problems.push(`${p} at ${width}px ${scheme}: axe ${line}`);
  }
  return problems;
}

for (const scheme of ['light', 'dark'] as const) {
  describe(`every screen, ${scheme}`, () => {
    let out: Page;
    let inside: Page;
    beforeAll(async () => {
      const [b1, b2] = await Promise.all([openBrowser(), openBrowser()]);
      browsers.push(b1, b2);
      out = b1.context.pages()[0] ?? (await b1.context.newPage());
      inside = b2.context.pages()[0] ?? (await b2.context.newPage());
      for (const page of [out, inside]) await page.emulateMedia({ colorScheme: scheme });
      await signInInBrowser(inside, server.url, member, `Layout phone ${scheme}`);
      await inside.goto(`${server.url}/history`);
      await settled(inside);
      await seedInPage(inside, [seedSession({ id: SESSION_ID, title: 'Tabata with a rather long title for a phone', startedAt: Date.UTC(2026, 10, 30, 7, 0) })]);
    });
    for (const size of VIEWPORTS) {
      it(`signed out at ${size.width}×${size.height}`, { timeout: 240_000 }, async () => {
        await out.setViewportSize(size);
        expect(await check(out, SIGNED_OUT, size.width, scheme)).toEqual([]);
      });
      it(`signed in at ${size.width}×${size.height}`, { timeout: 240_000 }, async () => {
        await inside.setViewportSize(size);
        expect(await check(inside, SIGNED_IN(), size.width, scheme)).toEqual([]);
      });
    }
  });
}
