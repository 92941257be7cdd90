import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bluetoothStrapKey } from '../../core/rooms';
import { client } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';
import { createRoom, newDeviceId, openLive, participantHello, signUp, type LiveClient } from './rooms-support';

// The strap registry's conflicts as the coach sees them (issue 15: "the coach sees conflicts"),
// and letting go of a phone's claim on a strap: the phone itself ("Not my strap") or the coach.
let pb: TestPocketBase;
let server: TestServer;
const open: LiveClient[] = [];

beforeAll(async () => {
  pb = await startTestPocketBase();
  server = await startSyncServer({ pb });
});

afterAll(async () => {
  open.forEach((l) => l.close());
  await server?.stop();
  await pb?.dispose();
});

async function live(...args: Parameters<typeof openLive>) {
  const l = await openLive(...args);
  open.push(l);
  await l.waitFor((m) => m.type === 'snapshot');
  return l;
}

type RoomStrap = { participant: { id: string; name: string; member: boolean }; claimed: boolean; key: string | null; conflicts: string[] };
const strapIds = (hub: LiveClient) => new Map(hub.messages.flatMap((m) => (m.type === 'hub-strap' ? [[m.strap, m.participantId] as const] : [])));

describe('strap conflicts and claim release', () => {
  it('lists a strap registered by a member who has not opted in, a guest-named strap a member registered, a contested claim; the coach and the phone release claims', async () => {
    const coach = await signUp(server.url);
    const ann = await signUp(server.url);
    const carl = await signUp(server.url);
    const n = 10_000 + Math.floor(Math.random() * 50_000);
    const [annKey, guestKey, freeKey] = [bluetoothStrapKey(`Polar H10 ${n.toString(16).toUpperCase()}`), `ant:${n}`, `ant:${n + 1}`];
    // A Bluetooth strap registers by its name (ble:<name>), as the hub publishes it.
    expect((await ann.c.post('/api/v1/straps', { key: annKey })).status).toBe(201);

    const { room } = await createRoom(coach.c);
    const created = await coach.c.post(`/api/v1/rooms/${room.id}/hubs`, { name: 'Tablet' });
    const hub = await live(server.url, room.id, { hello: { type: 'hello', v: 1, role: 'hub', token: created.body.token } });
    await expect
      .poll(
        () => {
          hub.send({ type: 'hub-readings', readings: [annKey, guestKey, freeKey].map((strap) => ({ strap, bpm: 100 })) });
          return strapIds(hub).size;
        },
        { interval: 400, timeout: 15_000 },
      )
      .toBe(3);
    const ids = strapIds(hub);
    const list = async () => {
      const r = await coach.c.get(`/api/v1/rooms/${room.id}/straps`);
      expect(r.status).toBe(200);
      return new Map((r.body.straps as RoomStrap[]).map((s) => [s.participant.id, s]));
    };

    // Ann registered hers but has not opted in: she stays "Polar H10 …", and the coach is told why.
    let straps = await list();
    expect(straps.get(ids.get(annKey)!)).toMatchObject({ key: annKey, participant: { member: false }, conflicts: ['owner_not_opted_in'] });
    expect(straps.get(ids.get(guestKey)!)).toMatchObject({ key: guestKey, conflicts: [] });

    // The coach names a strap as a guest, then Carl registers it: a conflict.
    const guest = ids.get(guestKey)!;
    expect((await coach.c.put(`/api/v1/rooms/${room.id}/straps/${guest}`, { name: 'Gail' })).status).toBe(200);
    expect((await carl.c.post('/api/v1/straps', { key: guestKey })).status).toBe(201);
    straps = await list();
    expect(straps.get(guest)).toMatchObject({ participant: { name: 'Gail' }, conflicts: ['named_guest_registered'] });

    // One phone claims the free strap; a second phone is refused, and the coach sees it.
    const free = ids.get(freeKey)!;
    const [dev1, dev2] = [newDeviceId(), newDeviceId()];
    const phone1 = await client(server.url).post('/api/v1/rooms/straps/claim', { code: room.joinCode, deviceId: dev1, participantId: free });
    expect(phone1.status).toBe(201);
    const follow1 = await live(server.url, room.id, { hello: participantHello(phone1.body.token) });
    const refused = await client(server.url).post('/api/v1/rooms/straps/claim', { code: room.joinCode, deviceId: dev2, participantId: free });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('strap_claimed');
    expect((await list()).get(free)).toMatchObject({ claimed: true, conflicts: ['claim_contested'] });

    // Only the coach of the room releases it; the first phone is cut off at once.
    expect((await ann.c.del(`/api/v1/rooms/${room.id}/straps/${free}/claim`)).status).toBe(404);
    expect((await coach.c.del(`/api/v1/rooms/${room.id}/straps/${free}/claim`)).status).toBe(204);
    expect((await follow1.closed).code).toBe(4403);
    expect((await list()).get(free)).toMatchObject({ claimed: false, conflicts: [] });
    expect((await coach.c.del(`/api/v1/rooms/${room.id}/straps/${free}/claim`)).status).toBe(404);

    // The second phone claims it now, then lets go of it itself ("Not my strap").
    const phone2 = await client(server.url).post('/api/v1/rooms/straps/claim', { code: room.joinCode, deviceId: dev2, participantId: free });
    expect(phone2.status).toBe(201);
    const release = (deviceId: string) => client(server.url).post('/api/v1/rooms/straps/release', { code: room.joinCode, deviceId, participantId: free });
    expect((await release(dev1)).status).toBe(404);
    expect((await release(dev2)).status).toBe(204);
    expect((await release(dev2)).status).toBe(404);
    expect((await list()).get(free)).toMatchObject({ claimed: false });
    expect((await client(server.url).post('/api/v1/rooms/straps/claim', { code: room.joinCode, deviceId: dev1, participantId: free })).status).toBe(201);
  });
});
