import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deleteDoc, docValues, emptyDoc, mergeDoc, patchDoc, type DocRecord } from './doc';
import { formatHlc } from './hlc';
import { canonicalJson, type Stamped } from './merge';
import { DocRecordSchema } from './wire';

const T = 1_700_000_000_000;

// Small value spaces, so equal stamps, equal values and real conflicts all occur often.
const arbHlc = fc
  .record({ ms: fc.integer({ min: T, max: T + 3 }), counter: fc.integer({ min: 0, max: 2 }), deviceId: fc.constantFrom('a', 'b', 'c') })
  .map(formatHlc);
const stamped = <V>(value: fc.Arbitrary<V>) => fc.record({ value, hlc: arbHlc });
/** Any subset of the registers: a device knows only the fields it (or its pulls) wrote. */
const partial = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, stamped(v)])), { requiredKeys: [] }) as fc.Arbitrary<Record<string, Stamped<unknown>>>;

const arbProfile: fc.Arbitrary<DocRecord> = partial({
  age: fc.constantFrom(30, 31, 45),
  sex: fc.constantFrom('male', 'female'),
  weightKg: fc.constantFrom(60, 72.5),
  restingHr: fc.constantFrom(50, 58),
  maxHr: fc.constantFrom({ method: 'tanaka', measured: null }, { method: 'measured', measured: 184 }, { method: 'measured', measured: 190 }),
  zones: fc.constantFrom({ model: 'percent-max', customBounds: null }, { model: 'custom', customBounds: [100, 120, 140, 160, 175] }),
}).map((fields) => ({ type: 'profile' as const, id: 'profile', fields }));

const body = (name: string) => ({ v: 1, mode: 'stopwatch', name });
const arbPlanLive: fc.Arbitrary<DocRecord> = partial({
  name: fc.constantFrom('Tabata', 'Hills', 'Easy'),
  body: fc.constantFrom(body('Tabata'), body('Hills')),
}).map((fields) => ({ type: 'plan' as const, id: 'plan1', fields }));
const arbPlanTomb: fc.Arbitrary<DocRecord> = arbHlc.map((deletedAt) => ({ type: 'plan' as const, id: 'plan1', fields: {}, deletedAt }));
const arbPlan = fc.oneof({ arbitrary: arbPlanLive, weight: 3 }, { arbitrary: arbPlanTomb, weight: 1 });

function same(a: DocRecord, b: DocRecord): void {
  expect(canonicalJson(a)).toBe(canonicalJson(b));
}

describe.each([
  ['profile', arbProfile],
  ['plan', arbPlan],
])('mergeDoc laws (%s)', (_, arb) => {
  it('is idempotent', () => fc.assert(fc.property(arb, (a) => same(mergeDoc(a, a), a))));
  it('is commutative', () => fc.assert(fc.property(arb, arb, (a, b) => same(mergeDoc(a, b), mergeDoc(b, a)))));
  it('is associative', () =>
    fc.assert(fc.property(arb, arb, arb, (a, b, c) => same(mergeDoc(mergeDoc(a, b), c), mergeDoc(a, mergeDoc(b, c))))));
  it('every merge result is a valid wire record', () =>
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        expect(DocRecordSchema.safeParse(mergeDoc(a, b)).success).toBe(true);
      }),
    ));
});

describe('mergeDoc fields', () => {
  const h = (ms: number, device: string) => formatHlc({ ms, counter: 0, deviceId: device });

  it('merges two offline edits field by field: each device keeps the fields it changed last', () => {
    const start = patchDoc(emptyDoc('profile', 'profile'), { age: 40, weightKg: 80, restingHr: 60 }, h(T, 'a'));
    const phone = patchDoc(start, { weightKg: 78 }, h(T + 10, 'a'));
    const laptop = patchDoc(start, { restingHr: 55, weightKg: 79 }, h(T + 5, 'b'));
    expect(docValues(mergeDoc(phone, laptop))).toEqual({ age: 40, weightKg: 78, restingHr: 55 });
  });

  it('keeps a deleted plan deleted through any later edit or merge', () => {
    fc.assert(
      fc.property(arbPlanTomb, fc.array(arbPlan, { maxLength: 8 }), fc.nat(), (tomb, others, at) => {
        const seq = [...others];
        seq.splice(at % (others.length + 1), 0, tomb);
        const merged = seq.reduce((acc, r) => mergeDoc(acc, r));
        expect(merged.deletedAt).toBeDefined();
        expect(merged.fields).toEqual({});
        expect(patchDoc(merged, { name: 'back' }, h(T + 99, 'z'))).toBe(merged);
      }),
    );
  });

  it('refuses to merge different documents', () => {
    expect(() => mergeDoc(emptyDoc('plan', 'a'), emptyDoc('plan', 'b'))).toThrow(RangeError);
    expect(() => mergeDoc(emptyDoc('plan', 'profile'), emptyDoc('profile', 'profile'))).toThrow(RangeError);
    expect(deleteDoc(emptyDoc('plan', 'a'), h(T, 'a')).deletedAt).toBe(h(T, 'a'));
  });
});
