/**
 * The sync store's interface (the PocketBase implementation is pb-sync-store.ts, the in-memory
 * one memory-sync-store.ts; one contract suite, sync-store.contract.ts, runs against both).
 *
 * Every write goes through commit(): one transaction guarded by a compare-and-set on the
 * member's log head (a unique (member, base) commit row), so a plan made on a head that moved is
 * refused as a whole and planned again. Nothing is updated by read-modify-write outside it:
 * PocketBase writes every column of a record on an update, so the member row (bytes,
 * purged_seq) is only ever written inside a commit that won the head. Documents (profile,
 * settings, plans) are rows of their own, written the same way: a profile edit from two devices
 * is two commits on two heads, each merging onto the row the other left (no lost update).
 */
import type { ChunkChange, DocRecord, PushWrites, SessionRecord, StoredChunk, StoredDoc, StoredSession } from '../../../core/sync';

export interface MemberState {
  readonly epoch: string;
  readonly bytes: number;
  readonly purgedSeq: number;
}

export interface Purge {
  /** Expired tombstones. */
  readonly tombstones: readonly { readonly sessionId: string; readonly seq: number; readonly bytes: number }[];
  /** Record ids of expired applied-mutation rows. */
  readonly mutations: readonly string[];
}

export interface CommitInput {
  readonly memberId: string;
  /** The head the plan was made against. */
  readonly base: number;
  readonly member: MemberState;
  readonly writes: PushWrites;
  readonly purge: Purge;
  readonly now: number;
  /** The pushing device, stored on its chunks so its own pulls can leave them out (§3). */
  readonly deviceId?: string;
}

export type CommitOutcome =
  | { readonly ok: true; readonly head: number; readonly purgedSeq: number }
  | { readonly ok: false; readonly reason: 'conflict'; readonly detail: string };

export interface PulledSession {
  readonly seq: number;
  readonly record: SessionRecord;
}
export interface PulledDoc {
  readonly seq: number;
  readonly record: DocRecord;
}
export interface PulledChunk {
  readonly seq: number;
  readonly change: ChunkChange;
}

export interface SyncStore {
  member(memberId: string): Promise<MemberState>;
  head(memberId: string): Promise<number>;
  appliedIds(memberId: string, mutationIds: readonly string[]): Promise<Set<string>>;
  sessions(memberId: string, sessionIds: readonly string[]): Promise<Map<string, StoredSession>>;
  chunksOf(memberId: string, sessionIds: readonly string[]): Promise<Map<string, StoredChunk>>;
  /** The member's documents (profile, settings, plans) with these docKeys (protocol 2). */
  docs(memberId: string, keys: readonly string[]): Promise<Map<string, StoredDoc>>;
  expired(memberId: string, before: number, limit: number): Promise<Purge>;
  commit(input: CommitInput): Promise<CommitOutcome>;
  pullSessions(memberId: string, after: number, upTo: number, limit: number): Promise<PulledSession[]>;
  pullDocs(memberId: string, after: number, upTo: number, limit: number): Promise<PulledDoc[]>;
  /** `exceptDevice`: leave out chunks that device pushed (it has them). */
  pullChunks(memberId: string, after: number, upTo: number, limit: number, exceptDevice?: string): Promise<PulledChunk[]>;
  /** One session's chunks with index ≥ `from`, in index order. */
  sessionChunks(memberId: string, sessionId: string, from: number, limit: number): Promise<ChunkChange[]>;
}
