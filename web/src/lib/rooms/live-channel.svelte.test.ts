import { describe, expect, it } from 'vitest';
import { createTimer, tabataPlan } from '$core/workout';
import { LiveChannel, type SocketLike } from './live-channel.svelte';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string) {
    this.sent.push(data);
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

function harness() {
  let now = 1_000;
  const sockets: FakeSocket[] = [];
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let ids = 0;
  const channel = new LiveChannel({
    url: 'ws://x/live',
    hello: async () => ({ type: 'hello', v: 1, role: 'display', token: 'x'.repeat(30) }),
    socket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    now: () => now,
    random: () => 0.5,
    setTimeout: (fn, ms) => {
      const id = ++ids;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
  });
  const advance = async (ms: number) => {
    const until = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > until) break;
      timers.shift();
      now = next.at;
      next.fn();
      await Promise.resolve();
    }
    now = until;
    await Promise.resolve();
  };
  return { channel, sockets, advance, setNow: (t: number) => (now = t), get now() { return now; } };
}

const welcome = (serverTime: number) => ({
  type: 'welcome', v: 1, role: 'display', roomId: 'r00000000000001', participantId: null, displayId: 'd00000000000001', serverTime,
  config: { staleMs: 10_000, goneMs: 60_000, hrMinIntervalMs: 750 },
});
const snapshot = (serverTime: number) => ({
  type: 'snapshot', serverTime, room: { id: 'r00000000000001', name: 'HIIT', joinCode: 'ABCD2345' }, timer: createTimer(tabataPlan(2)), participants: [],
});

describe('LiveChannel', () => {
  it('says hello, applies the snapshot, measures the offset and reconnects with backoff', async () => {
    const h = harness();
    h.channel.start();
    await Promise.resolve();
    const s = h.sockets[0]!;
    s.open();
    expect(JSON.parse(s.sent[0]!)).toMatchObject({ type: 'hello', role: 'display' });
    h.setNow(1_100);
    s.receive(welcome(61_050)); // the server's clock is 60 s ahead
    s.receive(snapshot(61_050));
    expect(h.channel.state).toBe('open');
    expect(h.channel.room.ready).toBe(true);
    expect(h.channel.offsetMs).toBe(60_000);
    // A quick ping/pong makes a better estimate.
    await h.advance(0);
    const ping = JSON.parse(s.sent.at(-1)!);
    expect(ping.type).toBe('ping');
    h.setNow(ping.t0 + 10);
    s.receive({ type: 'pong', id: ping.id, t0: ping.t0, serverTime: ping.t0 + 60_005 + 5 });
    expect(h.channel.offsetMs).toBe(60_005);
    expect(h.channel.serverNow(2_000)).toBe(62_005);

    s.close(1006, '');
    expect(h.channel.state).toBe('reconnecting');
    expect(h.channel.attempt).toBe(1);
    await h.advance(499);
    expect(h.sockets).toHaveLength(1);
    await h.advance(1);
    expect(h.sockets).toHaveLength(2);
    h.sockets[1]!.open();
    h.sockets[1]!.receive(welcome(h.now + 60_000));
    h.sockets[1]!.receive(snapshot(h.now + 60_000));
    expect(h.channel.state).toBe('open');
    expect(h.channel.attempt).toBe(0);
  });

  it('a later snapshot on the same socket (the server’s resync) replaces the room without starting a second ping loop', async () => {
    const h = harness();
    h.channel.start();
    await Promise.resolve();
    const s = h.sockets[0]!;
    s.open();
    s.receive(welcome(1_000));
    s.receive(snapshot(1_000));
    await h.advance(2_000); // past the first quick pings
    const resynced = { ...snapshot(3_000), timer: { ...createTimer(tabataPlan(2)), revision: 3 } };
    s.receive(resynced);
    expect(h.channel.room.timer?.revision).toBe(3);
    const pings = () => s.sent.filter((f) => JSON.parse(f).type === 'ping').length;
    const before = pings();
    await h.advance(5_000);
    expect(pings() - before).toBe(1);
  });

  it('stops for good when access ends', async () => {
    const h = harness();
    h.channel.start();
    await Promise.resolve();
    h.sockets[0]!.open();
    h.sockets[0]!.close(4403, 'display revoked');
    expect(h.channel.state).toBe('ended');
    expect(h.channel.endReason).toBe('revoked');
    await h.advance(60_000);
    expect(h.sockets).toHaveLength(1);
  });
});

describe('LiveChannel hellos', () => {
  it('never runs two hellos at once: a wake-up during a slow re-join waits for it (each re-join retires the last token)', async () => {
    let calls = 0;
    const pending: Array<(token: string) => void> = [];
    const sockets: FakeSocket[] = [];
    const channel = new LiveChannel({
      url: 'ws://x/live',
      hello: () => {
        calls++;
        return new Promise((resolve) => pending.push((token) => resolve({ type: 'hello', v: 1, role: 'participant', token })));
      },
      socket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      now: () => 0,
      random: () => 0.5,
      setTimeout: (fn) => (timers.push(fn), timers.length),
      clearTimeout: () => {},
    });
    const timers: Array<() => void> = [];
    channel.start();
    pending.shift()!('t'.repeat(30));
    await Promise.resolve();
    await Promise.resolve();
    sockets[0]!.open();
    sockets[0]!.close(4000, 'network down'); // reconnecting
    channel.retryNow(); // the backoff is skipped: a second hello starts
    await Promise.resolve();
    expect(calls).toBe(2);
    channel.retryNow(); // the phone's `online` event while that re-join is on its way
    channel.retryNow();
    expect(calls).toBe(2);
    pending.shift()!('u'.repeat(30));
    await Promise.resolve();
    await Promise.resolve();
    expect(sockets).toHaveLength(2);
    channel.stop();
  });
});
