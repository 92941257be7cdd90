import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HLC_MAX_COUNTER,
  checkHlcDrift,
  compareHlc,
  compareHlcStrings,
  formatHlc,
  hlcReceive,
  hlcSend,
  hlcZero,
  isValidHlc,
  parseHlc,
  type Hlc,
  type HlcResult,
} from './hlc';

const T = 1_700_000_000_000;

function unwrap(r: HlcResult): Hlc {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.hlc;
}

const arbDeviceId = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const arbHlc: fc.Arbitrary<Hlc> = fc.record({
  ms: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 999_999_999_999_999 })),
  counter: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: HLC_MAX_COUNTER })),
  deviceId: arbDeviceId,
});

describe('hlc string form', () => {
  it('formats with fixed widths', () => {
    expect(formatHlc({ ms: T, counter: 31, deviceId: 'watch-b2' })).toBe('001700000000000-001f-watch-b2');
  });

  it('round-trips and sorts like compareHlc', () => {
    fc.assert(
      fc.property(arbHlc, arbHlc, (a, b) => {
        expect(unwrap(parseHlc(formatHlc(a)))).toEqual(a);
        expect(compareHlcStrings(formatHlc(a), formatHlc(b))).toBe(compareHlc(a, b));
      }),
    );
  });

  it('rejects malformed strings', () => {
    for (const s of ['', '1700000000000-0000-a', '001700000000000-001F-a', '001700000000000-0000-', '001700000000000-0000-a b']) {
      const r = parseHlc(s);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid_hlc');
    }
  });
});

describe('hlcSend', () => {
  it('follows the wall clock when it moves forward', () => {
    const a = unwrap(hlcSend(hlcZero('a'), T));
    expect(a).toEqual({ ms: T, counter: 0, deviceId: 'a' });
    expect(unwrap(hlcSend(a, T + 5))).toEqual({ ms: T + 5, counter: 0, deviceId: 'a' });
  });

  it('stays monotonic when the wall clock stalls or goes backwards', () => {
    const a = unwrap(hlcSend(hlcZero('a'), T));
    const b = unwrap(hlcSend(a, T));
    const c = unwrap(hlcSend(b, T - 3_600_000));
    expect(b).toEqual({ ms: T, counter: 1, deviceId: 'a' });
    expect(c).toEqual({ ms: T, counter: 2, deviceId: 'a' });
  });

  it('reports counter overflow as a value', () => {
    const r = hlcSend({ ms: T, counter: HLC_MAX_COUNTER, deviceId: 'a' }, T);
    expect(r).toMatchObject({ ok: false, error: { code: 'counter_overflow' } });
  });

  it('reports an invalid wall time as a value', () => {
    expect(hlcSend(hlcZero('a'), Number.NaN)).toMatchObject({ ok: false, error: { code: 'invalid_time' } });
    expect(hlcSend(hlcZero('a'), -1)).toMatchObject({ ok: false, error: { code: 'invalid_time' } });
  });

  it('is strictly increasing for any sequence of wall times', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 * T }), { maxLength: 50 }), (nows) => {
        let clock = hlcZero('a');
        for (const now of nows) {
          const next = unwrap(hlcSend(clock, now));
          expect(compareHlc(next, clock)).toBe(1);
          expect(next.ms).toBeGreaterThanOrEqual(now);
          clock = next;
        }
      }),
    );
  });
});

describe('hlcReceive', () => {
  it('jumps past a remote timestamp from the same millisecond', () => {
    const local = { ms: T, counter: 2, deviceId: 'a' };
    const remote = { ms: T, counter: 7, deviceId: 'b' };
    expect(unwrap(hlcReceive(local, remote, T - 10))).toEqual({ ms: T, counter: 8, deviceId: 'a' });
  });

  it('adopts a remote clock that is slightly ahead of a slow local clock', () => {
    const remote = { ms: T + 60_000, counter: 4, deviceId: 'b' };
    expect(unwrap(hlcReceive(hlcZero('a'), remote, T))).toEqual({ ms: T + 60_000, counter: 5, deviceId: 'a' });
  });

  it('refuses a remote clock beyond the drift bound, as a value', () => {
    const remote = { ms: T + 10 * 60_000, counter: 0, deviceId: 'b' };
    const r = hlcReceive(hlcZero('a'), remote, T);
    expect(r).toMatchObject({ ok: false, error: { code: 'clock_drift' } });
    expect(hlcReceive(hlcZero('a'), remote, T, { maxDriftMs: 3_600_000 }).ok).toBe(true);
    expect(checkHlcDrift(remote, T)?.code).toBe('clock_drift');
    expect(checkHlcDrift(remote, T + 10 * 60_000)).toBeNull();
  });

  it('is greater than both inputs and never below the wall clock', () => {
    fc.assert(
      fc.property(arbHlc, arbHlc, fc.integer({ min: 0, max: 999_999_999_999_999 }), (local, remote, now) => {
        fc.pre(local.counter < HLC_MAX_COUNTER && remote.counter < HLC_MAX_COUNTER);
        const r = hlcReceive(local, remote, now, { maxDriftMs: Number.MAX_SAFE_INTEGER });
        const next = unwrap(r);
        expect(isValidHlc(next)).toBe(true);
        expect(next.deviceId).toBe(local.deviceId);
        expect(next.ms).toBeGreaterThanOrEqual(now);
        expect(next.ms > local.ms || (next.ms === local.ms && next.counter > local.counter)).toBe(true);
        expect(next.ms > remote.ms || (next.ms === remote.ms && next.counter > remote.counter)).toBe(true);
      }),
    );
  });
});

describe('compareHlc', () => {
  it('breaks ties by device id', () => {
    const a = { ms: T, counter: 0, deviceId: 'a' };
    const b = { ms: T, counter: 0, deviceId: 'b' };
    expect(compareHlc(a, b)).toBe(-1);
    expect(compareHlc(b, a)).toBe(1);
    expect(compareHlc(a, { ...a })).toBe(0);
  });
});
