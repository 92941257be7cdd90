/**
 * The Dexie database, created on demand: importing this module never touches IndexedDB, and a
 * Dexie instance opens only on its first query. Tests pass their own `indexedDB` (fake-indexeddb)
 * and a unique name.
 */
import { Dexie, type EntityTable, type Table } from 'dexie';
import {
  DB_NAME,
  DB_VERSIONS,
  type ChunkRow,
  type DocRow,
  type HubChunkRow,
  type HubRecordingRow,
  type OutboxRow,
  type PlanRow,
  type RejectedRow,
  type SessionRow,
  type SettingRow,
  type SyncMetaRow,
  type TombstoneRow,
} from './schema';
import { summaryIndexMiddleware, type SessionFactsRow } from './session-facts';

export type HrmDatabase = Dexie & {
  sessions: EntityTable<SessionRow, 'id'>;
  chunks: Table<ChunkRow, [string, number]>;
  plans: EntityTable<PlanRow, 'id'>;
  settings: EntityTable<SettingRow, 'key'>;
  outbox: Table<OutboxRow, number>;
  rejected: Table<RejectedRow, number>;
  tombstones: EntityTable<TombstoneRow, 'id'>;
  syncMeta: EntityTable<SyncMetaRow, 'key'>;
  docs: EntityTable<DocRow, 'key'>;
  sessionFacts: EntityTable<SessionFactsRow, 'id'>;
  hubRecordings: EntityTable<HubRecordingRow, 'id'>;
  hubChunks: Table<HubChunkRow, [string, number]>;
};

export interface DatabaseOptions {
  name?: string;
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

export function createDatabase(options: DatabaseOptions = {}): HrmDatabase {
  const deps = options.indexedDB ? { indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange } : {};
  const db = new Dexie(options.name ?? DB_NAME, deps) as HrmDatabase;
  for (const { version, stores, upgrade } of DB_VERSIONS) {
    const v = db.version(version).stores(stores);
    if (upgrade) v.upgrade(upgrade);
  }
  db.use(summaryIndexMiddleware);
  return db;
}

/** A getter that creates the database on first call and then returns the same instance. */
export function lazyDatabase(options: DatabaseOptions = {}): () => HrmDatabase {
  let db: HrmDatabase | null = null;
  return () => (db ??= createDatabase(options));
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 15 chars of [a-z0-9], PocketBase's default id pattern (schema.ts). */
export function newId(random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(15));
  // The modulo bias (256 is not a multiple of 36) is harmless for ids.
  return Array.from(bytes, (b) => ID_ALPHABET[b % 36]).join('');
}
