import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../sync-server/src/pocketbase/admin-client';
import { createRoomStore, type ParticipantRow } from '../../sync-server/src/rooms/store';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';

/**
 * The hub's presence write (RoomStore.touchParticipant) against a real PocketBase, racing the
 * coach removing the same participant: PocketBase writes whole rows, so the presence write must
 * never carry back a status or token hash from before the removal.
 */
const BEFORE = 'a'.repeat(64); // token hashes are SHA-256 hex
const AFTER = 'b'.repeat(64);
let pb: TestPocketBase;
let db: Db;

beforeAll(async () => {
  pb = await startTestPocketBase();
  db = createDb(pb.url, pb.superuser);
  await db.connect();
});
afterAll(async () => {
  await pb?.dispose();
});

describe('touchParticipant', () => {
  it('writes last_seen, and 40 races with a removal never undo the removal', async () => {
    const store = createRoomStore(db.pb);
    const user = await db.pb.collection('users').create({ email: `p${Date.now()}@example.com`, password: 'a long enough pass 9', passwordConfirm: 'a long enough pass 9', name: 'Coach' });
    const room = await db.pb.collection('rooms').create({ owner: user.id, name: 'R', join_code: 'HJKLMNPQ', co_coaches: [] });
    for (let i = 0; i < 40; i++) {
      const p = await db.pb.collection('room_participants').create<ParticipantRow>({
        room: room.id,
        device_id: `device-${i}-${Date.now()}`,
        name: 'Gail',
        status: 'active',
        token_hash: BEFORE,
        joined_at: 1,
        last_seen: 1,
      });
      // Like removeParticipant: a plain update of status and token hash, at the same moment.
      await Promise.all([store.touchParticipant(p.id, 1_000 + i), db.pb.collection('room_participants').update(p.id, { status: 'removed', token_hash: AFTER })]);
      const row = await db.pb.collection('room_participants').getOne<ParticipantRow>(p.id);
      expect([row.status, row.token_hash]).toEqual(['removed', AFTER]);
    }
    const last = await db.pb.collection('room_participants').create<ParticipantRow>({ room: room.id, device_id: `device-x-${Date.now()}`, name: 'Bo', status: 'active', token_hash: BEFORE, joined_at: 1, last_seen: 1 });
    await store.touchParticipant(last.id, 4_242);
    expect((await store.participant(last.id))?.last_seen).toBe(4_242);
  });
});
