import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SILENT_AFTER_MS,
  createConnectionReducer,
  initialConnectionState,
  reduceConnection,
} from './connection-machine';
import type {
  ConnectionEffect,
  ConnectionEvent,
  ConnectionOptions,
  ConnectionReducer,
  ConnectionState,
} from './connection-types';
import { mulberry32 } from './prng';

/** Drives a reducer with a fake clock and seeded randomness, keeping every effect. */
function harness(options: Partial<ConnectionOptions> = {}, seed = 1) {
  const reduce: ConnectionReducer = createConnectionReducer(options);
  const random = mulberry32(seed);
  let state: ConnectionState = initialConnectionState({ secureContext: true, webBluetooth: true });
  let now = 0;
  const log: { at: number; effect: ConnectionEffect }[] = [];
  return {
    get state() {
      return state;
    },
    get now() {
      return now;
    },
    log,
    /** Advances the clock to `at` and dispatches; returns this step's effects. */
    send(event: ConnectionEvent, at = now): ConnectionEffect[] {
      now = at;
      const result = reduce(state, event, now, random);
      state = result.state;
      for (const effect of result.effects) log.push({ at: now, effect });
      return result.effects;
    },
    gaps() {
      return log.flatMap(({ effect }) => (effect.type === 'report-gap' ? [effect] : []));
    },
  };
}

const beat = (bpm = 120, contact: 'detected' | 'not-detected' | 'unsupported' = 'detected'): ConnectionEvent => ({
  type: 'notification',
  measurement: { bpm, contact },
});

/** idle → choosing → connecting → streaming, with a first good reading at t = 1 s. */
function streaming(options: Partial<ConnectionOptions> = {}, seed = 1) {
  const h = harness(options, seed);
  h.send({ type: 'user-select' }, 0);
  h.send({ type: 'device-chosen' }, 500);
  h.send({ type: 'connected' }, 800);
  h.send(beat(), 1_000);
  return h;
}

describe('initialConnectionState', () => {
  it('says why Web Bluetooth cannot be used', () => {
    expect(initialConnectionState({ secureContext: false, webBluetooth: false })).toEqual({
      kind: 'unsupported',
      reason: 'insecure-context',
      gap: null,
    });
    expect(initialConnectionState({ secureContext: true, webBluetooth: false })).toMatchObject({ reason: 'no-web-bluetooth' });
    expect(initialConnectionState({ secureContext: true, webBluetooth: true })).toEqual({ kind: 'idle', gap: null });
  });

  it('ignores every event when unsupported', () => {
    const state = initialConnectionState({ secureContext: true, webBluetooth: false });
    expect(reduceConnection(state, { type: 'user-select' }, 0, Math.random)).toEqual({ state, effects: [] });
  });
});

describe('connecting', () => {
  it('opens the chooser, connects, then subscribes', () => {
    const h = harness();
    expect(h.send({ type: 'user-select' }, 0)).toEqual([{ type: 'open-chooser' }]);
    expect(h.state.kind).toBe('choosing');
    expect(h.send({ type: 'device-chosen' }, 500)).toEqual([{ type: 'connect', attempt: 0, deadline: 15_500 }]);
    expect(h.send({ type: 'connected' }, 800)).toEqual([{ type: 'subscribe' }]);
    expect(h.state).toEqual({ kind: 'streaming', lastNotificationAt: 800, gap: null });
    expect(h.send(beat(), 1_000)).toEqual([]);
  });

  it('reports a cancelled chooser as lost, and opens it again on retry', () => {
    const h = harness();
    h.send({ type: 'user-select' }, 0);
    h.send({ type: 'chooser-cancelled' }, 3_000);
    expect(h.state).toMatchObject({ kind: 'lost', reason: 'chooser-cancelled' });
    expect(h.send({ type: 'retry' })).toEqual([{ type: 'open-chooser' }]);
    expect(h.state.kind).toBe('choosing');
  });

  it('abandons a hung first connect at its deadline and says so', () => {
    const h = harness();
    h.send({ type: 'user-select' }, 0);
    h.send({ type: 'device-chosen' }, 0);
    expect(h.send({ type: 'tick' }, 14_999)).toEqual([]);
    expect(h.send({ type: 'tick' }, 15_000)).toEqual([{ type: 'disconnect' }]);
    expect(h.state).toMatchObject({ kind: 'lost', reason: 'timeout' });
    // "Try again" on a lost link reconnects to the same strap.
    expect(h.send({ type: 'retry' }, 20_000)).toEqual([{ type: 'connect', attempt: 0, deadline: 35_000 }]);
  });

  it('treats the adapter timeout event like a passed deadline', () => {
    const h = harness();
    h.send({ type: 'user-select' }, 0);
    h.send({ type: 'device-chosen' }, 0);
    h.send({ type: 'timeout' }, 2_000);
    expect(h.state).toMatchObject({ kind: 'lost', reason: 'timeout' });
  });

  it('reports a missing service as a GATT error', () => {
    const h = harness();
    h.send({ type: 'user-select' }, 0);
    h.send({ type: 'device-chosen' }, 0);
    h.send({ type: 'gatt-error', message: 'No Services matching UUID 0x180d found', retryable: false }, 100);
    expect(h.state).toMatchObject({ kind: 'lost', reason: 'gatt-error', message: 'No Services matching UUID 0x180d found' });
  });
});

describe('drops and reconnects', () => {
  it('reports a gap, backs off, reconnects, resubscribes and closes the gap on the next reading', () => {
    const h = streaming();
    const onDrop = h.send({ type: 'disconnected' }, 10_000);
    expect(onDrop[0]).toEqual({ type: 'report-gap', edge: 'start', reason: 'disconnected', at: 10_000 });
    const schedule = onDrop[1];
    expect(schedule?.type).toBe('schedule-retry');
    const at = (schedule as { at: number }).at;
    expect(at).toBeGreaterThanOrEqual(11_000);
    expect(at).toBeLessThanOrEqual(13_000);
    expect(h.state).toMatchObject({ kind: 'reconnecting', attempt: 1, nextTryAt: at });

    expect(h.send({ type: 'retry' }, at)).toEqual([{ type: 'connect', attempt: 1, deadline: at + 15_000 }]);
    expect(h.send({ type: 'connected' }, at + 700)).toEqual([{ type: 'subscribe' }]);
    expect(h.send(beat(0), at + 900)).toEqual([]); // 0 bpm does not end a gap
    expect(h.send(beat(130), at + 1_900)).toEqual([
      { type: 'report-gap', edge: 'end', reason: 'disconnected', at: at + 1_900 },
    ]);
  });

  it('retries a hung reconnect attempt with a longer wait', () => {
    const h = streaming({ backoff: { baseMs: 1_000, capMs: 30_000, jitter: 'full' } }, 3);
    h.send({ type: 'disconnected' }, 10_000);
    const first = h.state;
    if (first.kind !== 'reconnecting') throw new Error('expected reconnecting');
    h.send({ type: 'tick' }, first.nextTryAt);
    expect(h.state.kind).toBe('connecting');
    const effects = h.send({ type: 'tick' }, first.nextTryAt + 15_000);
    expect(effects[0]).toEqual({ type: 'disconnect' });
    expect(h.state).toMatchObject({ kind: 'reconnecting', attempt: 2 });
  });

  it('accepts a link the platform restored on its own', () => {
    const h = streaming();
    h.send({ type: 'disconnected' }, 10_000);
    expect(h.send({ type: 'connected' }, 10_500)).toEqual([{ type: 'cancel-retry' }, { type: 'subscribe' }]);
    expect(h.state.kind).toBe('streaming');
  });

  /** A strap that never answers: follow every scheduled retry and let each connect time out. */
  function neverComesBack(options: Partial<ConnectionOptions>, seed: number) {
    const h = streaming(options, seed);
    h.send({ type: 'disconnected' }, 10_000);
    const waits: number[] = [];
    for (let guard = 0; guard < 1_000 && h.state.kind !== 'lost'; guard++) {
      const state = h.state;
      if (state.kind === 'reconnecting') {
        waits.push(state.nextTryAt - h.now);
        h.send({ type: 'retry' }, state.nextTryAt);
      } else if (state.kind === 'connecting') {
        h.send({ type: 'tick' }, state.deadline);
      }
    }
    return { h, waits };
  }

  it('gives up after five minutes by default, never waiting more than 30 s between tries', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { h, waits } = neverComesBack({}, seed);
      expect(h.state).toMatchObject({ kind: 'lost', reason: 'gave-up' });
      expect(h.state.kind === 'lost' && h.state.message).toMatch(/did not come back/);
      expect(h.now - 10_000).toBeLessThanOrEqual(5 * 60_000);
      expect(h.now - 10_000).toBeGreaterThan(4 * 60_000);
      expect(Math.max(...waits)).toBeLessThanOrEqual(30_000);
      expect(waits.length).toBeGreaterThan(5);
      // The gap stays open: there is still no data.
      expect(h.state.gap).toEqual({ reason: 'disconnected', since: 10_000 });
    }
  });

  it('gives up after the attempt limit', () => {
    const { h, waits } = neverComesBack({ maxAttempts: 3 }, 9);
    expect(waits).toHaveLength(3);
    expect(h.state).toMatchObject({ kind: 'lost', reason: 'gave-up' });
    expect(h.state.kind === 'lost' && h.state.message).toMatch(/3 attempts/);
  });

  it('replays the same schedule for the same seed and spreads different seeds', () => {
    const a = neverComesBack({}, 11).waits;
    expect(neverComesBack({}, 11).waits).toEqual(a);
    expect(neverComesBack({}, 12).waits).not.toEqual(a);
  });

  it('stops reconnecting when the user disconnects, closing the gap', () => {
    const h = streaming();
    h.send({ type: 'disconnected' }, 10_000);
    expect(h.send({ type: 'user-disconnect' }, 11_000)).toEqual([
      { type: 'cancel-retry' },
      { type: 'report-gap', edge: 'end', reason: 'disconnected', at: 11_000 },
    ]);
    expect(h.state).toEqual({ kind: 'idle', gap: null });
  });

  it('ends on a GATT error no reconnect can cure, leaving the gap open', () => {
    const h = streaming();
    h.send({ type: 'gatt-error', message: 'GATT Server is disconnected', retryable: false }, 5_000);
    expect(h.state).toMatchObject({ kind: 'lost', reason: 'gatt-error', gap: { reason: 'disconnected', since: 5_000 } });
  });
});

describe('silence', () => {
  it('turns silent after SILENT_AFTER_MS without a notification, and back on the next one', () => {
    const h = streaming();
    expect(SILENT_AFTER_MS).toBe(5_000);
    expect(h.send({ type: 'tick' }, 1_000 + 4_999)).toEqual([]);
    expect(h.send({ type: 'tick' }, 1_000 + 5_000)).toEqual([
      { type: 'report-gap', edge: 'start', reason: 'silence', at: 1_000 },
      { type: 'recheck-link' },
    ]);
    expect(h.state).toMatchObject({ kind: 'silent', lastNotificationAt: 1_000 });
    expect(h.send({ type: 'tick' }, 7_000)).toEqual([]);
    expect(h.send(beat(), 8_000)).toEqual([{ type: 'report-gap', edge: 'end', reason: 'silence', at: 8_000 }]);
    expect(h.state.kind).toBe('streaming');
  });

  it('honours a configured silence threshold', () => {
    const h = streaming({ silentAfterMs: 2_000 });
    h.send({ type: 'tick' }, 3_000);
    expect(h.state.kind).toBe('silent');
  });

  it('treats a long silence as a dead link and reconnects', () => {
    const h = streaming();
    h.send({ type: 'tick' }, 6_000);
    const effects = h.send({ type: 'tick' }, 21_000);
    expect(effects[0]).toEqual({ type: 'disconnect' });
    expect(effects[1]?.type).toBe('schedule-retry');
    expect(h.state).toMatchObject({ kind: 'reconnecting', attempt: 1, gap: { reason: 'silence', since: 1_000 } });
  });
});

describe('readings that are gaps', () => {
  it('reports 0 bpm and lost skin contact as one gap, ended by a real reading', () => {
    const h = streaming();
    expect(h.send(beat(0), 2_000)).toEqual([{ type: 'report-gap', edge: 'start', reason: 'no-reading', at: 2_000 }]);
    expect(h.send(beat(0), 3_000)).toEqual([]);
    expect(h.send(beat(95, 'not-detected'), 4_000)).toEqual([]);
    expect(h.send(beat(96), 5_000)).toEqual([{ type: 'report-gap', edge: 'end', reason: 'no-reading', at: 5_000 }]);
    expect(h.send(beat(97, 'not-detected'), 6_000)).toEqual([
      { type: 'report-gap', edge: 'start', reason: 'no-contact', at: 6_000 },
    ]);
    expect(h.send(beat(98, 'unsupported'), 7_000)).toEqual([{ type: 'report-gap', edge: 'end', reason: 'no-contact', at: 7_000 }]);
  });
});

describe('visibility', () => {
  it('re-checks the link when the page is visible again', () => {
    const h = streaming();
    expect(h.send({ type: 'visibility-visible' }, 2_000)).toEqual([{ type: 'recheck-link' }]);
  });

  it('notices a silence that throttled ticks missed', () => {
    const h = streaming();
    h.send({ type: 'visibility-visible' }, 9_000);
    expect(h.state).toMatchObject({ kind: 'silent', gap: { reason: 'silence', since: 1_000 } });
  });

  it('tries a pending reconnect at once', () => {
    const h = streaming();
    h.send({ type: 'disconnected' }, 10_000);
    expect(h.send({ type: 'visibility-visible' }, 10_100)).toEqual([
      { type: 'cancel-retry' },
      { type: 'connect', attempt: 1, deadline: 25_100 },
    ]);
  });
});

describe('properties', () => {
  const event = fc.oneof(
    fc.constantFrom<ConnectionEvent>(
      { type: 'user-select' },
      { type: 'device-chosen' },
      { type: 'chooser-cancelled' },
      { type: 'connected' },
      { type: 'disconnected' },
      { type: 'user-disconnect' },
      { type: 'timeout' },
      { type: 'tick' },
      { type: 'visibility-visible' },
      { type: 'retry' },
      { type: 'gatt-error', message: 'x', retryable: true },
      { type: 'gatt-error', message: 'y', retryable: false },
    ),
    fc.record({
      type: fc.constant('notification' as const),
      measurement: fc.record({
        bpm: fc.constantFrom(0, 60, 150),
        contact: fc.constantFrom('unsupported' as const, 'not-detected' as const, 'detected' as const),
      }),
    }),
  );

  it('keeps gap edges paired and waits between tries bounded, whatever happens', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(event, fc.integer({ min: 0, max: 40_000 })), { maxLength: 120 }), fc.integer(), (steps, seed) => {
        const h = harness({}, seed);
        for (const [e, dt] of steps) {
          const before = h.now;
          h.send(e, before + dt);
          const s = h.state;
          if (s.kind === 'reconnecting') {
            expect(s.nextTryAt - h.now).toBeLessThanOrEqual(30_000);
            expect(s.nextTryAt).toBeLessThanOrEqual(s.retry.giveUpAt);
          }
          if (s.kind === 'idle') expect(s.gap).toBeNull();
        }
        let open = false;
        for (const gap of h.gaps()) {
          expect(gap.edge).toBe(open ? 'end' : 'start');
          open = !open;
        }
        expect(open).toBe(h.state.gap !== null);
      }),
      { numRuns: 500 },
    );
  });
});
