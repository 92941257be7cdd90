import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { IntervalPlan } from '../../core/workout';
import { openBrowser, signInInBrowser, type TestBrowser } from '../support/browser';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

// Issue 14, "After class": a guest gets their result on their phone with a link (and QR code)
// that adds it to an account made later, on any device, once; the coach's report then counts it
// as a member's.
const PLAN: IntervalPlan = { v: 1, mode: 'intervals', name: 'Tiny', prepareMs: 2_000, blocks: [{ name: 'Main', workMs: 5_000, restMs: 3_000, rounds: 2 }] };

const server = useTestServer();
const browsers: TestBrowser[] = [];
const errors: string[] = [];
afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
});
const tid = (page: Page, id: string) => page.getByTestId(id);

async function newPage() {
  const b = await openBrowser();
  browsers.push(b);
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  return page;
}

describe('a guest’s class result', () => {
  it('shows on the phone with a link that adds it to an account made later, once', async () => {
    const coach = client(server.url);
    const cm = newMember('coach');
    await coach.post('/api/v1/auth/register', cm);
    expect((await coach.post('/api/v1/auth/login', { email: cm.email, password: cm.password })).status).toBe(200);
    const { room } = (await coach.post('/api/v1/rooms', { name: 'Guest night', plan: PLAN })).body as { room: { id: string; joinCode: string } };

    // The guest joins with the simulated strap; the coach runs the class to its stop.
    const phone = await newPage();
    await phone.goto(`${server.url}/join?code=${room.joinCode}`);
    await tid(phone, 'join-name').fill('Gus Guest');
    await tid(phone, 'join-age').fill('29');
    await tid(phone, 'join-submit').click();
    await expect.poll(() => tid(phone, 'participant-live').getAttribute('data-link'), { timeout: 10_000 }).toBe('open');
    await tid(phone, 'strap-simulate').click();
    await expect.poll(() => tid(phone, 'my-bpm').textContent(), { timeout: 10_000 }).toMatch(/^\d{2,3}$/);
    const timer = (cmd: string) => coach.post(`/api/v1/rooms/${room.id}/timer`, { command: cmd });
    expect((await timer('start')).status).toBe(200);
    await expect.poll(() => tid(phone, 'my-points').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => tid(phone, 'room-timer').getAttribute('data-phase-index'), { timeout: 15_000 }).toBe('2');
    expect((await timer('stop')).status).toBe(200);

    await tid(phone, 'class-result').waitFor({ timeout: 15_000 });
    const points = (await tid(phone, 'class-result-points').textContent())!.trim();
    const link = (await tid(phone, 'class-result-claim-link').getAttribute('href'))!;
    expect(link).toMatch(new RegExp(`^${server.url.replace(/[.]/g, '\\.')}/claim#[a-z0-9]{15}\\.\\d+\\.[A-Za-z0-9_-]{43}$`));
    await tid(phone, 'class-result-claim').locator('svg').waitFor();

    const report = async () => ((await coach.get(`/api/v1/rooms/${room.id}/report`)).body as { classes: Array<{ participants: Array<{ name: string; member: boolean; points: number }> }> }).classes;
    expect((await report())[0]!.participants).toEqual([expect.objectContaining({ name: 'Gus Guest', member: false, points: Number(points) })]);

    // Later, on a laptop: the link, then an account, and the class is theirs.
    const laptop = await newPage();
    await laptop.goto(link);
    await tid(laptop, 'claim-signup').click();
    const gus = newMember('gus');
    await tid(laptop, 'signup-name').fill('Gus Guest');
    await tid(laptop, 'signup-email').fill(gus.email);
    await tid(laptop, 'signup-password').fill(gus.password);
    await tid(laptop, 'signup-submit').click();
    await tid(laptop, 'claim-done').waitFor({ timeout: 15_000 });
    expect(await tid(laptop, 'claim-done').textContent()).toContain(`(${points} points)`);
    expect((await report())[0]!.participants[0]!.member).toBe(true);

    // The same link on another account: refused, and the class stays with Gus.
    const other = await newPage();
    const om = newMember('other');
    const oc = client(server.url);
    await oc.post('/api/v1/auth/register', om);
    await signInInBrowser(other, server.url, om, 'Other laptop');
    await other.goto(link);
    await expect.poll(() => tid(other, 'claim-error').getAttribute('data-code'), { timeout: 10_000 }).toBe('conflict');
    expect(errors, 'page errors').toEqual([]);
  });
});
