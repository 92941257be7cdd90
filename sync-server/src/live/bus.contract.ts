import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessEvent, LiveBus, RoomEvent } from './bus';

/**
 * One suite for every LiveBus (memory-bus.test.ts, tests/integration/stores/live-bus.redis.test.ts).
 * `bus` and `other` stand for two server processes sharing the bus (the memory bus: the same
 * instance, it has only one process). `outage` cuts the bus off and brings it back (Redis:
 * stop and restart the server); absent where a bus cannot be cut off.
 * Absence is always asserted against a later event that must arrive after it, never after a sleep.
 */
export interface LiveBusFixture {
  bus: LiveBus;
  other: LiveBus;
  /** Cuts the bus off, runs `whileDown`, brings it back. */
  outage?: (whileDown?: () => Promise<void>) => Promise<void>;
  /** Makes the bus stop answering without closing anything (a frozen Redis), runs `whileStalled`, lets it answer again. */
  stall?: (whileStalled: () => Promise<void>) => Promise<void>;
  dispose(): Promise<void>;
}

const ROOM = 'roomaaaaaaaaaaa';
const ROOM_B = 'roombbbbbbbbbbb';
const hr = (bpm: number): RoomEvent => ({ type: 'hr', participantId: 'ppppppppppppppp', bpm, kcal: null, at: bpm });

/** Collects events and resolves waiters as they arrive. */
function inbox<T>() {
  const got: T[] = [];
  const waiters = new Set<() => void>();
  return {
    got,
    push(e: T) {
      got.push(e);
      waiters.forEach((w) => w());
    },
    until(pred: (all: T[]) => boolean, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pred(got)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out with ${got.length} events: ${JSON.stringify(got.slice(-3))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * `canFail`: the bus is a separate service that can go away (Redis). The in-process bus cannot,
 * so the outage case is not defined for it at all (rather than defined and skipped).
 */
export function liveBusContract(name: string, make: () => Promise<LiveBusFixture>, caps: { canFail: boolean } = { canFail: false }) {
  describe(`LiveBus contract: ${name}`, () => {
    let f: LiveBusFixture;
    beforeEach(async () => {
      f = await make();
    });
    afterEach(async () => {
      await f.dispose();
    });

    it('delivers a room’s events in publish order, to every process, and only that room’s', async () => {
      const here = inbox<RoomEvent>();
      const there = inbox<RoomEvent>();
      const elsewhere = inbox<RoomEvent>();
      await f.bus.subscribe(ROOM, here.push);
      await f.other.subscribe(ROOM, there.push);
      await f.bus.subscribe(ROOM_B, elsewhere.push);
      for (let i = 1; i <= 200; i++) f.other.publish(ROOM, hr(i));
      f.other.publish(ROOM_B, { type: 'room-deleted' });
      await Promise.all([here.until((g) => g.length === 200), there.until((g) => g.length === 200), elsewhere.until((g) => g.length === 1)]);
      const bpms = (g: RoomEvent[]) => g.map((e) => (e.type === 'hr' ? e.bpm : -1));
      expect(bpms(here.got)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(bpms(there.got)).toEqual(bpms(here.got));
      expect(elsewhere.got).toEqual([{ type: 'room-deleted' }]);
    });

    it('200 parallel publishers from two processes: every event arrives once', async () => {
      const here = inbox<RoomEvent>();
      await f.bus.subscribe(ROOM, here.push);
      await Promise.all(Array.from({ length: 200 }, async (_, i) => (i % 2 ? f.bus : f.other).publish(ROOM, hr(i + 1))));
      await here.until((g) => g.length === 200);
      expect(new Set(here.got.map((e) => (e.type === 'hr' ? e.bpm : 0))).size).toBe(200);
    });

    it('after unsubscribe nothing more arrives (checked against a later event on the same process)', async () => {
      const gone = inbox<RoomEvent>();
      const marker = inbox<RoomEvent>();
      const off = await f.bus.subscribe(ROOM, gone.push);
      f.other.publish(ROOM, hr(1));
      await gone.until((g) => g.length === 1);
      off();
      await f.bus.subscribe(ROOM_B, marker.push);
      f.other.publish(ROOM, hr(2));
      f.other.publish(ROOM_B, hr(3));
      await marker.until((g) => g.length === 1);
      expect(gone.got).toHaveLength(1);
    });

    it('the access channel reaches every process until unsubscribed', async () => {
      const here = inbox<AccessEvent>();
      const there = inbox<AccessEvent>();
      const offHere = f.bus.subscribeAccess(here.push);
      f.other.subscribeAccess(there.push);
      // Redis subscribes to the access channel when the bus starts; a room event published
      // after the access event from the same process arrives after it.
      const marker = inbox<RoomEvent>();
      await f.bus.subscribe(ROOM, marker.push);
      f.other.publishAccess({ type: 'sessions-revoked', userId: 'uuuuuuuuuuuuuuu' });
      f.other.publishAccess({ type: 'session-revoked', sessionId: 'sssssssssssssss' });
      await Promise.all([here.until((g) => g.length === 2), there.until((g) => g.length === 2)]);
      expect(here.got).toEqual([
        { type: 'sessions-revoked', userId: 'uuuuuuuuuuuuuuu' },
        { type: 'session-revoked', sessionId: 'sssssssssssssss' },
      ]);
      offHere();
      f.other.publishAccess({ type: 'sessions-revoked', userId: 'vvvvvvvvvvvvvvv' });
      f.other.publish(ROOM, hr(9));
      await Promise.all([marker.until((g) => g.length === 1), there.until((g) => g.length === 3)]);
      expect(here.got).toHaveLength(2);
    });

    it('remember / recall / forget, shared by every process; 200 parallel writers all kept', async () => {
      f.bus.remember(ROOM, 'p1', { hr: { bpm: 120, kcal: null, at: 5 }, seenAt: Date.now() });
      f.bus.remember(ROOM, 'p2', { hr: null, seenAt: Date.now() });
      expect([...(await f.bus.recall(ROOM)).keys()].sort()).toEqual(['p1', 'p2']);
      expect((await f.other.recall(ROOM)).get('p1')?.hr?.bpm).toBe(120);
      f.bus.forget(ROOM, 'p1');
      expect([...(await f.bus.recall(ROOM)).keys()]).toEqual(['p2']);
      expect((await f.bus.recall(ROOM_B)).size).toBe(0);
      // Racing writers on one participant: the last write of a process wins, nothing is torn.
      await Promise.all(Array.from({ length: 200 }, async (_, i) => f.other.remember(ROOM, `q${i}`, { hr: null, seenAt: Date.now() })));
      for (let i = 0; i < 50; i++) f.other.remember(ROOM, 'p2', { hr: { bpm: 60 + i, kcal: null, at: i }, seenAt: Date.now() });
      const all = await f.other.recall(ROOM);
      expect(all.size).toBe(201);
      expect(all.get('p2')?.hr?.bpm).toBe(109);
    });

    if (caps.canFail) it('after an outage the bus says resync, and later events are delivered again', async () => {
      if (!f.outage) throw new Error('a bus that can fail must give the suite an outage() to cut it off');
      const here = inbox<RoomEvent>();
      const access = inbox<AccessEvent>();
      const resyncs = inbox<number>();
      await f.bus.subscribe(ROOM, here.push);
      f.bus.subscribeAccess(access.push);
      f.bus.onResync(() => resyncs.push(1));
      f.other.publish(ROOM, hr(1));
      await here.until((g) => g.length === 1);
      // A screen arriving while the bus is down neither hangs on the subscription nor on the memo.
      const late = inbox<RoomEvent>();
      await f.outage(async () => {
        await f.bus.subscribe(ROOM_B, late.push);
        expect((await f.bus.recall(ROOM_B)).size).toBe(0);
      });
      await resyncs.until((g) => g.length >= 1);
      // The other process may still be reconnecting: publish until one arrives (each one is a new event).
      for (let i = 2; here.got.length === 1 || late.got.length === 0; i++) {
        f.other.publish(ROOM, hr(i));
        f.other.publish(ROOM_B, hr(i));
        f.other.publishAccess({ type: 'sessions-revoked', userId: `u${i}` });
        await Promise.all([here.until((g) => g.length > 1, 500), late.until((g) => g.length > 0, 500)]).catch(() => undefined);
      }
      await access.until((g) => g.length >= 1);
      expect(here.got.at(-1)?.type).toBe('hr');
    });

    // A Redis that is gone before the client noticed (CI saw it: killed, the socket not yet closed)
    // or that stopped answering: a snapshot must still go out, without the memo, and not fail.
    if (caps.canFail) it('a bus that stops answering neither fails nor holds a snapshot, and delivers once it answers again', async () => {
      if (!f.stall) throw new Error('a bus that can fail must give the suite a stall() to freeze it');
      f.other.remember(ROOM, 'p1', { hr: { bpm: 120, kcal: null, at: 1 }, seenAt: Date.now() });
      expect((await f.bus.recall(ROOM)).size).toBe(1);
      const late = inbox<RoomEvent>();
      await f.stall(async () => {
        await f.bus.subscribe(ROOM_B, late.push);
        // Resolves (empty: the memo only adds to a snapshot) instead of waiting for the bus or throwing.
        expect((await f.bus.recall(ROOM)).size).toBe(0);
      });
      for (let i = 2; late.got.length === 0; i++) {
        f.other.publish(ROOM_B, hr(i));
        await late.until((g) => g.length > 0, 500).catch(() => undefined);
      }
      expect((await f.bus.recall(ROOM)).get('p1')?.hr?.bpm).toBe(120);
    });
  });
}
