import { annotateStoreContract } from '../../../sync-server/src/spotify/annotate-store.contract';
import { createPbAnnotateStore } from '../../../sync-server/src/spotify/pb-annotate-store';
import { newMember, useStoreDb } from './store-db';

const s = useStoreDb();

annotateStoreContract(async () => ({
  store: createPbAnnotateStore(s.admin),
  newMember: () => newMember(s.admin),
  // A synced session row as the sync feature writes it.
  seedSession: async (memberId, sessionId, record, seq) => {
    const deleted = (record as { kind: string }).kind === 'tombstone';
    await s.admin.collection('sync_sessions').create({ member: memberId, session_id: sessionId, record, deleted, tombstoned_at: deleted ? 1 : 0, seq, bytes: JSON.stringify(record).length });
  },
  dispose: async () => undefined,
}));
