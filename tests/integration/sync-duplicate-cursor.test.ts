import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushResponseSchema, type PushRequest } from '../../core/sync';
import { liveSession, pushBody, upsert } from '../../sync-server/src/sync/testing/fixtures';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

// Issue 11, defect 17: among concurrent identical pushes, an all-duplicate answer carried a
// cursor from before its own batch (the head was read before the applied ids). The protocol
// (docs/sync-protocol.md §2) says a push's cursor is "the log position after this batch".
const server = useTestServer();
let admin: PocketBase;

beforeAll(async () => {
  admin = new PocketBase(server.pb.url);
  admin.autoCancellation(false);
  await admin.collection('_superusers').authWithPassword(server.pb.superuser.email, server.pb.superuser.password);
});
afterAll(() => admin?.authStore.clear());

const seqOf = (cursor: string) => Number(cursor.split('.')[1]);

describe('concurrent identical pushes', () => {
  it('every answer, applied or duplicate, carries a cursor at or after the commit of its batch', async () => {
    const m = newMember('dup');
    expect((await client(server.url).post('/api/v1/auth/register', m)).status).toBe(202);
    const phone = client(server.url);
    const login = await phone.post('/api/v1/auth/login', { email: m.email, password: m.password });
    expect(login.status).toBe(200);
    const userId: string = login.body.user.id;

    const ROUNDS = 8;
    const COPIES = 24;
    let late = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const body: PushRequest = pushBody('phone-a1', [upsert(liveSession({ startedAt: Date.now() - (round + 2) * 3600_000, deviceId: 'phone-a1' }))]);
      // The same batch sent many times at once (a client retrying a push whose answer it lost).
      const replies = await Promise.all(Array.from({ length: COPIES }, () => phone.post('/api/v1/sync/push', body)));
      const answers = replies.map((r) => {
        expect(r.status, r.text).toBe(200);
        return PushResponseSchema.parse(r.body);
      });
      expect(answers.filter((a) => a.results[0]!.status === 'applied')).toHaveLength(1);
      // The log position of the batch's own commit, as the store recorded it.
      const row = await admin
        .collection('sync_mutations')
        .getFirstListItem<{ seq: number }>(admin.filter('member = {:m} && mutation_id = {:id}', { m: userId, id: body.mutations[0]!.id }));
      for (const a of answers) if (seqOf(a.cursor) < row.seq) late += 1;
    }
    expect(late).toBe(0);
  });
});
