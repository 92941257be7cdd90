import type PocketBase from 'pocketbase';
import { afterAll, beforeAll } from 'vitest';
import { annotateStoreContract } from '../../../sync-server/src/spotify/annotate-store.contract';
import { createPbAnnotateStore } from '../../../sync-server/src/spotify/pb-annotate-store';
import { startTestPocketBase, type TestPocketBase } from '../../support/pocketbase';
import { newUser, storeAdmin } from './spotify-support';

let pb: TestPocketBase;
let admin: PocketBase;

beforeAll(async () => {
  pb = await startTestPocketBase();
  admin = await storeAdmin(pb);
});
afterAll(async () => {
  await pb?.dispose();
});

annotateStoreContract(async () => ({
  store: createPbAnnotateStore(admin),
  newMember: () => newUser(admin),
  // A synced session row as the sync feature writes it.
  seedSession: async (memberId, sessionId, record, seq) => {
    const deleted = (record as { kind: string }).kind === 'tombstone';
    await admin.collection('sync_sessions').create({ member: memberId, session_id: sessionId, record, deleted, tombstoned_at: deleted ? 1 : 0, seq, bytes: JSON.stringify(record).length });
  },
  dispose: async () => undefined,
}));
