/**
 * Merge of a member's documents (protocol 2): the profile, the personal settings and each custom
 * plan. Like sessions (merge.ts) they are a state-based CRDT (Shapiro et al., SSS 2011, §2.2),
 * so devices and the server exchange whole records in any order and any number of times.
 *
 * A document is a map of last-writer-wins registers, each stamped with the HLC of its last
 * edit. A register that was never written is absent (a new device's profile starts empty, and
 * a field it never set cannot overwrite one set elsewhere). Equal stamps with different values
 * fall back to the larger canonical JSON, as for sessions.
 *
 * Values that must stay consistent with each other are ONE register (the max-HR method with
 * the measured value, the zone model with its custom bounds): per-field merge of two concurrent
 * edits could otherwise combine "measured" from one device with "no measured value" from the
 * other (docs/sync-protocol.md §8).
 *
 * A plan can be deleted: `deletedAt` (a tombstone) absorbs every register, whatever its stamp,
 * and the registers are dropped. Two tombstones keep the later `deletedAt`. Profile and settings
 * are never deleted. mergeDoc is idempotent, commutative and associative (doc.test.ts).
 */
import { compareHlcStrings, type HlcString } from './hlc';
import { canonicalJson, type Stamped } from './merge';

export const DOC_TYPES = ['profile', 'settings', 'plan'] as const;
export type DocType = (typeof DOC_TYPES)[number];

export interface DocRecord {
  readonly type: DocType;
  /** 'profile' / 'settings' for the singletons; the plan's id for a plan. */
  readonly id: string;
  readonly fields: Readonly<Record<string, Stamped<unknown>>>;
  /** Set once the document is deleted (plans only); `fields` is then empty. */
  readonly deletedAt?: HlcString;
}

/** The key a document is stored and merged under: one per (type, id). */
export const docKey = (type: DocType, id: string) => `${type}:${id}`;

function lastWriterWins(a: Stamped<unknown>, b: Stamped<unknown>): Stamped<unknown> {
  const order = compareHlcStrings(a.hlc, b.hlc);
  if (order !== 0) return order > 0 ? a : b;
  return canonicalJson(a.value) >= canonicalJson(b.value) ? a : b;
}

/** Merges two versions of one document; different documents are a programming error (RangeError). */
export function mergeDoc(a: DocRecord, b: DocRecord): DocRecord {
  if (a.type !== b.type || a.id !== b.id) throw new RangeError(`cannot merge ${docKey(a.type, a.id)} with ${docKey(b.type, b.id)}`);
  if (a.deletedAt !== undefined || b.deletedAt !== undefined) {
    const deletedAt =
      a.deletedAt === undefined ? b.deletedAt! : b.deletedAt === undefined ? a.deletedAt : compareHlcStrings(a.deletedAt, b.deletedAt) >= 0 ? a.deletedAt : b.deletedAt;
    return { type: a.type, id: a.id, fields: {}, deletedAt };
  }
  const fields: Record<string, Stamped<unknown>> = { ...a.fields };
  for (const [name, stamped] of Object.entries(b.fields)) {
    const mine = fields[name];
    fields[name] = mine ? lastWriterWins(mine, stamped) : stamped;
  }
  return { type: a.type, id: a.id, fields };
}

/** An empty document: what a device knows of a document it never saw. */
export const emptyDoc = (type: DocType, id: string): DocRecord => ({ type, id, fields: {} });

/** One edit of several registers, all stamped `hlc`; a deleted document absorbs it. */
export function patchDoc(record: DocRecord, values: Readonly<Record<string, unknown>>, hlc: HlcString): DocRecord {
  if (record.deletedAt !== undefined) return record;
  const fields: Record<string, Stamped<unknown>> = {};
  for (const [name, value] of Object.entries(values)) if (value !== undefined) fields[name] = { value, hlc };
  return mergeDoc(record, { type: record.type, id: record.id, fields });
}

/** The tombstone of a delete stamped `hlc`, merged with what is known. */
export function deleteDoc(record: DocRecord, hlc: HlcString): DocRecord {
  return mergeDoc(record, { type: record.type, id: record.id, fields: {}, deletedAt: hlc });
}

/** The registers' values, without their stamps. */
export function docValues(record: DocRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record.fields).map(([k, v]) => [k, v.value]));
}

/** Every HLC a document carries (for hlcReceive and the drift check). */
export function docStamps(record: DocRecord): HlcString[] {
  return record.deletedAt !== undefined ? [record.deletedAt] : Object.values(record.fields).map((f) => f.hlc);
}
