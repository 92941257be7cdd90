import { describe, expect, it } from 'vitest';
import {
  ErrorResponseSchema,
  MAX_MUTATIONS_PER_PUSH,
  PROTOCOL_VERSION,
  PullRequestSchema,
  PullResponseSchema,
  PushRequestSchema,
  PushResponseSchema,
  SYNC_ERROR_CODES,
  SYNC_ERROR_MESSAGES,
  rejected,
  sessionForProtocol,
  LiveSessionSchema,
  MAX_EXECUTION_CHARS,
  MAX_EXECUTION_INTERVALS,
  MAX_EXECUTION_SPANS,
  type Mutation,
} from './wire';
import type { LiveSession } from './merge';
import { executedWorkout } from '../workout/testing/executed-workout';

const SESSION = '0190f6d2-8a4b-7c3d-9e1f-2a3b4c5d6e7f';
const HLC = '001700000000000-0000-phone-a1';
const id = (n: number) => `0190f6d2-8a4b-7c3d-9e1f-${n.toString(16).padStart(12, '0')}`;

const live = {
  kind: 'live',
  id: SESSION,
  startedAt: 1_700_000_000_000,
  plan: { planId: 'intervals-5x3', name: '5 × 3 min' },
  summary: null,
  title: { value: 'Hill repeats', hlc: HLC },
  notes: { value: '', hlc: HLC },
  tags: { value: ['bike'], hlc: HLC },
} as const;

const mutations: Mutation[] = [
  { id: id(1), type: 'session.upsert', session: { ...live, tags: { value: ['bike'], hlc: HLC } } },
  { id: id(2), type: 'session.patch', sessionId: SESSION, field: 'title', value: 'Hills', hlc: HLC },
  { id: id(3), type: 'session.patch', sessionId: SESSION, field: 'tags', value: ['bike', 'z4'], hlc: HLC },
  {
    id: id(4),
    type: 'chunk.put',
    sessionId: SESSION,
    index: 0,
    sealed: true,
    payload: 'AQA=',
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    readingCount: 60,
    firstT: 1_700_000_000_000,
    lastT: 1_700_000_059_000,
  },
  { id: id(5), type: 'session.delete', sessionId: SESSION, hlc: HLC },
];
const push = { protocol: PROTOCOL_VERSION, deviceId: 'phone-a1', mutations };

describe('PushRequest', () => {
  it('accepts every mutation type', () => {
    expect(PushRequestSchema.parse(push)).toEqual(push);
    expect(PushRequestSchema.safeParse({ ...push, clientId: id(99) }).success).toBe(true);
  });

  it.each([
    ['another protocol', { ...push, protocol: PROTOCOL_VERSION + 1 }],
    ['an unknown top-level field', { ...push, since: 0 }],
    ['an unknown mutation field', { ...push, mutations: [{ ...mutations[1], extra: 1 }] }],
    ['an unknown mutation type', { ...push, mutations: [{ ...mutations[1], type: 'session.rename' }] }],
    ['a value of the wrong type for its field', { ...push, mutations: [{ ...mutations[2], value: 'bike' }] }],
    ['a patch of an immutable field', { ...push, mutations: [{ ...mutations[1], field: 'startedAt', value: 0 }] }],
    ['an upper-case mutation id', { ...push, mutations: [{ ...mutations[1], id: id(2).toUpperCase() }] }],
    ['a client-time cursor-like HLC', { ...push, mutations: [{ ...mutations[4], hlc: '1700000000000' }] }],
    ['a bad hash', { ...push, mutations: [{ ...mutations[3], sha256: 'abc' }] }],
    ['non-base64 payload', { ...push, mutations: [{ ...mutations[3], payload: 'not base64!' }] }],
    ['an empty chunk', { ...push, mutations: [{ ...mutations[3], readingCount: 0 }] }],
    ['an unknown session field', { ...push, mutations: [{ ...mutations[0], session: { ...live, colour: 'red' } }] }],
    ['no mutations', { ...push, mutations: [] }],
    ['too many mutations', { ...push, mutations: Array.from({ length: MAX_MUTATIONS_PER_PUSH + 1 }, (_, i) => ({ ...mutations[1], id: id(i) })) }],
    ['a repeated mutation id', { ...push, mutations: [mutations[1], mutations[1]] }],
    ['a device id with spaces', { ...push, deviceId: 'my phone' }],
  ])('rejects %s', (_, body) => {
    expect(PushRequestSchema.safeParse(body).success).toBe(false);
  });
});

describe('PushResponse', () => {
  it('accepts results of every status', () => {
    const body = {
      results: [
        { mutationId: id(1), status: 'applied' },
        { mutationId: id(2), status: 'duplicate' },
        rejected(id(3), 'chunk_hash_mismatch'),
      ],
      cursor: '1.42',
    };
    expect(PushResponseSchema.parse(body)).toEqual(body);
  });

  it('requires a code on a rejection and a known code everywhere', () => {
    expect(PushResponseSchema.safeParse({ results: [{ mutationId: id(1), status: 'rejected' }], cursor: '1' }).success).toBe(false);
    expect(PushResponseSchema.safeParse({ results: [{ mutationId: id(1), status: 'rejected', code: 'oops' }], cursor: '1' }).success).toBe(false);
  });
});

describe('Pull', () => {
  it('accepts a first pull and a page of changes with a reset', () => {
    expect(PullRequestSchema.safeParse({ protocol: 1, deviceId: 'phone-a1', cursor: null }).success).toBe(true);
    const body = {
      cursor: '1.57',
      hasMore: false,
      reset: true,
      changes: [
        { kind: 'session', record: live },
        { kind: 'session', record: { kind: 'tombstone', id: SESSION, deletedAt: HLC } },
        { kind: 'chunk', ...mutations[3], id: undefined, type: undefined },
      ].map((c) => JSON.parse(JSON.stringify(c))),
    };
    expect(PullResponseSchema.parse(body)).toEqual(body);
  });

  it('rejects reset: false, unknown fields and malformed cursors', () => {
    const ok = { cursor: '1.57', hasMore: false, changes: [] };
    expect(PullResponseSchema.safeParse(ok).success).toBe(true);
    expect(PullResponseSchema.safeParse({ ...ok, reset: false }).success).toBe(false);
    expect(PullResponseSchema.safeParse({ ...ok, serverTime: 1 }).success).toBe(false);
    expect(PullResponseSchema.safeParse({ ...ok, cursor: '' }).success).toBe(false);
    expect(PullResponseSchema.safeParse({ ...ok, changes: [{ kind: 'session', record: { kind: 'tombstone', id: SESSION, deletedAt: HLC, title: 'x' } }] }).success).toBe(false);
  });
});

describe('error codes', () => {
  it('has a message for every code and a strict error body', () => {
    for (const code of SYNC_ERROR_CODES) expect(SYNC_ERROR_MESSAGES[code].length).toBeGreaterThan(10);
    expect(ErrorResponseSchema.safeParse({ error: { code: 'stale_cursor', message: SYNC_ERROR_MESSAGES.stale_cursor } }).success).toBe(true);
    expect(ErrorResponseSchema.safeParse({ error: { code: 'stale_cursor', message: 'x', status: 410 } }).success).toBe(false);
  });
});

describe('documents (protocol 2)', () => {
  const profilePatch = { id: id(10), type: 'doc.patch', doc: 'profile', docId: 'profile', values: { age: 41, maxHr: { method: 'measured', measured: 184 } }, hlc: HLC };
  const planPatch = { id: id(11), type: 'doc.patch', doc: 'plan', docId: 'abc123', values: { name: 'Tabata', body: { v: 1, mode: 'stopwatch', name: 'Tabata' } }, hlc: HLC };
  const planDelete = { id: id(12), type: 'doc.delete', doc: 'plan', docId: 'abc123', hlc: HLC };
  const settingsPatch = { id: id(13), type: 'doc.patch', doc: 'settings', docId: 'settings', values: { units: 'imperial', defaultPlan: null }, hlc: HLC };
  const v2 = { protocol: 2, deviceId: 'phone-a1', mutations: [profilePatch, planPatch, planDelete, settingsPatch] };

  it('accepts profile, settings and plan patches and plan deletes in protocol 2', () => {
    expect(PushRequestSchema.safeParse(v2).success).toBe(true);
  });

  it.each([
    ['a document in protocol 1', { ...v2, protocol: 1 }],
    ['an unknown profile field', { ...v2, mutations: [{ ...profilePatch, values: { shoeSize: 44 } }] }],
    ['an empty patch', { ...v2, mutations: [{ ...profilePatch, values: {} }] }],
    ['a profile value out of range', { ...v2, mutations: [{ ...profilePatch, values: { age: 2 } }] }],
    ['a measured max HR split from its method', { ...v2, mutations: [{ ...profilePatch, values: { maxHr: 184 } }] }],
    ['a device setting (the paired strap)', { ...v2, mutations: [{ ...settingsPatch, values: { strap: 'Polar H10' } }] }],
    ['a delete of the profile', { ...v2, mutations: [{ ...planDelete, doc: 'profile', docId: 'profile' }] }],
    ['an invalid plan body', { ...v2, mutations: [{ ...planPatch, values: { body: { v: 1, mode: 'intervals', name: 'x', blocks: [] } } }] }],
  ])('rejects %s', (_, body) => {
    expect(PushRequestSchema.safeParse(body).success).toBe(false);
  });

  it('pulls document changes', () => {
    const body = {
      cursor: 'm1.3.0.d',
      hasMore: false,
      changes: [
        { kind: 'doc', record: { type: 'profile', id: 'profile', fields: { age: { value: 41, hlc: HLC } } } },
        { kind: 'doc', record: { type: 'plan', id: 'abc123', fields: {}, deletedAt: HLC } },
      ],
    };
    expect(PullResponseSchema.parse(body)).toEqual(body);
  });
});

describe('execution record (protocol 3)', () => {
  const { execution } = executedWorkout();
  const withExecution = { ...live, summary: { endedAt: 1_700_000_100_000, durationMs: 100_000, readingCount: 100, avgBpm: 140, maxBpm: 175, energyKj: null }, execution };
  const push = (protocol: number, session: unknown) => PushRequestSchema.safeParse({ protocol, deviceId: 'phone-a1', mutations: [{ id: id(1), type: 'session.upsert', session }] });

  it('is a supported protocol', () => {
    expect(PROTOCOL_VERSION).toBeGreaterThanOrEqual(3);
  });

  it('accepts a session with its execution record in protocol 3, and without one in every protocol', () => {
    expect(push(3, withExecution).success).toBe(true);
    for (const protocol of [1, 2, 3]) expect(push(protocol, live).success).toBe(true);
    expect(PullResponseSchema.safeParse({ cursor: 'c1', changes: [{ kind: 'session', record: withExecution }], hasMore: false }).success).toBe(true);
  });

  it('refuses it from a protocol 1 or 2 client', () => {
    for (const protocol of [1, 2]) {
      const r = push(protocol, withExecution);
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]!.message).toBe('execution needs protocol 3');
    }
  });

  it('refuses malformed records', () => {
    const bad = (patch: (e: typeof execution) => unknown) => push(3, { ...withExecution, execution: patch(structuredClone(execution)) }).success;
    expect(bad((e) => ({ ...e, extra: 1 }))).toBe(false);
    expect(bad((e) => ({ ...e, v: 2 }))).toBe(false);
    expect(bad((e) => ({ ...e, tzOffsetMinutes: 15 * 60 }))).toBe(false);
    expect(bad((e) => ({ ...e, profileSource: 'neighbour' }))).toBe(false);
    expect(bad((e) => ({ ...e, timer: { ...e.timer, stoppedAt: null } }))).toBe(false);
    expect(bad((e) => ({ ...e, spans: [...e.spans, { phaseIndex: 999, start: 0, end: 1 }] }))).toBe(false);
    expect(bad((e) => ({ ...e, summary: { ...e.summary, calories: { ...e.summary.calories, kcal: Number.NaN } } }))).toBe(false);
    expect(bad((e) => ({ ...e, summary: { ...e.summary, intervals: [{ ...e.summary.intervals[0], phase: {} }] } }))).toBe(false);
    expect(bad((e) => ({ ...e, profile: { ...e.profile, maxHr: 400 } }))).toBe(false);
  });

  it('refuses an oversized record', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ phaseIndex: 1, start: i, end: i + 1 }));
    expect(push(3, { ...withExecution, execution: { ...execution, spans: many(MAX_EXECUTION_SPANS + 1) } }).success).toBe(false);
    // Within the count bound but over the size bound: long intervals lists.
    const interval = execution.summary.intervals[0]!;
    const intervals = Array.from({ length: MAX_EXECUTION_INTERVALS }, () => interval);
    const big = { ...execution, summary: { ...execution.summary, intervals } };
    expect(JSON.stringify(big).length).toBeGreaterThan(MAX_EXECUTION_CHARS);
    expect(push(3, { ...withExecution, execution: big }).success).toBe(false);
  });

  it('is left out of a session for an older client, and kept for a current one', () => {
    expect(sessionForProtocol(withExecution as LiveSession, 3)).toBe(withExecution);
    for (const protocol of [1, 2] as const) {
      const old = sessionForProtocol(withExecution as LiveSession, protocol);
      const { execution: _gone, ...rest } = withExecution;
      expect(old).toEqual(rest);
      expect('execution' in old).toBe(false);
      expect(LiveSessionSchema.safeParse(old).success).toBe(true);
    }
  });
});

describe('recomputed figures (protocol 3)', () => {
  const { execution } = executedWorkout();
  const value = { profile: { ...execution.profile, maxHr: 190 }, summary: execution.summary };
  const patch = (protocol: number, v: unknown) =>
    PushRequestSchema.safeParse({ protocol, deviceId: 'phone-a1', mutations: [{ id: id(1), type: 'session.patch', sessionId: SESSION, field: 'recomputed', value: v, hlc: HLC }] });

  it('is a patch in protocol 3 only, strictly validated', () => {
    expect(patch(3, value).success).toBe(true);
    expect(patch(2, value).success).toBe(false);
    expect(patch(3, { ...value, extra: 1 }).success).toBe(false);
    expect(patch(3, { ...value, summary: { ...value.summary, trimp: { value: Infinity, method: 'banister-1991' } } }).success).toBe(false);
  });

  it('is left out for older clients', () => {
    const record = { ...live, recomputed: { value, hlc: HLC } } as LiveSession;
    expect('recomputed' in sessionForProtocol(record, 2)).toBe(false);
    expect(sessionForProtocol(record, 3)).toBe(record);
  });
});
