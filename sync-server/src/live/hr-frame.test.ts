import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HrSchema } from '../../../core/rooms';
import { checkHrFrame } from './hr-frame';

/** Numbers around every bound HrSchema has, and the odd ones JSON can carry. */
const number = fc.oneof(
  fc.constantFrom(0, -0, 1, 255, 256, -1, 0.5, 100_000, 100_000.5, 100_001, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1e999, -1e999, 2 ** 53),
  fc.integer({ min: -10, max: 300 }),
  fc.double({ noNaN: true }),
  fc.nat(),
);
const value = fc.oneof(number, fc.constantFrom('hr', 'ping', '', 'abcdefghijklmno', 'ABCDEFGHIJKLMNO', 'abcdefghijklmn', '140', null, true, false), fc.string({ maxLength: 16 }), fc.constant([]), fc.constant({}));
const key = fc.constantFrom('type', 'bpm', 'kcal', 'points', 'participantId', 'seq', 't', 'at', 'extra', '__proto__', 'constructor');

/** Frames near HrSchema's edge: mostly valid fields, some missing, wrong or extra; as JSON.parse returns them. */
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: value, weight: 1 });
const frame = fc
  .record(
    {
      type: mostly(fc.constant('hr')),
      bpm: mostly(fc.integer({ min: 1, max: 255 })),
      kcal: mostly(fc.double({ min: 0, max: 100_000, noNaN: true })),
      points: mostly(fc.integer({ min: 0, max: 100_000 })),
      participantId: mostly(fc.stringMatching(/^[a-z0-9]{15}$/)),
      seq: mostly(fc.nat()),
      t: mostly(fc.double({ min: 0, max: 1e12, noNaN: true })),
    },
    // Any key may be missing (each is left out as often as not).
    { requiredKeys: [] },
  )
  .chain((r) => fc.option(fc.dictionary(key, value, { minKeys: 1, maxKeys: 2 }), { freq: 3 }).map((extra) => (extra ? { ...r, ...extra } : r)))
  .map((r) => JSON.parse(JSON.stringify(r).replace(/"(-?)Infinity"/g, '$11e999')) as unknown);

describe('checkHrFrame', () => {
  it('accepts exactly what HrSchema accepts, and returns what HrSchema returns', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(frame, value), (v) => {
        const z = HrSchema.safeParse(v);
        const mine = checkHrFrame(v);
        accepted += z.success ? 1 : 0;
        expect(mine !== null).toBe(z.success);
        if (z.success) expect(mine).toStrictEqual(z.data);
      }),
      { numRuns: 5_000 },
    );
    // Both sides of the edge were tried.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(4_900);
  });

  it('takes a phone’s frame and refuses the usual mistakes', () => {
    const ok = { type: 'hr', bpm: 142, points: 17, seq: 3, t: 1234.5 };
    expect(checkHrFrame(ok)).toBe(ok);
    expect(checkHrFrame({ type: 'hr', bpm: 142 })).not.toBeNull();
    for (const bad of [{ type: 'hr', bpm: 0 }, { type: 'hr', bpm: 140, seq: 3 }, { type: 'hr', bpm: 140, at: 5 }, { type: 'hr', bpm: '140' }, { type: 'ping', id: 1, t0: 1 }, null, [], 'hr']) {
      expect(checkHrFrame(bad)).toBeNull();
      expect(HrSchema.safeParse(bad).success).toBe(false);
    }
  });
});
