import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HR_BURST, initialHrPace, paceHr, type HrPaceRule } from '../../../core/rooms';
import { paceInSlots, paceSlots, readPace, writePace } from './pace-slots';

const rule: HrPaceRule = { minIntervalMs: 900, burst: DEFAULT_HR_BURST };

describe('pace slots', () => {
  it('give back the state they were given, null offset and infinities included', () => {
    const first = initialHrPace(rule, 1_796_000_000_123);
    expect(first.offset).toBeNull();
    expect(readPace(paceSlots(first))).toEqual(first);
    const later = { lastSeq: Number.MAX_SAFE_INTEGER, lastT: 123_456.789, lastAt: 1_796_000_000_999, offset: -12.5, tokens: 3.25, tokensAt: 1_796_000_001_000 };
    const slots = paceSlots(first);
    writePace(slots, later);
    expect(readPace(slots)).toEqual(later);
  });

  it('pace a stream of readings exactly as the state objects do', () => {
    let state = initialHrPace(rule, 1_000_000);
    const slots = paceSlots(state);
    // Readings a second apart by the sender's clock, some bunched on arrival, one repeated.
    const frames = [0, 1, 2, 2, 3, 4, 5, 6].map((i, n) => ({ seq: i, t: 50_000 + i * 1000, recv: 1_000_000 + (n < 4 ? n * 1000 : 6_000 + n * 10) }));
    for (const f of frames) {
      const viaObjects = paceHr(state, f, f.recv, rule);
      const viaSlots = paceHr(readPace(slots), f, f.recv, rule);
      expect(viaSlots).toEqual(viaObjects);
      state = viaObjects.state;
      writePace(slots, viaSlots.state);
    }
    expect(readPace(slots)).toEqual(state);
  });

  it('paceInSlots decides, times and leaves the state as paceHr does, over any stream of frames', () => {
    // Frames with or without seq/t (old clients), repeated and reordered sequence numbers,
    // sender clocks that jump, arrivals bunched or far apart, and rules of any interval and burst.
    const frame = fc.record({
      seq: fc.option(fc.integer({ min: -2, max: 40 }), { nil: undefined }),
      dt: fc.integer({ min: -2_000, max: 5_000 }),
      recvGap: fc.integer({ min: 0, max: 4_000 }),
    });
    fc.assert(
      fc.property(
        fc.record({ minIntervalMs: fc.integer({ min: 100, max: 2_000 }), burst: fc.integer({ min: 1, max: 12 }) }),
        fc.boolean(),
        fc.array(frame, { minLength: 1, maxLength: 40 }),
        (paceRule, withClock, frames) => {
          let recv = 1_796_000_000_000;
          let senderT = 10_000;
          let state = initialHrPace(paceRule, recv);
          const slots = paceSlots(state);
          for (const f of frames) {
            recv += f.recvGap;
            senderT += f.dt;
            const msg = withClock ? { seq: f.seq, t: f.seq === undefined ? undefined : senderT } : {};
            const expected = paceHr(state, msg, recv, paceRule);
            const at = paceInSlots(slots, msg, recv, paceRule);
            expect(Number.isNaN(at) ? null : at).toBe(expected.accept ? expected.at : null);
            state = expected.state;
            expect(readPace(slots)).toEqual(state);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
