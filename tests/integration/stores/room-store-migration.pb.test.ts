import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { createDb } from '../../../sync-server/src/pocketbase/admin-client';
import { ensurePocketBaseBinary } from '../../../sync-server/src/pocketbase/binary';
import { defaultMigrationsDir, startEmbeddedPocketBase } from '../../../sync-server/src/pocketbase/embedded';
import { createPbRoomStore } from '../../../sync-server/src/rooms/pb-room-store';
import { freePort } from '../../support/ports';

// pb_migrations/1763901100_room_stores.js on existing data: a room's join code and co-coaches
// (columns of the room record before) move to room_codes and room_coaches.
const MIGRATION = '1763901100_room_stores.js';

it('moves existing join codes and co-coaches to their own records', async () => {
  const bin = await ensurePocketBaseBinary({ bin: process.env.POCKETBASE_BIN || null });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hrm-pb-mig-'));
  const before = await mkdtemp(path.join(tmpdir(), 'hrm-pb-mig-dir-'));
  try {
    for (const f of await readdir(defaultMigrationsDir)) if (f < MIGRATION && f.endsWith('.js')) await cp(path.join(defaultMigrationsDir, f), path.join(before, f));
    const superuser = { email: 'mig@hrm.localhost', password: 'migration-test-password-1' };
    const port = await freePort();
    const old = await startEmbeddedPocketBase({ bin, port, dataDir, migrationsDir: before, superuser, log: () => {} });
    let db = createDb(old.url, superuser);
    await db.connect();
    const password = 'correct horse battery staple';
    const user = (email: string) => db.pb.collection('users').create<{ id: string }>({ email, name: email.split('@')[0], password, passwordConfirm: password });
    const [owner, c1, c2] = [await user('owner@example.com'), await user('c1@example.com'), await user('c2@example.com')];
    const room = await db.pb.collection('rooms').create<{ id: string }>({ owner: owner.id, name: 'Old room', join_code: 'ABCD2345', co_coaches: [c1.id, c2.id] });
    const bare = await db.pb.collection('rooms').create<{ id: string }>({ owner: owner.id, name: 'Bare', join_code: 'WXYZ6789', co_coaches: [] });
    await old.stop();

    const next = await startEmbeddedPocketBase({ bin, port, dataDir, superuser, log: () => {} });
    try {
      db = createDb(next.url, superuser);
      await db.connect();
      const store = createPbRoomStore(db.pb);
      const moved = await store.room(room.id);
      expect(moved).toMatchObject({ id: room.id, owner: owner.id, name: 'Old room', join_code: 'ABCD2345' });
      expect(moved!.coaches.sort()).toEqual([c1.id, c2.id].sort());
      expect((await store.roomByCode('WXYZ6789'))?.id).toBe(bare.id);
      expect((await store.roomsOf(c2.id)).map((r) => r.id)).toEqual([room.id]);
      expect(await store.setJoinCode(bare.id, 'ABCD2345')).toBe('code_taken');
    } finally {
      await next.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await rm(before, { recursive: true, force: true });
  }
});
