import { randomUUID } from 'node:crypto';
import type PocketBase from 'pocketbase';
import { afterAll, beforeAll } from 'vitest';
import { createDb, type Db } from '../../../sync-server/src/pocketbase/admin-client';
import { startTestPocketBase, type TestPocketBase } from '../../support/pocketbase';

/**
 * A real PocketBase for one store contract file: started before its tests, stopped after them.
 * `admin` is the superuser client the server's PocketBase stores are built on (the server's own
 * admin client, autoCancellation off), `db` the whole admin client, `pb` the test PocketBase.
 */
export function useStoreDb() {
  let pb: TestPocketBase | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    pb = await startTestPocketBase();
    db = createDb(pb.url, pb.superuser);
    await db.connect();
  });
  afterAll(async () => {
    await pb?.dispose();
  });
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('PocketBase starts in beforeAll');
    return v;
  };
  return {
    get pb(): TestPocketBase {
      return started(pb);
    },
    get db(): Db {
      return started(db);
    },
    get admin(): PocketBase {
      return started(db).pb;
    },
  };
}

/** A member: most store rows relate to `users`, and deleting the member cascades to them. */
export async function newMember(admin: PocketBase, name = 'Store test'): Promise<string> {
  const password = `pw-${randomUUID()}`;
  const user = await admin.collection('users').create<{ id: string }>({ email: `store-${randomUUID()}@hrm.localhost`, password, passwordConfirm: password, name });
  return user.id;
}

/** One more superuser client of its own, as a second server process would have. */
export async function anotherAdmin(pb: TestPocketBase): Promise<PocketBase> {
  const db = createDb(pb.url, pb.superuser);
  await db.connect();
  return db.pb;
}
