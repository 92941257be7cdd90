import PocketBase from 'pocketbase';
import { describe, expect, it } from 'vitest';
import { PushResponseSchema } from '../../core/sync';
import { accountKey } from '../../sync-server/src/routes/auth';
import { pushBody, recordedSession } from '../../sync-server/src/sync/testing/fixtures';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';
import { createDisplay, createRoom, joinAsGuest, newDeviceId } from './rooms-support';

/**
 * Issue 11, defect 12: deleting an account must remove or anonymize every row that names the
 * member. The member gets data in every collection (through the API where one exists, through
 * the admin API for the Spotify rows, whose API needs the Spotify emulator), is deleted, and
 * then every row of every collection, PocketBase's own included, is searched for anything
 * that identifies them.
 */
const server = useTestServer();

async function admin() {
  const pb = new PocketBase(server.pb.url);
  pb.autoCancellation(false);
  await pb.collection('_superusers').authWithPassword(server.pb.superuser.email, server.pb.superuser.password);
  return pb;
}

async function signUp(tag: string) {
  const m = newMember(tag);
  const c = client(server.url);
  expect((await c.post('/api/v1/auth/register', m)).status).toBe(202);
  const login = await c.post('/api/v1/auth/login', { email: m.email, password: m.password, deviceName: `${tag} phone` });
  expect(login.status).toBe(200);
  return { c, m, id: login.body.user.id as string };
}

/** Every row of every collection (views included), as JSON text, with where it was found. */
async function everyRow(pb: PocketBase): Promise<{ where: string; text: string }[]> {
  const out: { where: string; text: string }[] = [];
  for (const col of await pb.collections.getFullList()) {
    for (const row of await pb.collection(col.name).getFullList({ batch: 500 })) {
      out.push({ where: `${col.name}/${row.id}`, text: JSON.stringify(row) });
    }
  }
  return out;
}

describe('deleting an account', () => {
  it('leaves no row in any collection that names the member', async () => {
    const pb = await admin();
    const ann = await signUp('ann');
    const coach = await signUp('coach');

    // Sync: a recorded session with its chunks and applied mutations.
    const rec = await recordedSession(Date.now() - 3600_000, 'ann-phone-1', 7);
    const pushed = await ann.c.post('/api/v1/sync/push', pushBody('ann-phone-1', rec.mutations));
    expect(pushed.status, pushed.text).toBe(200);
    expect(PushResponseSchema.parse(pushed.body).results.every((r) => r.status === 'applied')).toBe(true);

    // Class mode: Ann's own room with a display and a guest; Ann joins the coach's room as a
    // member and is a co-coach there.
    const own = await createRoom(ann.c, 'Ann HIIT');
    await createDisplay(ann.c, own.room.id);
    expect((await joinAsGuest(server.url, own.room.joinCode)).reply.status).toBe(201);
    const theirs = await createRoom(coach.c, 'Coach HIIT');
    const joined = await ann.c.post('/api/v1/rooms/join', { code: theirs.room.joinCode, deviceId: newDeviceId(), name: ann.m.name, age: 41, sex: 'female', weightKg: 60 });
    expect(joined.status, joined.text).toBe(201);
    await pb.collection('room_coaches').create({ room: theirs.room.id, user: ann.id });
    // An invitation to Ann's address from the coach, and one Ann sent from her own room.
    await pb.collection('room_invitations').create({ room: theirs.room.id, email: ann.m.email.toLowerCase(), invited_by: coach.id });
    expect((await ann.c.post(`/api/v1/rooms/${own.room.id}/co-coaches`, { email: coach.m.email })).status).toBe(202);

    // Spotify rows (connected account, its ledger, leases, a pending connect, now playing,
    // track annotations) as the Spotify feature writes them.
    const grant = await pb.collection('spotify_grants').create({
      id: ann.id, member: ann.id, access_token: 'sealed-a', refresh_token: 'sealed-r', key_id: 'k1', version: 1, status: 'ok',
    });
    await pb.collection('spotify_grant_versions').create({ grant: grant.id, version: 1 });
    await pb.collection('spotify_leases').create({ key: `refresh:${ann.id}`, holder: 'p1', locked_until: Date.now() + 60_000 });
    await pb.collection('spotify_leases').create({ key: `now-playing:${ann.id}`, holder: 'p1', locked_until: Date.now() + 60_000 });
    await pb.collection('spotify_oauth_states').create({ state_hash: 'a'.repeat(64), member: ann.id, session: 'x', verifier: 'v', expires_at: Date.now() + 60_000 });
    await pb.collection('spotify_now_playing').create({ id: ann.id, member: ann.id, state: { playing: true }, fetched_at: Date.now() });
    await pb.collection('spotify_track_jobs').create({ member: ann.id, session_id: rec.session.id, state: 'pending' }).catch(() => undefined);
    await pb.collection('spotify_track_scans').create({ id: ann.id, member: ann.id, seq: 1 }).catch(() => undefined);

    // Strava rows (issue 16): grant and ledger, refresh lease, a pending connect, choice, cursor, upload job.
    const sg = await pb.collection('strava_grants').create({ id: ann.id, member: ann.id, access_token: 'sealed-a', refresh_token: 'sealed-r', key_id: 'k1', version: 1, status: 'ok' });
    await pb.collection('strava_grant_versions').create({ grant: sg.id, version: 1 });
    await pb.collection('provider_leases').create({ key: `strava-refresh:${ann.id}`, holder: 'p1', locked_until: Date.now() + 60_000 });
    await pb.collection('strava_oauth_states').create({ state_hash: 'b'.repeat(64), member: ann.id, session: 'x', expires_at: Date.now() + 60_000 });
    await pb.collection('strava_prefs').create({ id: ann.id, member: ann.id, mode: 'auto' });
    await pb.collection('strava_scans').create({ id: ann.id, member: ann.id, seq: 1 });
    await pb.collection('strava_upload_jobs').create({ member: ann.id, session_id: rec.session.id, state: 'queued' });

    // Login throttling keyed by Ann's address: a failed sign-in, and a lock row.
    const wrong = await client(server.url).post('/api/v1/auth/login', { email: ann.m.email, password: 'not the password at all' });
    expect(wrong.status).toBe(401);
    const key = `acct:${accountKey(ann.m.email)}`;
    // Rows of the pre-limiter collections that older data may still hold.
    await pb.collection('auth_locks').create({ key, locked_until: 1 });
    await pb.collection('auth_events').create({ key, at: Date.now() });

    const identifying = [ann.id, ann.m.email, ann.m.name, accountKey(ann.m.email)];
    const naming = (rows: { where: string; text: string }[]) => rows.filter((r) => identifying.some((x) => r.text.includes(x))).map((r) => r.where);
    // Control: the search finds Ann in every kind of collection before the deletion.
    const before = new Set(naming(await everyRow(pb)).map((w) => w.split('/')[0]));
    for (const c of ['users', 'sessions', 'sync_sessions', 'sync_chunks', 'sync_mutations', 'sync_commits', 'sync_members', 'rooms', 'room_displays', 'room_participants', 'room_timer_states', 'spotify_grants', 'spotify_leases', 'spotify_oauth_states', 'spotify_now_playing', 'strava_grants', 'provider_leases', 'strava_oauth_states', 'strava_prefs', 'strava_scans', 'strava_upload_jobs', 'auth_events', 'auth_locks', 'limiter_slots', 'room_coaches', 'room_invitations']) {
      if (c === 'room_displays' || c === 'room_timer_states') continue; // named through their room only
      expect(before, c).toContain(c);
    }
    const ownRoomRows = async () =>
      (await pb.collection('room_displays').getFullList({ filter: pb.filter('room = {:r}', { r: own.room.id }) })).length +
      (await pb.collection('room_participants').getFullList({ filter: pb.filter('room = {:r}', { r: own.room.id }) })).length +
      (await pb.collection('room_timer_states').getFullList({ filter: pb.filter('room = {:r}', { r: own.room.id }) })).length;
    expect(await ownRoomRows()).toBeGreaterThanOrEqual(3);

    expect((await ann.c.del('/api/v1/me', { password: ann.m.password })).status).toBe(204);

    expect(naming(await everyRow(pb))).toEqual([]);
    expect(await ownRoomRows()).toBe(0);
    // The other coach's room and data stay; only Ann left it.
    expect(await pb.collection('room_coaches').getFullList({ filter: pb.filter('room = {:r}', { r: theirs.room.id }) })).toEqual([]);
    expect((await coach.c.get(`/api/v1/rooms/${theirs.room.id}`)).status).toBe(200);
    expect((await coach.c.get('/api/v1/me')).status).toBe(200);
  });
});
