import { describe, expect, it } from 'vitest';
import { createDb } from '../../sync-server/src/pocketbase/admin-client';
import { useTestServer } from '../support/test-server';
import { createRoom, signUp } from './rooms-support';

// Issue 11, defect 9: co-coaches are invited by email; the answer says nothing about whether
// the address has an account; nothing happens until the invitee accepts from their own account;
// invitations are rate-limited per owner.
const server = useTestServer({ env: { TRUST_PROXY: '1' } });

async function verifyEmail(userId: string) {
  const db = createDb(server.pb.url, server.pb.superuser);
  await db.connect();
  await db.pb.collection('users').update(userId, { verified: true });
}

describe('class mode: co-coach invitations', () => {
  it('the answer is the same for a registered and an unknown address, with no id or name', async () => {
    const owner = await signUp(server.url);
    const helper = await signUp(server.url);
    const { room } = await createRoom(owner.c);
    const known = await owner.c.post(`/api/v1/rooms/${room.id}/co-coaches`, { email: helper.m.email });
    const unknown = await owner.c.post(`/api/v1/rooms/${room.id}/co-coaches`, { email: `nobody-${Date.now()}@example.com` });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.body).toEqual({ status: 'invited' });
    expect(unknown.body).toEqual(known.body);
    expect(known.text).not.toContain(helper.user.id);
    // Nothing happened yet: the helper has no access and the room no co-coach.
    expect((await helper.c.get(`/api/v1/rooms/${room.id}`)).status).toBe(404);
    expect((await owner.c.get(`/api/v1/rooms/${room.id}`)).body.room.coCoaches).toEqual([]);
    const pending = (await owner.c.get(`/api/v1/rooms/${room.id}/invitations`)).body.invitations.map((i: { email: string }) => i.email);
    expect(pending).toContain(helper.m.email.toLowerCase());
  });

  it('the invitee sees it from their own confirmed account and accepts; declining adds nobody', async () => {
    const owner = await signUp(server.url);
    const helper = await signUp(server.url);
    const other = await signUp(server.url);
    const { room } = await createRoom(owner.c, 'Rowing');
    const { room: second } = await createRoom(owner.c, 'Yoga');
    await owner.c.post(`/api/v1/rooms/${room.id}/co-coaches`, { email: helper.m.email });
    await owner.c.post(`/api/v1/rooms/${second.id}/co-coaches`, { email: helper.m.email });
    // Unconfirmed address: nothing shown (anyone can register any address).
    expect((await helper.c.get('/api/v1/rooms/invitations')).body).toEqual({ emailVerified: false, invitations: [] });
    await verifyEmail(helper.user.id);
    await verifyEmail(other.user.id);
    const mine = (await helper.c.get('/api/v1/rooms/invitations')).body.invitations as Array<{ id: string; room: { id: string; name: string }; invitedBy: string }>;
    expect(mine.map((i) => [i.room.name, i.invitedBy])).toEqual([
      ['Rowing', owner.user.name],
      ['Yoga', owner.user.name],
    ]);
    expect((await other.c.get('/api/v1/rooms/invitations')).body.invitations).toEqual([]);
    expect((await other.c.post(`/api/v1/rooms/invitations/${mine[0]!.id}/accept`)).status).toBe(404);
    const accepted = await helper.c.post(`/api/v1/rooms/invitations/${mine[0]!.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.room).toMatchObject({ id: room.id, isOwner: false, coCoaches: [{ id: helper.user.id, name: helper.user.name }] });
    expect((await helper.c.post(`/api/v1/rooms/${room.id}/timer`, { command: 'start' })).status).toBe(200);
    expect((await helper.c.post(`/api/v1/rooms/invitations/${mine[1]!.id}/decline`)).status).toBe(204);
    expect((await helper.c.get(`/api/v1/rooms/${second.id}`)).status).toBe(404);
    expect((await helper.c.get('/api/v1/rooms/invitations')).body.invitations).toEqual([]);
    expect((await helper.c.get('/api/v1/rooms')).body.rooms.map((r: { id: string }) => r.id)).toEqual([room.id]);
  });

  it('invitations are rate-limited per owner (429 with Retry-After); the owner can withdraw one', async () => {
    const owner = await signUp(server.url);
    const { room } = await createRoom(owner.c);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await owner.c.post(`/api/v1/rooms/${room.id}/co-coaches`, { email: `p${i}-${Date.now()}@example.com` })).status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(20);
    const limited = await owner.c.post(`/api/v1/rooms/${room.id}/co-coaches`, { email: 'late@example.com' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3000);
    const [first] = (await owner.c.get(`/api/v1/rooms/${room.id}/invitations`)).body.invitations;
    expect((await owner.c.del(`/api/v1/rooms/${room.id}/invitations/${first.id}`)).status).toBe(204);
    expect((await owner.c.get(`/api/v1/rooms/${room.id}/invitations`)).body.invitations).toHaveLength(19);
  });
});
