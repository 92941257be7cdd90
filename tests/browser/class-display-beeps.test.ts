import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { IntervalPlan, TimerState } from '../../core/workout';
import { openBrowser, signUpInBrowser, type TestBrowser } from '../support/browser';
import { newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

// The gym screen's beeps, in the built PWA on a real sync server: 3-2-1 short beeps before each
// phase change and a long one at it, scheduled on the Web Audio clock. An init script wraps
// AudioContext and OscillatorNode.start/stop to log every beep the page schedules (frequency,
// audio-clock start, and the audio and wall clocks at that moment) and every cancellation.
// Two screens: a kiosk launched with Chromium's --autoplay-policy=no-user-gesture-required,
// which must beep with nobody touching it, and an ordinary browser, which asks for one tap.
const PLAN: IntervalPlan = {
  v: 1,
  mode: 'intervals',
  name: 'Beeps',
  prepareMs: 4_000,
  blocks: [{ name: 'Main', workMs: 5_000, restMs: 3_000, rounds: 2 }],
};
// Phases end at 4 s (prepare), 9 s (work), 12 s (rest: 3 s long, so only 2-1) and 17 s (work,
// the plan's end). Seconds after the start → frequency: 880 Hz short beeps, 660 Hz long ones.
const SHORT = 880;
const LONG = 660;
const EXPECTED: Array<[number, number]> = [
  [1, SHORT], [2, SHORT], [3, SHORT], [4, LONG],
  [6, SHORT], [7, SHORT], [8, SHORT], [9, LONG],
  [10, SHORT], [11, SHORT], [12, LONG],
  [14, SHORT], [15, SHORT], [16, SHORT], [17, LONG],
];
const PLAN_MS = 17_000;
/** How far a beep may sound from its moment, and a phase change show on screen after its beep. */
const BEEP_TOLERANCE_MS = 100;
const SCREEN_LAG_MS = 250;

const server = useTestServer();
const browsers: TestBrowser[] = [];
const errors: string[] = [];

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
});

const tid = (page: Page, id: string) => page.getByTestId(id);

interface LoggedBeep {
  hz: number;
  /** Audio-clock time the oscillator starts (s). */
  when: number;
  /** Audio-clock time it is to stop (s), as scheduled with it; null if never given. */
  end: number | null;
  /** The audio clock (s) and the wall clock (ms) when it was scheduled. */
  audioNow: number;
  wallNow: number;
  /** The audio clock (s) when it was cancelled (stop() without a time); null if never. */
  cancelledAt: number | null;
}

interface AudioLog {
  beeps: LoggedBeep[];
  contexts: AudioContext[];
  /** The page had had a user gesture when it made its audio context. */
  gestureBeforeAudio: boolean;
  /** Wall times (ms) the screen's phase index changed, with the new index. */
  phases: Array<{ index: string; at: number }>;
}

/** Runs in the page before the app: logs beeps and the screen's phase changes. */
function instrument(): void {
  const log: AudioLog = { beeps: [], contexts: [], phases: [], gestureBeforeAudio: false };
  (window as unknown as { __audio: AudioLog }).__audio = log;
  const Native = window.AudioContext;
  window.AudioContext = class extends Native {
    constructor(options?: AudioContextOptions) {
      super(options);
      log.contexts.push(this);
      log.gestureBeforeAudio ||= navigator.userActivation.hasBeenActive;
    }
  };
  type Logged = OscillatorNode & { __beep?: LoggedBeep };
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (this: Logged, when = 0) {
    this.__beep = { hz: this.frequency.value, when, end: null, audioNow: this.context.currentTime, wallNow: Date.now(), cancelledAt: null };
    log.beeps.push(this.__beep);
    return start.call(this, when);
  };
  const stop = OscillatorNode.prototype.stop;
  OscillatorNode.prototype.stop = function (this: Logged, when?: number) {
    if (this.__beep) {
      if (when === undefined) this.__beep.cancelledAt ??= this.context.currentTime;
      else this.__beep.end = when;
    }
    return when === undefined ? stop.call(this) : stop.call(this, when);
  };
  // The screen's timer: note when its phase index changes.
  new MutationObserver(() => {
    const el = document.querySelector('[data-testid="room-timer"]');
    const index = el?.getAttribute('data-phase-index') ?? '';
    if (el && log.phases.at(-1)?.index !== index) log.phases.push({ index, at: Date.now() });
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase-index'] });
}

async function openDisplay(link: string, args: string[]) {
  const b = await openBrowser({ args, viewport: { width: 1280, height: 720 } });
  browsers.push(b);
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  await page.addInitScript(instrument);
  // Nothing may touch the page until the screen has made its audio context (before it opens its
  // live socket): Playwright's locators and evaluations count as user gestures, and a gesture
  // would let any browser play.
  const socket = page.waitForEvent('websocket');
  await page.goto(link);
  await socket;
  expect(await page.evaluate(() => (window as unknown as { __audio: AudioLog }).__audio.gestureBeforeAudio)).toBe(false);
  await expect.poll(() => tid(page, 'room-display').getAttribute('data-link'), { timeout: 10_000 }).toBe('open');
  return page;
}

/** A sounded beep, on the server's clock: when its oscillator starts, per the audio clock. */
interface Sounded {
  hz: number;
  at: number;
  seconds: number;
}

async function soundedBeeps(display: Page): Promise<{ sounded: Sounded[]; phases: Array<{ index: string; at: number }>; running: boolean }> {
  const offset = Number(await tid(display, 'room-display').getAttribute('data-offset-ms'));
  const log = await display.evaluate(() => {
    const a = (window as unknown as { __audio: AudioLog }).__audio;
    return { beeps: a.beeps, phases: a.phases, running: a.contexts.length > 0 && a.contexts.every((c) => c.state === 'running' && c.currentTime > 0) };
  });
  const sounded = log.beeps
    // A beep cancelled before its start never sounded.
    .filter((b) => b.cancelledAt === null || b.cancelledAt >= b.when)
    .map((b) => ({ hz: b.hz, at: b.wallNow + offset + (b.when - b.audioNow) * 1000, seconds: (b.end ?? b.when) - b.when }))
    .sort((x, y) => x.at - y.at);
  return { sounded, phases: log.phases.map((p) => ({ index: p.index, at: p.at + offset })), running: log.running };
}

describe('the class display’s beeps', () => {
  it('sounds 3-2-1 and the phase change on the audio clock within 100 ms, on a kiosk without a tap and on a screen after one', async () => {
    // The coach: an account, a room with a short plan, two screens' links.
    const cb = await openBrowser();
    browsers.push(cb);
    const coach = cb.context.pages()[0] ?? (await cb.context.newPage());
    await signUpInBrowser(coach, server.url, newMember('beeps'));
    const { roomId, links } = await coach.evaluate(async (plan) => {
      const post = async (path: string, body: unknown) =>
        (await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
      const { room } = (await post('/api/v1/rooms', { name: 'Beep room', plan })) as { room: { id: string } };
      const links: string[] = [];
      for (const name of ['Kiosk', 'Screen']) links.push(((await post(`/api/v1/rooms/${room.id}/displays`, { name })) as { linkPath: string }).linkPath);
      return { roomId: room.id, links };
    }, PLAN);

    // The kiosk may autoplay: it turns its sound on by itself, no overlay.
    const kiosk = await openDisplay(server.url + links[0], ['--autoplay-policy=no-user-gesture-required']);
    await expect.poll(() => tid(kiosk, 'room-display').getAttribute('data-sound'), { timeout: 5_000 }).toBe('on');
    expect(await tid(kiosk, 'sound-enable').count()).toBe(0);
    // An ordinary browser needs one tap (its autoplay policy); until then it stays silent.
    const screen = await openDisplay(server.url + links[1], []);
    await tid(screen, 'sound-enable').waitFor();
    expect(await tid(screen, 'room-display').getAttribute('data-sound')).toBe('off');
    await tid(screen, 'sound-enable').click();
    await expect.poll(() => tid(screen, 'room-display').getAttribute('data-sound')).toBe('on');
    for (const d of [kiosk, screen]) await expect.poll(() => tid(d, 'room-display').getAttribute('data-offset-ms')).toMatch(/\d/);

    // The coach starts the class; both screens beep through the whole plan.
    const started = await coach.evaluate(async (id) => {
      const r = await fetch(`/api/v1/rooms/${id}/timer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ command: 'start' }) });
      return ((await r.json()) as { state: TimerState }).state;
    }, roomId);
    const t0 = started.startedAt!;
    for (const d of [kiosk, screen]) {
      await expect.poll(() => tid(d, 'room-timer').getAttribute('data-status'), { timeout: PLAN_MS + 10_000 }).toBe('finished');
    }

    for (const d of [kiosk, screen]) {
      const { sounded, phases, running } = await soundedBeeps(d);
      expect(running, 'the audio clock runs').toBe(true);
      // Exactly the expected beeps, each within 100 ms of its moment, none twice.
      expect(sounded.map((b) => b.hz)).toEqual(EXPECTED.map(([, hz]) => hz));
      sounded.forEach((b, i) => {
        const [s] = EXPECTED[i]!;
        expect(Math.abs(b.at - (t0 + s * 1000)), `beep ${i} (${s} s, ${b.hz} Hz) is ${Math.round(b.at - t0 - s * 1000)} ms off`).toBeLessThanOrEqual(BEEP_TOLERANCE_MS);
        expect(b.seconds).toBeCloseTo(b.hz === LONG ? 0.6 : 0.12, 2);
      });
      // The long beep and the screen's phase change agree: the screen shows the new phase just after.
      for (const [index, s] of [['1', 4], ['2', 9], ['3', 12]] as const) {
        const shown = phases.find((p) => p.index === index);
        expect(shown, `phase ${index} shown`).toBeTruthy();
        const beep = sounded.find((b) => b.hz === LONG && Math.abs(b.at - (t0 + s * 1000)) <= BEEP_TOLERANCE_MS)!;
        const lag = shown!.at - beep.at;
        expect(lag, `phase ${index} shown ${Math.round(lag)} ms after its beep`).toBeGreaterThan(-BEEP_TOLERANCE_MS);
        expect(lag).toBeLessThan(SCREEN_LAG_MS);
      }
    }
    expect(errors, 'page errors').toEqual([]);
  });
});
