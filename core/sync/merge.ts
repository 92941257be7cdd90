/**
 * Merge of workout-session metadata: a state-based CRDT (Shapiro et al., "Conflict-free
 * Replicated Data Types", SSS 2011, §2.2), so devices and the server can exchange whole records
 * in any order, any number of times, and still agree.
 *
 * - Immutable fields (startedAt, plan) are fixed when the session is created. Two records that
 *   disagree are a client bug; immutableConflicts reports it so the server can reject the
 *   mutation, and the merge still picks a deterministic winner so the laws hold.
 * - Write-once fields (summary, execution) go from null (or absent) to a value once, when the
 *   session ends. `execution` (protocol 3, core/workout execution.ts) is absent from sessions
 *   recorded by older versions; the merge keeps it absent unless one side has it.
 * - Mutable fields (title, notes, tags, and from protocol 3 `recomputed`: the figures the
 *   member chose to compute again with another profile) are last-writer-wins registers, each
 *   with the HLC of its last edit; `recomputed` is absent until first set. Equal stamps with different values (a buggy or replayed client) fall back to
 *   the larger canonical JSON, so the merge stays commutative.
 * - A delete is a tombstone with its HLC. It absorbs every live record, whatever that record's
 *   stamps, so a deleted session never comes back (the "deletes that come back" complaint comes
 *   from letting a later edit resurrect a row). Tombstones keep only the id: deleted notes and
 *   titles are not retained.
 *
 * mergeSession is idempotent, commutative and associative (see merge.test.ts): records form a
 * join-semilattice whose top elements are tombstones.
 */
import { compareHlcStrings, type HlcString } from './hlc';
import type { Recomputation, SessionExecution } from '../workout/execution';

export interface Stamped<T> {
  readonly value: T;
  readonly hlc: HlcString;
}

export interface SessionPlan {
  readonly planId: string;
  readonly name: string;
}

export interface SessionSummary {
  readonly endedAt: number;
  readonly durationMs: number;
  readonly readingCount: number;
  readonly avgBpm: number | null;
  readonly maxBpm: number | null;
  readonly energyKj: number | null;
}

export interface LiveSession {
  readonly kind: 'live';
  readonly id: string;
  readonly startedAt: number;
  /** The plan followed, or null for a free workout. */
  readonly plan: SessionPlan | null;
  /** Null while recording; set once when the session ends. */
  readonly summary: SessionSummary | null;
  /**
   * Protocol 3: what ran and what the figures were computed with, frozen at the end of the
   * recording. Absent for sessions recorded by older versions (and in pulls by older clients).
   */
  readonly execution?: SessionExecution;
  /**
   * Protocol 3: the summary computed again, on the member's request, with another profile (the
   * execution record keeps the recording's). Absent until then; the latest request wins.
   */
  readonly recomputed?: Stamped<Recomputation>;
  readonly title: Stamped<string>;
  readonly notes: Stamped<string>;
  readonly tags: Stamped<readonly string[]>;
}

export interface SessionTombstone {
  readonly kind: 'tombstone';
  readonly id: string;
  readonly deletedAt: HlcString;
}

export type SessionRecord = LiveSession | SessionTombstone;

export const MUTABLE_SESSION_FIELDS = ['title', 'notes', 'tags', 'recomputed'] as const;
export type MutableSessionField = (typeof MUTABLE_SESSION_FIELDS)[number];
export type MutableSessionValue<F extends MutableSessionField> = NonNullable<LiveSession[F]>['value'];

export const IMMUTABLE_SESSION_FIELDS = ['startedAt', 'plan', 'summary', 'execution'] as const;
export type ImmutableSessionField = (typeof IMMUTABLE_SESSION_FIELDS)[number];

/** JSON with object keys sorted, so equal values have one spelling. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Deterministic choice between two values that should have been equal. */
function pickCanonical<T>(a: T, b: T): T {
  return canonicalJson(a) <= canonicalJson(b) ? a : b;
}

function writeOnce<T>(a: T | null, b: T | null): T | null {
  if (a === null) return b;
  if (b === null) return a;
  return pickCanonical(a, b);
}

function lastWriterWins<T>(a: Stamped<T>, b: Stamped<T>): Stamped<T> {
  const order = compareHlcStrings(a.hlc, b.hlc);
  if (order !== 0) return order > 0 ? a : b;
  return canonicalJson(a.value) >= canonicalJson(b.value) ? a : b;
}

/**
 * Merges two versions of one session. Both must share an id: merging different sessions is a
 * programming error and throws RangeError.
 */
export function mergeSession(a: SessionRecord, b: SessionRecord): SessionRecord {
  if (a.id !== b.id) throw new RangeError(`cannot merge session ${a.id} with ${b.id}`);
  if (a.kind === 'tombstone' && b.kind === 'tombstone') return compareHlcStrings(a.deletedAt, b.deletedAt) >= 0 ? a : b;
  if (a.kind === 'tombstone') return a;
  if (b.kind === 'tombstone') return b;
  const execution = writeOnce(a.execution ?? null, b.execution ?? null);
  const recomputed = a.recomputed && b.recomputed ? lastWriterWins(a.recomputed, b.recomputed) : (a.recomputed ?? b.recomputed);
  return {
    kind: 'live',
    id: a.id,
    startedAt: a.startedAt <= b.startedAt ? a.startedAt : b.startedAt,
    plan: canonicalJson(a.plan) === canonicalJson(b.plan) ? a.plan : pickCanonical(a.plan, b.plan),
    summary: writeOnce(a.summary, b.summary),
    ...(execution ? { execution } : {}),
    ...(recomputed ? { recomputed } : {}),
    title: lastWriterWins(a.title, b.title),
    notes: lastWriterWins(a.notes, b.notes),
    tags: lastWriterWins(a.tags, b.tags),
  };
}

/** Fields on which two live versions disagree in a way no legitimate client produces. */
export function immutableConflicts(a: LiveSession, b: LiveSession): ImmutableSessionField[] {
  const out: ImmutableSessionField[] = [];
  if (a.startedAt !== b.startedAt) out.push('startedAt');
  if (canonicalJson(a.plan) !== canonicalJson(b.plan)) out.push('plan');
  if (a.summary !== null && b.summary !== null && canonicalJson(a.summary) !== canonicalJson(b.summary)) {
    out.push('summary');
  }
  if (a.execution && b.execution && canonicalJson(a.execution) !== canonicalJson(b.execution)) out.push('execution');
  return out;
}

/** Applies one field edit; a tombstone absorbs it. */
export function patchSession<F extends MutableSessionField>(
  record: SessionRecord,
  field: F,
  value: MutableSessionValue<F>,
  hlc: HlcString,
): SessionRecord {
  if (record.kind === 'tombstone') return record;
  const current = record[field] as Stamped<unknown> | undefined;
  const edit = { value, hlc };
  const next = current ? lastWriterWins<unknown>(current, edit) : edit;
  return next === current ? record : { ...record, [field]: next };
}

/** The tombstone for a delete stamped `hlc`, merged with what is already known. */
export function deleteSession(record: SessionRecord, hlc: HlcString): SessionRecord {
  return mergeSession(record, { kind: 'tombstone', id: record.id, deletedAt: hlc });
}
