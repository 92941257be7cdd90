import { describe, expect, it } from 'vitest';
import { createTimer, tabataPlan } from '$core/workout';
import type { SocketLike } from '$lib/rooms/live-channel.svelte';
import { HUB_BATCH_MAX, HUB_HOLD_MS, HUB_STRAP_GAP_MS, HubLink, hubTokenFromLocation, tilesFeeder } from './hub-link';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

const ROOM = 'room00000000001';
const TOKEN = `hub000000000001.${'s'.repeat(43)}`;

async function openLink(now: () => number = () => 10_000) {
  const sockets: FakeSocket[] = [];
  /** Batch windows the link opened (publish → flush), run by the test. */
  const windows: Array<() => void> = [];
  const link = new HubLink({
    roomId: ROOM,
    token: TOKEN,
    now,
    setInterval: () => 1,
    clearInterval: () => undefined,
    setTimeout: (fn: () => void) => void windows.push(fn),
    channel: {
      url: 'ws://x/live',
      now,
      socket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      setTimeout: () => 0,
      clearTimeout: () => undefined,
      pingIntervalMs: 1e9,
    },
  });
  link.start();
  await Promise.resolve();
  await Promise.resolve();
  const ws = sockets[0]!;
  ws.open();
  await expect.poll(() => ws.sent.length).toBeGreaterThan(0);
  expect(ws.sent[0]).toEqual({ type: 'hello', v: 1, role: 'hub', token: TOKEN });
  ws.receive({ type: 'welcome', v: 1, role: 'hub', roomId: ROOM, participantId: null, displayId: null, serverTime: now(), config: { staleMs: 5000, goneMs: 60000, hrMinIntervalMs: 750 } });
  const timer = { ...createTimer(tabataPlan(2)), status: 'running' as const, startedAt: 0 };
  ws.receive({ type: 'snapshot', serverTime: now(), room: { id: ROOM, name: 'R', joinCode: 'ABCDEFGH' }, timer: createTimer(tabataPlan(2)), participants: [] });
  return { link, ws, timer, windows };
}

const batches = (ws: FakeSocket) => ws.sent.filter((m): m is { type: 'hub-readings'; readings: Array<Record<string, unknown>> } => (m as { type: string }).type === 'hub-readings');

describe('HubLink', () => {
  it('sends each strap’s latest reading once per flush, in batches of at most 64, over the one socket', async () => {
    const { link, ws } = await openLink();
    for (let i = 0; i < 70; i++) {
      link.publish({ strapKey: `ant:${1000 + i}`, bpm: 90, rrMs: [650], at: 9_000, battery: 80 });
      link.publish({ strapKey: `ant:${1000 + i}`, bpm: 100 + i, rrMs: [640], at: 9_250 });
    }
    expect(link.flush()).toBe(70);
    const sent = batches(ws);
    expect(sent.map((b) => b.readings.length)).toEqual([HUB_BATCH_MAX, 70 - HUB_BATCH_MAX]);
    expect(sent[0]!.readings[3]).toEqual({ strap: 'ant:1003', bpm: 103, rr: [650, 640], battery: 80, at: 9_250 });
    // Nothing new: nothing sent.
    expect(link.flush()).toBe(0);
    expect(batches(ws)).toHaveLength(2);
    // Not a heart rate: dropped.
    link.publish({ strapKey: 'ant:1', bpm: 0, rrMs: [], at: 1 });
    expect(link.flush()).toBe(0);
  });

  it('sends a strap at most once per HUB_STRAP_GAP_MS: a reading after the gap leaves in the next batch window, a held one only after the gap and HUB_HOLD_MS without a fresher one', async () => {
    let now = 50_000;
    const { link, ws, windows } = await openLink(() => now);
    link.publish({ strapKey: 'ant:1', bpm: 120, rrMs: [500], at: now });
    link.publish({ strapKey: 'ble:Polar_H10', bpm: 90, rrMs: [], at: now });
    // One window for both: they share a frame.
    expect(windows).toHaveLength(1);
    windows.shift()!();
    expect(batches(ws)).toHaveLength(1);
    expect(batches(ws)[0]!.readings.map((r) => r.strap)).toEqual(['ant:1', 'ble:Polar_H10']);
    // Inside the gap: held, no window; at the gap's end it has not waited HUB_HOLD_MS yet.
    now = 50_750;
    link.publish({ strapKey: 'ant:1', bpm: 121, rrMs: [496], at: now });
    expect(windows).toHaveLength(0);
    now = 50_000 + HUB_STRAP_GAP_MS + 10;
    expect(link.flush()).toBe(0);
    // A fresher reading after the gap replaces the held one and leaves in the next window.
    now = 50_000 + HUB_STRAP_GAP_MS + 50;
    link.publish({ strapKey: 'ant:1', bpm: 122, rrMs: [492], at: now });
    expect(windows).toHaveLength(1);
    windows.shift()!();
    expect(batches(ws).at(-1)!.readings).toEqual([{ strap: 'ant:1', bpm: 122, rr: [496, 492], at: 50_850 }]);
    // The Bluetooth strap's reading came inside its gap and nothing fresher follows: the tick
    // sends it once it has been held HUB_HOLD_MS (here past the gap), not before.
    now = 50_700;
    link.publish({ strapKey: 'ble:Polar_H10', bpm: 91, rrMs: [], at: now });
    now = 50_700 + HUB_HOLD_MS - 1;
    expect(link.flush()).toBe(0);
    now += 1;
    expect(link.flush()).toBe(1);
    expect(batches(ws).at(-1)!.readings).toEqual([{ strap: 'ble:Polar_H10', bpm: 91, at: 50_700 }]);
    expect(link.flush()).toBe(0);
  });

  it('learns each strap’s participant from the server and sends its points once the class runs', async () => {
    let now = 100_000;
    const { link, ws } = await openLink(() => now);
    ws.receive({ type: 'hub-strap', strap: 'ant:4821', participantId: 'p00000000000001' });
    expect(link.participants.get('ant:4821')).toBe('p00000000000001');
    ws.receive({ type: 'participant', participant: { id: 'p00000000000001', name: 'Strap 4821', age: 40, sex: null, weightKg: null, maxHr: 180, ranked: true, member: false, joinedAt: 0 }, seenAt: now });
    const running = { ...createTimer(tabataPlan(8)), status: 'running', startedAt: now - 1_000, revision: 1, updatedAt: now - 1_000 };
    ws.receive({ type: 'timer', state: running });
    for (let t = 0; t < 60; t++) {
      now += 1_000;
      link.publish({ strapKey: 'ant:4821', bpm: 170, rrMs: [], at: now });
      link.flush();
    }
    const last = batches(ws).at(-1)!.readings[0]!;
    expect(last.strap).toBe('ant:4821');
    expect(typeof last.points).toBe('number');
    expect(last.points as number).toBeGreaterThan(0);
  });

  it('feeds from tiles only what is new, and takes its token from the link once, then from the device', () => {
    const published: string[] = [];
    const fake = { publish: (r: { strapKey: string; at: number }) => published.push(`${r.strapKey}@${r.at}`) } as unknown as HubLink;
    const feed = tilesFeeder(fake);
    const tile = (deviceNumber: number, lastAt: number) => ({ deviceNumber, bpm: 120, lastAt, lastRrMs: 500, battery: null, rssi: null });
    feed([tile(1, 10), tile(2, 10)]);
    feed([tile(1, 10), tile(2, 20)]);
    expect(published).toEqual(['ant:1@10', 'ant:2@10', 'ant:2@20']);

    const kept = new Map<string, string>();
    const store = { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) };
    expect(hubTokenFromLocation(ROOM, { hash: '' }, store)).toBeNull();
    expect(hubTokenFromLocation(ROOM, { hash: `#hub=${encodeURIComponent(TOKEN)}` }, store)).toBe(TOKEN);
    expect(hubTokenFromLocation(ROOM, { hash: '' }, store)).toBe(TOKEN);
    expect(hubTokenFromLocation('other0000000001', { hash: '' }, store)).toBeNull();
  });
});
