import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mulberry32, type StrapEvent } from '$core/heart-rate';
import { memoryLastStrap, type LastStrapMemory } from './last-strap';
import { createSimulatedLink } from './simulated-link';
import { createStrapController, type StrapController, type StrapControllerDeps } from './strap-controller.svelte';
import { createFakeLink, type FakeLink } from './testing';
import { browserTimers } from './timers';

const flush = () => vi.advanceTimersByTimeAsync(0);

function setup(over: Partial<StrapControllerDeps> & { link?: FakeLink | null; memory?: LastStrapMemory } = {}) {
  const link = over.link === undefined ? createFakeLink() : over.link;
  const timers = browserTimers();
  const clock = { now: () => Date.now() };
  let visible: (() => void) | null = null;
  const strap = createStrapController({
    capabilities: { secureContext: true, webBluetooth: link !== null },
    bluetooth: link,
    simulated: (options) => createSimulatedLink({ seed: 7, ...options }, { timers, clock }),
    memory: over.memory ?? memoryLastStrap(),
    clock,
    timers,
    random: mulberry32(1),
    onVisible: (cb) => {
      visible = cb;
      return () => (visible = null);
    },
    ...over,
  });
  const events: StrapEvent[] = [];
  strap.subscribe((e) => events.push(e));
  return { strap, link: link!, events, becomeVisible: () => visible?.() };
}

async function paired(s: ReturnType<typeof setup>) {
  s.strap.start();
  s.strap.pair();
  await flush();
  expect(s.strap.state.kind).toBe('streaming');
}

const kinds = (events: StrapEvent[]) =>
  events.map((e) => (e.type === 'reading' ? `reading ${e.reading.bpm}` : `${e.type} ${e.reason}`));

describe('StrapController', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-20T10:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('pairs through the chooser, connects, subscribes and hands every reading to subscribers', async () => {
    const s = setup();
    await paired(s);
    expect(s.link.calls.choose).toEqual([{ mode: 'chooser' }]);
    expect(s.link.calls.subscribe).toBe(1);
    s.link.notify({ bpm: 72, rr1024: [850] });
    expect(s.strap.bpm).toBe(72);
    expect(s.events).toEqual([
      { type: 'reading', reading: { bpm: 72, contact: 'detected', energyKj: null, rr1024: [850], t: Date.now() } },
    ]);
    expect(s.strap.remembered).toEqual({ id: 'dev-1', name: 'Polar H10 1234' });
    s.strap.destroy();
  });

  it('reports 0 bpm and lost contact as gaps, still passing the raw reading, and never shows a number', async () => {
    const s = setup();
    await paired(s);
    s.link.notify({ bpm: 80 });
    s.link.notify({ bpm: 0, contact: 'not-detected' });
    expect(s.strap.bpm).toBeNull();
    s.link.notify({ bpm: 82 });
    expect(kinds(s.events)).toEqual(['reading 80', 'gap-start no-contact', 'reading 0', 'gap-end no-contact', 'reading 82']);
    expect(s.strap.gapTotal).toBe(1);
    s.strap.destroy();
  });

  it('drops undecodable packets without touching the state', async () => {
    const s = setup();
    await paired(s);
    s.link.notifyBytes([0x01, 0x48]);
    expect(s.strap.parseErrors).toBe(1);
    expect(s.events).toEqual([]);
    s.strap.destroy();
  });

  it('goes silent after 5 s without a notification, with the gap starting at the last one', async () => {
    const s = setup();
    await paired(s);
    s.link.notify({ bpm: 90 });
    const last = Date.now();
    await vi.advanceTimersByTimeAsync(6_000);
    expect(s.strap.state.kind).toBe('silent');
    expect(s.strap.bpm).toBeNull();
    expect(s.events.at(-1)).toEqual({ type: 'gap-start', reason: 'silence', at: last });
    s.link.notify({ bpm: 91 });
    expect(s.strap.state.kind).toBe('streaming');
    expect(kinds(s.events).slice(-2)).toEqual(['gap-end silence', 'reading 91']);
    s.strap.destroy();
  });

  it('reconnects after an unexpected drop with backoff, without a chooser, and closes the gap', async () => {
    const s = setup();
    await paired(s);
    s.link.notify({ bpm: 100 });
    s.link.drop();
    expect(s.strap.state).toMatchObject({ kind: 'reconnecting', attempt: 1 });
    expect(s.events.at(-1)).toMatchObject({ type: 'gap-start', reason: 'disconnected' });
    await vi.advanceTimersByTimeAsync(3_100); // first retry is 1-3 s after the drop
    expect(s.strap.state.kind).toBe('streaming');
    expect(s.link.calls.choose).toHaveLength(1);
    expect(s.link.calls.connect).toBe(2);
    expect(s.link.calls.subscribe).toBe(2);
    s.link.notify({ bpm: 104 });
    expect(kinds(s.events).slice(-2)).toEqual(['gap-end disconnected', 'reading 104']);
    s.strap.destroy();
  });

  it('gives up after the retry budget and says so; "try again" starts over', async () => {
    const s = setup({ connection: { giveUpAfterMs: 20_000 } });
    await paired(s);
    s.link.nextConnect = { ok: false, message: 'NetworkError', retryable: true };
    s.link.drop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(s.strap.state).toMatchObject({ kind: 'lost', reason: 'gave-up' });
    expect((s.strap.state as { message: string }).message).toMatch(/did not come back/);
    expect(s.strap.bpm).toBeNull();
    s.link.nextConnect = { ok: true };
    s.strap.retry();
    await flush();
    expect(s.strap.state.kind).toBe('streaming');
    s.strap.destroy();
  });

  it('times out a connect that hangs', async () => {
    const s = setup({ connection: { connectTimeoutMs: 2_000 } });
    s.link.nextConnect = 'hang';
    s.strap.start();
    s.strap.pair();
    await vi.advanceTimersByTimeAsync(2_100);
    expect(s.strap.state).toMatchObject({ kind: 'lost', reason: 'timeout' });
    expect(s.link.calls.disconnect).toBeGreaterThan(0);
    s.strap.destroy();
  });

  it('re-checks the link when the page becomes visible again', async () => {
    const s = setup();
    await paired(s);
    s.link.notify({ bpm: 70 });
    s.link.connected = false; // a hidden tab missed the disconnect event
    s.becomeVisible();
    expect(s.strap.state.kind === 'reconnecting' || s.strap.state.kind === 'connecting').toBe(true);
    s.strap.destroy();
  });

  it('reconnects the remembered strap at start where the browser knows it, without a chooser', async () => {
    const link = createFakeLink('bluetooth', true);
    link.known = ['dev-1'];
    const s = setup({ link, memory: memoryLastStrap({ id: 'dev-1', name: 'Polar H10 1234' }) });
    s.strap.start();
    // While the browser is asked, no "tap to reconnect" flashes up.
    expect(s.strap.reconnectNeedsTap).toBe(false);
    await flush();
    expect(s.strap.state.kind).toBe('streaming');
    expect(s.strap.reconnectNeedsTap).toBe(false);
    expect(link.calls.choose).toEqual([{ mode: 'known', id: 'dev-1' }]);
    s.strap.destroy();
  });

  it('asks for a tap when the browser no longer allows the remembered strap', async () => {
    const link = createFakeLink('bluetooth', true);
    const s = setup({ link, memory: memoryLastStrap({ id: 'dev-1', name: 'Polar H10 1234' }) });
    s.strap.start();
    await flush();
    expect(s.strap.state.kind).toBe('idle');
    expect(s.strap.reconnectNeedsTap).toBe(true);
    expect(link.calls.choose).toEqual([]);
    s.strap.reconnectRemembered();
    await flush();
    expect(link.calls.choose).toEqual([{ mode: 'known', id: 'dev-1', fallbackName: 'Polar H10 1234' }]);
    expect(s.strap.state.kind).toBe('streaming');
    expect(s.strap.reconnectNeedsTap).toBe(false);
    s.strap.destroy();
  });

  it('offers the remembered strap through a chooser narrowed to its name where getDevices is missing', async () => {
    const s = setup({ memory: memoryLastStrap({ id: 'dev-1', name: 'Polar H10 1234' }) });
    s.strap.start();
    await flush();
    expect(s.strap.state.kind).toBe('idle');
    expect(s.strap.reconnectNeedsTap).toBe(true);
    s.strap.reconnectRemembered();
    await flush();
    expect(s.link.calls.choose).toEqual([{ mode: 'chooser', name: 'Polar H10 1234' }]);
    expect(s.strap.reconnectNeedsTap).toBe(false);
    expect(s.strap.state.kind).toBe('streaming');
    s.strap.destroy();
  });

  it('without Web Bluetooth is unsupported, and the simulated strap streams instead', async () => {
    const s = setup({ link: null });
    s.strap.start();
    expect(s.strap.state).toMatchObject({ kind: 'unsupported', reason: 'no-web-bluetooth' });
    s.strap.pair(); // nothing to pair with
    expect(s.strap.state.kind).toBe('unsupported');
    const sim = s.strap.useSimulated({ intensity: 0.5 });
    await flush();
    expect(s.strap.state.kind).toBe('streaming');
    expect(s.strap.source).toBe('simulated');
    await vi.advanceTimersByTimeAsync(3_000);
    expect(s.strap.bpm).toBeGreaterThan(40);
    expect(s.events.filter((e) => e.type === 'reading')).toHaveLength(3);
    sim.setIntensity(2);
    expect(sim.intensity).toBe(1);
    expect(s.strap.remembered).toBeNull(); // a simulated strap is never remembered
    s.strap.destroy();
  });

  it('closes an open gap when the user disconnects, so every gap has an end', async () => {
    const s = setup();
    await paired(s);
    s.link.drop();
    s.strap.disconnect();
    expect(s.strap.state.kind).toBe('idle');
    expect(kinds(s.events)).toEqual(['gap-start disconnected', 'gap-end disconnected']);
    s.strap.destroy();
  });
});
