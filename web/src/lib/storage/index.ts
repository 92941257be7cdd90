/**
 * Local storage (IndexedDB through Dexie): schema.ts documents the tables. `createStorage` makes
 * the stores around one lazily created database; the root layout puts it in the app context.
 */
import { lazyDatabase, type DatabaseOptions, type HrmDatabase } from './database';
import { createPlanStore, type PlanStore } from './plans';
import { createSessionStore, type SessionStore } from './sessions';
import { createSettingsStore, type SettingsStore } from './settings';

export * from './schema';
export { createDatabase, lazyDatabase, newId, type DatabaseOptions, type HrmDatabase } from './database';
export { decodeReadings, encodeReadings, normalizeReading, type RecordedReading } from './readings';
export * from './sessions';
export * from './plans';
export * from './settings';
export * from './docs';
export * from './persistence';
export * from './outbox';
export * from './sync-meta';

export interface Storage {
  /** The Dexie database (created on first call). Screens use the stores, not this. */
  db: () => HrmDatabase;
  sessions: SessionStore;
  plans: PlanStore;
  settings: SettingsStore;
}

export function createStorage(options: DatabaseOptions & { now?: () => number } = {}): Storage {
  const db = lazyDatabase(options);
  return {
    db,
    sessions: createSessionStore(db, options.now),
    plans: createPlanStore(db, options.now),
    settings: createSettingsStore(db, options.now),
  };
}
