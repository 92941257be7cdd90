/**
 * Seeds recorded sessions (web/src/lib/history/sample-sessions.ts) into the app's IndexedDB
 * (`hrm`, schema in web/src/lib/storage/schema.ts) from page.evaluate, for the history browser
 * test and benchmarks.
 */
import type { Page } from 'playwright-core';
import { DB_NAME } from '../../web/src/lib/storage/schema';
import type { Seeded } from '../../web/src/lib/history/sample-sessions';
import { factsRowOf, FACTS_TABLE } from '../../web/src/lib/storage/session-facts';

export { seedSession, SEED_PROFILE, type Seeded, type SeedChunk, type SeedOptions } from '../../web/src/lib/history/sample-sessions';

/**
 * Writes rows into the app's database, as the app stores them (with their summary index rows
 * where the database has that table).
 * The app must have opened it first (any history screen
 * has once its list or empty state shows), so the object stores exist with Dexie's schema.
 */
export async function seedInPage(page: Page, seeded: readonly Seeded[]): Promise<void> {
  const sessions = seeded.map((s) => s.session);
  // With their summary index rows, as the app's own writes keep them (storage/session-facts.ts).
  const facts = sessions.flatMap((s) => factsRowOf(s) ?? []);
  const chunks = seeded.flatMap((s) => s.chunks);
  await page.evaluate(
    async ({ name, sessions, chunks, facts, factsTable }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      await new Promise<void>((resolve, reject) => {
        const withFacts = db.objectStoreNames.contains(factsTable);
        const tx = db.transaction(withFacts ? ['sessions', 'chunks', factsTable] : ['sessions', 'chunks'], 'readwrite');
        for (const s of sessions) tx.objectStore('sessions').put(s);
        if (withFacts) for (const f of facts) tx.objectStore(factsTable).put(f);
        for (const c of chunks) tx.objectStore('chunks').put({ ...c, data: new Uint8Array(c.data) });
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { name: DB_NAME, sessions, chunks, facts, factsTable: FACTS_TABLE },
  );
}

/** Rows in the app's database for one session id: [sessions, chunks]. */
export async function countRows(page: Page, id: string): Promise<[number, number]> {
  return page.evaluate(
    async ({ name, id }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const count = (store: string, query: IDBValidKey | IDBKeyRange, index?: string) =>
        new Promise<number>((resolve) => {
          const os = db.transaction(store).objectStore(store);
          const req = (index ? os.index(index) : os).count(query);
          req.onsuccess = () => resolve(req.result);
        });
      const result: [number, number] = [await count('sessions', id), await count('chunks', id, 'sessionId')];
      db.close();
      return result;
    },
    { name: DB_NAME, id },
  );
}
