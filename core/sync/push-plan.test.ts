import { describe, expect, it } from 'vitest';
import type { ChunkCheck } from './chunk-check';
import { chunkKey, planPush, recordBytes, type PushState, type StoredChunk } from './push-plan';
import { liveSession, stamp, upsert, uuid } from './testing/fixtures';
import type { ChunkPut, Mutation } from './wire';

const NOW = 1_700_000_000_000;
const empty: PushState = { applied: new Set(), sessions: new Map(), chunks: new Map(), bytesUsed: 0 };

function chunk(sessionId: string, index: number, opts: Partial<ChunkPut> = {}): ChunkPut {
  return { id: uuid(), type: 'chunk.put', sessionId, index, sealed: true, payload: 'AQA=', sha256: 'a'.repeat(64), readingCount: 60, firstT: 0, lastT: 59_000, ...opts };
}

function ctx(mutations: Mutation[], quotaBytes = 1e9) {
  const chunkChecks = new Map<string, ChunkCheck>(mutations.filter((m) => m.type === 'chunk.put').map((m) => [m.id, { ok: true, bytes: 100 }]));
  return { deviceId: 'phone', now: NOW, quotaBytes, chunkChecks };
}

const plan = (mutations: Mutation[], state: PushState = empty, quota?: number) => planPush(mutations, state, ctx(mutations, quota));
const statuses = (p: ReturnType<typeof plan>) => p.results.map((r) => (r.code ? `${r.status}:${r.code}` : r.status));

function stateWith(mutations: Mutation[]): PushState {
  const p = plan(mutations);
  const sessions = new Map([...p.writes!.sessions].map(([id, w]) => [id, { record: w.record, seq: 1, bytes: w.bytes, tombstonedAt: w.tombstonedAt }]));
  const chunks = new Map<string, StoredChunk>(
    [...p.writes!.chunks].map(([k, w]) => [k, { sessionId: w.put.sessionId, index: w.put.index, sealed: w.put.sealed, sha256: w.put.sha256, readingCount: w.put.readingCount, bytes: w.bytes }]),
  );
  return { applied: new Set(p.writes!.applied), sessions, chunks, bytesUsed: p.writes!.bytesDelta };
}

describe('planPush', () => {
  const s = liveSession({ startedAt: NOW - 3600_000, deviceId: 'phone' });

  it('applies in order: an upsert is visible to the chunk that follows it', () => {
    const p = plan([upsert(s), chunk(s.id, 0)]);
    expect(statuses(p)).toEqual(['applied', 'applied']);
    expect(p.writes!.bytesDelta).toBe(recordBytes(s) + 100);
    expect(statuses(plan([chunk(s.id, 0), upsert(s)]))).toEqual(['rejected:unknown_session', 'rejected:batch_aborted']);
  });

  it('a replay is all duplicate and writes nothing', () => {
    const ms = [upsert(s), chunk(s.id, 0)];
    const p = plan(ms, stateWith(ms));
    expect(statuses(p)).toEqual(['duplicate', 'duplicate']);
    expect(p.writes).toBeNull();
  });

  it('sealed chunks: same hash duplicate, other hash mismatch, unsealed resend stale', () => {
    const c = chunk(s.id, 0);
    const state = stateWith([upsert(s), c]);
    expect(statuses(plan([{ ...c, id: uuid() }], state))).toEqual(['duplicate']);
    expect(statuses(plan([{ ...c, id: uuid(), sha256: 'b'.repeat(64) }], state))).toEqual(['rejected:chunk_hash_mismatch']);
    expect(statuses(plan([{ ...c, id: uuid(), sealed: false, sha256: 'b'.repeat(64), readingCount: 70 }], state))).toEqual(['duplicate']);
  });

  it('unsealed chunks grow: a smaller resend is stale, a larger or sealed one replaces', () => {
    const c = chunk(s.id, 0, { sealed: false, readingCount: 30 });
    const state = stateWith([upsert(s), c]);
    expect(statuses(plan([{ ...c, id: uuid(), readingCount: 20, sha256: 'c'.repeat(64) }], state))).toEqual(['duplicate']);
    const grown = plan([{ ...c, id: uuid(), readingCount: 45, sha256: 'c'.repeat(64) }], state);
    expect(statuses(grown)).toEqual(['applied']);
    expect(grown.writes!.chunks.get(chunkKey(s.id, 0))!.isNew).toBe(false);
    expect(statuses(plan([{ ...c, id: uuid(), sealed: true }], state))).toEqual(['applied']);
  });

  it('a rejection aborts the batch; duplicates still say duplicate', () => {
    const first = upsert(s);
    const state = stateWith([first]);
    const conflict = upsert({ ...s, startedAt: s.startedAt + 1 });
    const patch: Mutation = { id: uuid(), type: 'session.patch', sessionId: s.id, field: 'title', value: 'x', hlc: stamp(NOW, 'phone') };
    const p = plan([first, patch, conflict], state);
    expect(statuses(p)).toEqual(['duplicate', 'rejected:batch_aborted', 'rejected:immutable_conflict']);
    expect(p.writes).toBeNull();
  });

  it('deletes win, drop the chunks and absorb later changes', () => {
    const state = stateWith([upsert(s), chunk(s.id, 0), chunk(s.id, 1)]);
    const del: Mutation = { id: uuid(), type: 'session.delete', sessionId: s.id, hlc: stamp(NOW - 10, 'phone') };
    const later: Mutation = { id: uuid(), type: 'session.patch', sessionId: s.id, field: 'notes', value: 'n', hlc: stamp(NOW, 'phone') };
    const p = plan([del, later, chunk(s.id, 2)], state);
    expect(statuses(p)).toEqual(['applied', 'applied:session_deleted', 'applied:session_deleted']);
    expect([...p.writes!.deletedChunks].sort()).toEqual([chunkKey(s.id, 0), chunkKey(s.id, 1)]);
    expect(p.writes!.sessions.get(s.id)!.record).toEqual({ kind: 'tombstone', id: s.id, deletedAt: stamp(NOW - 10, 'phone') });
    expect(p.writes!.bytesDelta).toBeLessThan(-200);
  });

  it('checks HLCs: own device for patches and deletes, and no more than 5 minutes ahead', () => {
    const state = stateWith([upsert(s)]);
    const patch = (hlc: string): Mutation => ({ id: uuid(), type: 'session.patch', sessionId: s.id, field: 'title', value: 'x', hlc });
    expect(statuses(plan([patch(stamp(NOW, 'tablet'))], state))).toEqual(['rejected:invalid_mutation']);
    expect(statuses(plan([patch(stamp(NOW + 6 * 60_000, 'phone'))], state))).toEqual(['rejected:clock_drift']);
    expect(statuses(plan([patch(stamp(NOW + 4 * 60_000, 'phone'))], state))).toEqual(['applied']);
  });

  it('quota: a batch that grows storage past the quota is refused; one that frees space is not', () => {
    const state = { ...stateWith([upsert(s), chunk(s.id, 0)]) };
    const full = { ...state, bytesUsed: 1000 };
    expect(statuses(plan([chunk(s.id, 1)], full, 1050))).toEqual(['rejected:quota_exceeded']);
    const del: Mutation = { id: uuid(), type: 'session.delete', sessionId: s.id, hlc: stamp(NOW, 'phone') };
    expect(statuses(plan([del], full, 500))).toEqual(['applied']);
  });
});

describe('planPush documents', () => {
  const h = (ms: number, device = 'phone') => stamp(ms, device);
  const patch = (doc: 'profile' | 'plan', docId: string, values: Record<string, unknown>, hlc: string): Mutation =>
    ({ id: uuid(), type: 'doc.patch', doc, docId, values, hlc }) as Mutation;
  const del = (docId: string, hlc: string): Mutation => ({ id: uuid(), type: 'doc.delete', doc: 'plan', docId, hlc });
  const stored = (mutations: Mutation[]): PushState => {
    const p = plan(mutations);
    return { ...empty, docs: new Map([...p.writes!.docs!].map(([k, w]) => [k, { record: w.record, seq: 1, bytes: w.bytes }])) };
  };

  it('merges a profile patch field by field into the stored profile', () => {
    const state = stored([patch('profile', 'profile', { age: 40, weightKg: 80 }, h(NOW - 10))]);
    const p = plan([patch('profile', 'profile', { weightKg: 78 }, h(NOW - 5))], state);
    expect(statuses(p)).toEqual(['applied']);
    const w = p.writes!.docs!.get('profile:profile')!;
    expect(w.isNew).toBe(false);
    expect(w.record.fields).toEqual({ age: { value: 40, hlc: h(NOW - 10) }, weightKg: { value: 78, hlc: h(NOW - 5) } });
    // An older edit of the same field changes nothing.
    expect(plan([patch('profile', 'profile', { age: 39 }, h(NOW - 20))], state).writes?.docs).toBeUndefined();
  });

  it('a deleted plan stays deleted: later patches are absorbed, a delete of an unseen plan leaves its tombstone', () => {
    const state = stored([del('p1', h(NOW - 10))]);
    expect(state.docs!.get('plan:p1')!.record).toEqual({ type: 'plan', id: 'p1', fields: {}, deletedAt: h(NOW - 10) });
    const p = plan([patch('plan', 'p1', { name: 'back' }, h(NOW))], state);
    expect(statuses(p)).toEqual(['applied:plan_deleted']);
    expect(p.writes?.docs).toBeUndefined(); // only the mutation id is logged
  });

  it('refuses a stamp of another device or from the future', () => {
    expect(statuses(plan([patch('profile', 'profile', { age: 40 }, h(NOW, 'other'))]))).toEqual(['rejected:invalid_mutation']);
    expect(statuses(plan([patch('profile', 'profile', { age: 40 }, h(NOW + 3_600_000))]))).toEqual(['rejected:clock_drift']);
  });
});
