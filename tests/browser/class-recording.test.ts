import type { Page, WebSocketRoute } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { IntervalPlan, PhaseSpan, TimerState } from '../../core/workout';
import { openBrowser, signInInBrowser, signUpInBrowser, type TestBrowser } from '../support/browser';
import { newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';
import { installFakeBluetooth } from './strap-fake-bluetooth';

// A participant's own recording during a class, in the built PWA on a real sync server and
// PocketBase: a signed-in participant with a (fake) Bluetooth strap records on their phone; the
// coach starts the timer; the phone's live link is cut (its WebSockets closed and refused, the
// network offline) while the coach pauses and resumes; the link comes back; the page is even
// reloaded; the coach stops. The recording never stopped (the reload aside, which it resumed by
// itself), followed the room's timer (the pause made during the outage included), finished at
// the coach's stop, is in the phone's history with the class's intervals, and synced.
const PLAN: IntervalPlan = {
  v: 1,
  mode: 'intervals',
  name: 'Short class',
  prepareMs: 3_000,
  blocks: [{ name: 'Main', workMs: 8_000, restMs: 4_000, rounds: 3 }],
};
const ROOM_NAME = 'Thursday Spin';

const server = useTestServer();
const browsers: TestBrowser[] = [];
const errors: string[] = [];

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
});

const tid = (page: Page, id: string) => page.getByTestId(id);

async function newPage(setup?: (p: Page) => Promise<void>) {
  const b = await openBrowser();
  browsers.push(b);
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  await setup?.(page);
  return { b, page };
}

/** Clicks a control button (and its confirmation, if asked) and returns the server's answer. */
async function command(control: Page, testid: string, confirm = false): Promise<TimerState> {
  const answer = control.waitForResponse((r) => r.url().endsWith('/timer') && r.request().method() === 'POST');
  await tid(control, testid).click();
  if (confirm) await tid(control, 'control-confirm-confirm').click();
  const res = await answer;
  expect(res.status()).toBe(200);
  return ((await res.json()) as { state: TimerState }).state;
}

interface StoredSession {
  id: string;
  status: string;
  title: string;
  startedAt: number;
  endedAt: number | null;
  readingCount: number;
  plan: { name: string };
  room?: { id: string; name: string };
  timer: TimerState;
  phases: PhaseSpan[];
  gaps: Array<{ reason: string }>;
  summary: { intervals: Array<{ kind: string }> } | null;
  syncId?: string;
  record?: { execution?: { timer: TimerState; spans: Array<{ phaseIndex: number }>; profileSource: string; profile: Record<string, unknown> } };
}

/** The phone's recorded sessions, read from its IndexedDB as the app stores them. */
function storedSessions(page: Page): Promise<StoredSession[]> {
  return page.evaluate(
    () =>
      new Promise<StoredSession[]>((resolve, reject) => {
        const open = indexedDB.open('hrm');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('sessions').objectStore('sessions').getAll();
          all.onsuccess = () => {
            resolve(all.result as StoredSession[]);
            open.result.close();
          };
        };
      }),
  );
}

/** Pairs the fake strap, which then sends one heart rate a second from inside the page. */
async function pairStrap(page: Page) {
  await tid(page, 'strap-pair').click();
  await expect.poll(() => tid(page, 'strap-state').getAttribute('data-state')).toBe('streaming');
  await page.evaluate(() => {
    const fake = (window as unknown as { __fakeStrap: { send(b: number[]): boolean } }).__fakeStrap;
    let beat = 0;
    setInterval(() => fake.send([0x00, 120 + (beat++ % 20)]), 1_000);
  });
}

/** Phase spans joined per phase: [phaseIndex, kind, total ms run]. */
function ranPerPhase(spans: PhaseSpan[]): Array<[number, string, number]> {
  const out: Array<[number, string, number]> = [];
  for (const s of spans) {
    const last = out.at(-1);
    if (last && last[0] === s.phaseIndex) last[2] += s.end - s.start;
    else out.push([s.phaseIndex, s.phase.kind, s.end - s.start]);
  }
  return out;
}

describe('a participant’s recording during a class', () => {
  it('follows the room’s timer through a cut live link, finishes at the coach’s stop, shows the intervals in history and syncs', async () => {
    // The coach signs up, makes a room with a short plan and opens its control page.
    const { page: control } = await newPage();
    await signUpInBrowser(control, server.url, newMember('coach'));
    const roomId = await control.evaluate(
      async ({ name, plan }) => {
        const r = await fetch('/api/v1/rooms', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, plan }) });
        return ((await r.json()) as { room: { id: string } }).room.id;
      },
      { name: ROOM_NAME, plan: PLAN },
    );
    await control.goto(`${server.url}/rooms/${roomId}`);
    await expect.poll(() => tid(control, 'room-control').getAttribute('data-link')).toBe('open');
    const joinCode = ((await tid(control, 'control-join-code').textContent()) ?? '').replace(/[^A-Z0-9]/g, '');

    // The participant: signed in, a fake strap at 1 Hz, the live link's sockets under the test's control.
    const { b: phone, page } = await newPage((p) => installFakeBluetooth(p));
    let cut = false;
    let sockets: WebSocketRoute[] = [];
    await phone.context.routeWebSocket(/\/live$/, (ws) => {
      if (cut) return void ws.close({ code: 4000, reason: 'network down' });
      ws.connectToServer();
      sockets.push(ws);
    });
    const m = newMember('rider');
    await signUpInBrowser(page, server.url, m);
    // The member's own profile (it syncs), then other details given when joining this class.
    await page.goto(`${server.url}/settings`);
    await tid(page, 'profile-form').waitFor();
    await tid(page, 'profile-age').fill('41');
    await tid(page, 'profile-sex').selectOption('male');
    await tid(page, 'profile-weight').fill('80');
    await tid(page, 'profile-resting').fill('52');
    await tid(page, 'profile-save').click();
    await tid(page, 'profile-saved').waitFor();
    await page.goto(`${server.url}/join?code=${joinCode}`);
    await tid(page, 'join-member').waitFor();
    await tid(page, 'join-age').fill('33');
    await tid(page, 'join-weight').fill('90');
    await tid(page, 'join-resting').fill('48');
    await tid(page, 'join-submit').click();
    await expect.poll(() => tid(page, 'participant-live').getAttribute('data-link'), { timeout: 10_000 }).toBe('open');
    await pairStrap(page);

    // Record before the coach starts: the recording waits at the plan's start.
    await tid(page, 'record-start').click();
    await tid(page, 'record-stop').waitFor();
    expect(await tid(page, 'record-auto').isChecked()).toBe(false);

    const started = await command(control, 'timer-start');
    // Into the first work phase on the phone's class timer.
    await expect.poll(() => tid(page, 'room-timer').getAttribute('data-phase-index'), { timeout: 10_000 }).toBe('1');

    // The phone loses the class: sockets closed, new ones refused, the network offline.
    cut = true;
    await phone.context.setOffline(true);
    for (const ws of sockets) await ws.close({ code: 4000, reason: 'network down' });
    sockets = [];
    await expect.poll(() => tid(page, 'participant-live').getAttribute('data-link')).toBe('reconnecting');
    const readingsAtCut = Number(await tid(page, 'record-readings').textContent());

    // Meanwhile the coach pauses and resumes; the phone cannot know yet.
    const paused = await command(control, 'timer-pause');
    await control.waitForTimeout(2_000); // the pause's length, not an assertion
    const resumed = await command(control, 'timer-resume');
    const pauseMs = resumed.updatedAt! - paused.pausedAt!;
    expect(pauseMs).toBeGreaterThanOrEqual(2_000);

    // The recording goes on through the outage.
    await expect.poll(async () => Number(await tid(page, 'record-readings').textContent()), { timeout: 10_000 }).toBeGreaterThanOrEqual(readingsAtCut + 3);
    expect(await tid(page, 'participant-live').getAttribute('data-link')).not.toBe('open');

    // The network returns (a phone fires `online`): the link reopens with a fresh snapshot.
    cut = false;
    await phone.context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => tid(page, 'participant-live').getAttribute('data-link'), { timeout: 20_000 }).toBe('open');
    await expect.poll(() => tid(page, 'room-timer').getAttribute('data-revision')).toBe(String(resumed.revision));
    // The recording's own timer took the pause made during the outage, to the millisecond.
    await expect.poll(async () => (await storedSessions(page)).find((s) => s.room?.id === roomId)?.timer.pauses.map((p) => p.ms) ?? []).toContain(pauseMs);

    // The page is reloaded mid-class: the recording (flushed every second) goes on by itself,
    // following the class again; the strap is paired again (no strap reconnects unasked).
    const reloadedAt = Date.now();
    await page.reload();
    await tid(page, 'record-stop').waitFor({ timeout: 10_000 });
    await expect.poll(() => tid(page, 'participant-live').getAttribute('data-link'), { timeout: 10_000 }).toBe('open');
    await pairStrap(page);
    const strapBackAt = Date.now();
    expect(await tid(page, 'cutoff-banner').count()).toBe(0);

    // Into the second work phase, then the coach stops the class.
    await expect.poll(() => tid(page, 'room-timer').getAttribute('data-phase-index'), { timeout: 20_000 }).toBe('3');
    const stopped = await command(control, 'timer-stop', true);

    // The phone's recording finishes by itself and says where it is.
    await tid(page, 'record-saved').waitFor({ timeout: 10_000 });
    // Its result of the class reaches the coach's report, with the points the phone shows.
    await tid(page, 'class-result').waitFor({ timeout: 15_000 });
    const myPoints = (await tid(page, 'class-result-points').textContent())!.trim();
    await control.goto(`${server.url}/rooms/${roomId}/report`);
    await expect.poll(() => tid(control, 'report-row').count()).toBe(1);
    expect((await tid(control, 'report-name').textContent())?.trim()).toBe(m.name);
    expect((await tid(control, 'report-points').textContent())?.trim()).toBe(myPoints);
    expect(await tid(control, 'report-class-summary').textContent()).toContain('1 participant');
    const csv = await control.evaluate(async (href) => (await fetch(href)).text(), (await tid(control, 'report-csv').getAttribute('href'))!);
    expect(csv.split('\r\n')[1]).toContain(`,${m.name},yes,${myPoints},`);
    expect(await tid(page, 'record-stop').count()).toBe(0);
    const sessions = (await storedSessions(page)).filter((s) => s.room?.id === roomId);
    const session = { ...sessions[0]!, sessionsOfRoom: sessions.length };
    expect(session).toMatchObject({ status: 'finished', title: ROOM_NAME, room: { id: roomId, name: ROOM_NAME }, plan: { name: 'Short class' } });
    // Waiting for the coach, then the coach's pause: both are pauses of the recording's timer.
    expect(session.timer.pauses.map((p) => p.ms)).toEqual([expect.any(Number), pauseMs]);
    expect(session.timer.stoppedAt! - session.startedAt).toBe(stopped.stoppedAt! - started.startedAt! + session.timer.pauses[0]!.ms);
    // Phases as the room ran them: prepare, work (split by the pause), rest, part of the next work.
    const ran = ranPerPhase(session.phases);
    expect(ran.slice(0, 3)).toEqual([
      [0, 'prepare', 3_000],
      [1, 'work', 8_000],
      [2, 'rest', 4_000],
    ]);
    expect(ran[3]).toEqual([3, 'work', expect.any(Number)]);
    expect(ran).toHaveLength(4);
    // One reading a second from the strap for as long as the phone recorded, but for the reload.
    expect(session.sessionsOfRoom).toBe(1);
    expect(session.gaps.map((g) => g.reason)).toContain('app-closed');
    const seconds = (session.endedAt! - session.startedAt - (strapBackAt - reloadedAt)) / 1000;
    expect(Math.abs(session.readingCount - seconds)).toBeLessThanOrEqual(3);
    expect(session.summary!.intervals.map((i) => i.kind)).toEqual(['work', 'rest', 'work']);
    // The execution record that syncs with it (docs/sync-protocol.md §9) holds the room's timer.
    expect(session.record!.execution!.timer).toEqual(session.timer);
    expect(session.record!.execution!.spans.map((s) => s.phaseIndex)).toEqual(session.phases.map((p) => p.phaseIndex));
    // Computed with the profile given when joining the class, and saying so.
    expect(session.record!.execution!.profileSource).toBe('class-join');
    expect(session.record!.execution!.profile).toMatchObject({ age: 33, weightKg: 90, restingHr: 48, sex: 'male' });

    // In the phone's history with the class's intervals, at the workout's one address (its wire id).
    await tid(page, 'record-saved-link').click();
    await page.waitForURL((u) => u.pathname === `/history/${session.syncId}`);
    await expect.poll(() => tid(page, 'detail-title').textContent()).toBe(ROOM_NAME);
    await expect.poll(() => tid(page, 'interval-row').count()).toBe(2);
    await tid(page, 'hr-chart').waitFor();
    expect(await tid(page, 'summary-profile-class').count()).toBe(1);
    const phoneSummary = await tid(page, 'session-summary').innerText();

    // And on the server: the phone synced it as the member's workout, every reading with it.
    await expect
      .poll(
        () =>
          page.evaluate(async (planId) => {
            const r = await fetch('/api/v1/sync/pull?protocol=1&deviceId=test-probe&cursor=');
            const body = (await r.json()) as { changes: Array<{ kind: string; sessionId?: string; readingCount?: number; record?: { id: string; plan: { planId: string } | null; summary: { readingCount: number } | null } }> };
            const rec = body.changes.find((c) => c.kind === 'session' && c.record?.plan?.planId === planId)?.record;
            if (!rec) return null;
            const chunks = body.changes.filter((c) => c.kind === 'chunk' && c.sessionId === rec.id).reduce((n, c) => n + (c.readingCount ?? 0), 0);
            return { summary: rec.summary?.readingCount ?? null, chunks };
          }, `room:${roomId}`),
        { timeout: 20_000, interval: 500 },
      )
      .toEqual({ summary: session.readingCount, chunks: session.readingCount });

    // The member's tablet (device B): the same class at the same address, with the class's
    // intervals, the same figures, and computed with the details given at join.
    const { page: tablet } = await newPage();
    await signInInBrowser(tablet, server.url, m, 'Tablet');
    await expect
      .poll(
        async () => {
          await tablet.goto(`${server.url}/history/${session.syncId}`);
          await tid(tablet, 'detail-title').waitFor({ timeout: 5_000 }).catch(() => undefined);
          return tid(tablet, 'interval-row').count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(2);
    expect(await tid(tablet, 'detail-title').textContent()).toBe(ROOM_NAME);
    expect(await tid(tablet, 'summary-profile-class').count()).toBe(1);
    await expect.poll(() => tid(tablet, 'session-summary').innerText()).toBe(phoneSummary);
    // Those are the join details' figures, not the tablet's own profile's (the member's, synced):
    // recomputing with it would change them, starting with the age.
    await expect.poll(() => tid(tablet, 'recompute').isEnabled(), { timeout: 10_000 }).toBe(true);
    await tid(tablet, 'recompute').click();
    await expect.poll(() => tid(tablet, 'recompute-change-age').textContent()).toBe('Age: from 33 to 41');
    expect(await tid(tablet, 'recompute-change-weight').textContent()).toBe('Weight: from 90 kg to 80 kg');

    expect(errors, 'page errors').toEqual([]);
  });
});
