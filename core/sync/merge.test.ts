import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHlc } from './hlc';
import { executedWorkout } from '../workout/testing/executed-workout';
import {
  canonicalJson,
  deleteSession,
  immutableConflicts,
  mergeSession,
  patchSession,
  type LiveSession,
  type SessionRecord,
} from './merge';

const ID = '0190f6d2-8a4b-7c3d-9e1f-2a3b4c5d6e7f';
const T = 1_700_000_000_000;

// Two execution records of one session that disagree (as two buggy recorders would).
const EXECUTIONS = [executedWorkout().execution, executedWorkout({ tzOffsetMinutes: -300, profileSource: 'default' }).execution];
const RECOMPUTATIONS = EXECUTIONS.map((e) => ({ profile: e.profile, summary: e.summary }));

// Small value spaces, so equal stamps, equal values and real conflicts all occur often.
const arbHlc = fc
  .record({ ms: fc.integer({ min: T, max: T + 3 }), counter: fc.integer({ min: 0, max: 2 }), deviceId: fc.constantFrom('a', 'b', 'c') })
  .map(formatHlc);
const stamped = <T>(value: fc.Arbitrary<T>) => fc.record({ value, hlc: arbHlc });
const arbLive: fc.Arbitrary<LiveSession> = fc.record({
  kind: fc.constant('live' as const),
  id: fc.constant(ID),
  startedAt: fc.constantFrom(T, T + 1),
  plan: fc.constantFrom(null, { planId: 'p1', name: 'Intervals' }, { planId: 'p2', name: 'Easy' }),
  summary: fc.option(
    fc.record({
      endedAt: fc.constantFrom(T + 60_000, T + 120_000),
      durationMs: fc.constant(60_000),
      readingCount: fc.constant(60),
      avgBpm: fc.constantFrom(120, null),
      maxBpm: fc.constant(150),
      energyKj: fc.constant(null),
    }),
  ),
  // Absent (recorded by an older version, or pulled by one) as often as present.
  execution: fc.option(fc.constantFrom(...EXECUTIONS), { nil: undefined }),
  recomputed: fc.option(stamped(fc.constantFrom(...RECOMPUTATIONS)), { nil: undefined }),
  title: stamped(fc.constantFrom('', 'Morning ride', 'Intervals')),
  notes: stamped(fc.constantFrom('', 'legs tired')),
  tags: stamped(fc.constantFrom([], ['bike'], ['bike', 'z2'])),
});
const arbTombstone = fc.record({ kind: fc.constant('tombstone' as const), id: fc.constant(ID), deletedAt: arbHlc });
const arbRecord: fc.Arbitrary<SessionRecord> = fc.oneof({ arbitrary: arbLive, weight: 3 }, { arbitrary: arbTombstone, weight: 1 });

function same(a: SessionRecord, b: SessionRecord): void {
  expect(canonicalJson(a)).toBe(canonicalJson(b));
}

describe('mergeSession laws', () => {
  it('is idempotent', () => {
    fc.assert(fc.property(arbRecord, (a) => same(mergeSession(a, a), a)));
  });

  it('is commutative', () => {
    fc.assert(fc.property(arbRecord, arbRecord, (a, b) => same(mergeSession(a, b), mergeSession(b, a))));
  });

  it('is associative', () => {
    fc.assert(
      fc.property(arbRecord, arbRecord, arbRecord, (a, b, c) =>
        same(mergeSession(mergeSession(a, b), c), mergeSession(a, mergeSession(b, c))),
      ),
    );
  });

  it('keeps a tombstone through any sequence of merges and edits', () => {
    fc.assert(
      fc.property(arbTombstone, fc.array(arbRecord, { maxLength: 8 }), fc.nat(), (tombstone, others, at) => {
        const sequence = [...others];
        sequence.splice(at % (others.length + 1), 0, tombstone);
        const merged = sequence.reduce((acc, r) => mergeSession(acc, r));
        expect(merged.kind).toBe('tombstone');
        expect(patchSession(merged, 'title', 'resurrected', formatHlc({ ms: T + 10, counter: 0, deviceId: 'z' }))).toBe(merged);
      }),
    );
  });
});

describe('mergeSession fields', () => {
  const base: LiveSession = {
    kind: 'live',
    id: ID,
    startedAt: T,
    plan: null,
    summary: null,
    title: { value: 'Ride', hlc: formatHlc({ ms: T, counter: 0, deviceId: 'a' }) },
    notes: { value: '', hlc: formatHlc({ ms: T, counter: 0, deviceId: 'a' }) },
    tags: { value: [], hlc: formatHlc({ ms: T, counter: 0, deviceId: 'a' }) },
  };

  it('takes each mutable field from its latest edit independently', () => {
    const phone = patchSession(base, 'title', 'Hill repeats', formatHlc({ ms: T + 5, counter: 0, deviceId: 'a' }));
    const laptop = patchSession(base, 'notes', 'windy', formatHlc({ ms: T + 3, counter: 0, deviceId: 'b' }));
    const merged = mergeSession(phone, laptop);
    expect(merged).toMatchObject({ title: { value: 'Hill repeats' }, notes: { value: 'windy' } });
  });

  it('breaks equal milliseconds by counter, then device id', () => {
    const fromA = patchSession(base, 'title', 'A', formatHlc({ ms: T + 1, counter: 0, deviceId: 'a' }));
    const fromB = patchSession(base, 'title', 'B', formatHlc({ ms: T + 1, counter: 0, deviceId: 'b' }));
    expect(mergeSession(fromA, fromB)).toMatchObject({ title: { value: 'B' } });
    const fromA2 = patchSession(base, 'title', 'A2', formatHlc({ ms: T + 1, counter: 1, deviceId: 'a' }));
    expect(mergeSession(fromA2, fromB)).toMatchObject({ title: { value: 'A2' } });
  });

  it('ignores an older edit', () => {
    const edited = patchSession(base, 'tags', ['run'], formatHlc({ ms: T + 9, counter: 0, deviceId: 'a' }));
    expect(patchSession(edited, 'tags', ['bike'], formatHlc({ ms: T + 2, counter: 0, deviceId: 'b' }))).toBe(edited);
  });

  it('lets a delete win over a later edit', () => {
    const deleted = deleteSession(base, formatHlc({ ms: T + 1, counter: 0, deviceId: 'a' }));
    const editedLater = patchSession(base, 'title', 'still here?', formatHlc({ ms: T + 99, counter: 0, deviceId: 'b' }));
    expect(mergeSession(editedLater, deleted)).toEqual({ kind: 'tombstone', id: ID, deletedAt: formatHlc({ ms: T + 1, counter: 0, deviceId: 'a' }) });
  });

  it('fills the summary once and reports real immutable conflicts', () => {
    const ended = { ...base, summary: { endedAt: T + 1, durationMs: 1, readingCount: 1, avgBpm: 100, maxBpm: 100, energyKj: null } };
    expect(mergeSession(base, ended)).toMatchObject({ summary: ended.summary });
    expect(immutableConflicts(base, ended)).toEqual([]);
    expect(immutableConflicts(base, { ...ended, startedAt: T + 1, plan: { planId: 'p', name: 'P' } })).toEqual(['startedAt', 'plan']);
  });

  it('fills the execution record once, keeps it against a record without one, and reports a differing one', () => {
    const [first, other] = EXECUTIONS as [NonNullable<LiveSession['execution']>, NonNullable<LiveSession['execution']>];
    const recorded = { ...base, execution: first };
    expect(mergeSession(base, recorded)).toMatchObject({ execution: first });
    expect(mergeSession(recorded, base)).toMatchObject({ execution: first });
    expect('execution' in mergeSession(base, base)).toBe(false);
    expect(immutableConflicts(base, recorded)).toEqual([]);
    expect(immutableConflicts(recorded, { ...base, execution: other })).toEqual(['execution']);
    // A title edit from a device that never had the record (an older version) keeps it.
    const edited = patchSession(base, 'title', 'Tabata', formatHlc({ ms: T + 5, counter: 0, deviceId: 'b' }));
    expect(mergeSession(recorded, edited)).toMatchObject({ execution: first, title: { value: 'Tabata' } });
  });

  it('takes the latest recomputation, and keeps one against a record without any', () => {
    const [first, second] = RECOMPUTATIONS as [NonNullable<LiveSession['recomputed']>['value'], NonNullable<LiveSession['recomputed']>['value']];
    const once = patchSession(base, 'recomputed', first, formatHlc({ ms: T + 5, counter: 0, deviceId: 'a' }));
    expect(once).toMatchObject({ recomputed: { value: first } });
    const later = patchSession(base, 'recomputed', second, formatHlc({ ms: T + 9, counter: 0, deviceId: 'b' }));
    expect(mergeSession(once, later)).toMatchObject({ recomputed: { value: second } });
    expect(mergeSession(once, base)).toMatchObject({ recomputed: { value: first } });
    expect(patchSession(later, 'recomputed', first, formatHlc({ ms: T + 6, counter: 0, deviceId: 'a' }))).toBe(later);
  });

  it('refuses to merge different sessions', () => {
    expect(() => mergeSession(base, { ...base, id: 'other' })).toThrow(RangeError);
  });
});
