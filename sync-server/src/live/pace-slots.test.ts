import { describe, expect, it } from 'vitest';
import { DEFAULT_HR_BURST, initialHrPace, paceHr, type HrPaceRule } from '../../../core/rooms';
import { paceSlots, readPace, writePace } from './pace-slots';

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
});
