import { Hono, type Context } from 'hono';
import {
  AssignStrapBodySchema,
  CreateHubBodySchema,
  PairHubBodySchema,
  RegisterStrapBodySchema,
  StrapClaimBodySchema,
  StrapListBodySchema,
  StrapPrefsBodySchema,
  StrapReleaseBodySchema,
} from '../../../core/api/hubs';
import { HubWorkoutBodySchema } from '../../../core/api/hub-workouts';
import type { HubAfterClass } from '../hubs/after-class';
import { RoomRecordIdSchema } from '../../../core/api/rooms';
import { StrapKeySchema } from '../../../core/rooms';
import { readSessionCookie, requireSession } from '../auth/require-session';
import type { HubService } from '../hubs/service';
import { AppError } from '../http/errors';
import { readJson } from '../http/json-body';
import type { AppEnv } from '../http/types';
import type { AuthDeps } from './auth';

/**
 * Room hubs and the strap registry over HTTP, mounted at /api/v1 (README "Gym hub"):
 * - coaches: POST/GET /rooms/:id/hubs, DELETE /rooms/:id/hubs/:hubId, GET /rooms/:id/straps,
 *   PUT /rooms/:id/straps/:participantId (a guest's name for a strap), DELETE
 *   /rooms/:id/straps/:participantId/claim (release the phone that follows a strap);
 * - the gym device: POST /hubs/pair (pairing code → hub token); its live socket is the room's;
 * - a phone with the room's code: POST /rooms/straps (the straps it may follow),
 *   POST /rooms/straps/claim ("I am Strap 4821" → a participant token), POST /rooms/straps/release
 *   (that phone lets go of it);
 * - a member: GET /straps, POST /straps, DELETE /straps/:key, PUT /straps/prefs;
 * - the hub after class: POST /rooms/:id/hub/workouts (hubs/after-class.ts).
 */
export function hubsRoutes(auth: AuthDeps, hubs: HubService, afterClass?: HubAfterClass) {
  const app = new Hono<AppEnv>();
  const session = requireSession(auth.sessions, auth.now);
  const recordId = (c: Context, param: string, what: string) => {
    const id = RoomRecordIdSchema.safeParse(c.req.param(param));
    if (!id.success) throw new AppError('not_found', `No such ${what}.`);
    return id.data;
  };
  const roomId = (c: Context) => recordId(c, 'id', 'room');
  const userId = (c: Context<AppEnv>) => c.get('session').userId;
  const member = async (c: Context<AppEnv>) => (await auth.sessions.authenticate(readSessionCookie(c), auth.now()))?.userId ?? null;

  // The gym device and phones (no account needed). Registered before '/rooms/:id/...'.

  app.post('/hubs/pair', async (c) => {
    const body = await readJson(c, PairHubBodySchema);
    return c.json(await hubs.pairHub(c.get('clientAddress'), body.code));
  });

  app.post('/rooms/straps', async (c) => {
    const body = await readJson(c, StrapListBodySchema);
    return c.json(await hubs.strapsForPhone(c.get('clientAddress'), await member(c), body.code, body.deviceId));
  });

  app.post('/rooms/straps/claim', async (c) => {
    const body = await readJson(c, StrapClaimBodySchema);
    return c.json(await hubs.claimStrap(c.get('clientAddress'), await member(c), body), 201);
  });

  app.post('/rooms/straps/release', async (c) => {
    const body = await readJson(c, StrapReleaseBodySchema);
    await hubs.releaseMyStrap(c.get('clientAddress'), body);
    return c.body(null, 204);
  });

  // After class, the hub (its token as a Bearer credential): each strap's class workout (hubs/after-class.ts).
  app.post('/rooms/:id/hub/workouts', async (c) => {
    if (!afterClass) throw new AppError('not_found', 'No such endpoint.');
    const h = c.req.header('authorization') ?? '';
    const body = await readJson(c, HubWorkoutBodySchema);
    return c.json(await afterClass.upload(roomId(c), h.startsWith('Bearer ') ? h.slice(7).trim() : '', body));
  });

  // Coaches.

  app.get('/rooms/:id/hubs', session, async (c) => c.json({ hubs: await hubs.listHubs(roomId(c), userId(c)) }));

  app.post('/rooms/:id/hubs', session, async (c) => {
    const body = await readJson(c, CreateHubBodySchema);
    const id = roomId(c);
    const created = await hubs.createHub(id, userId(c), body.name || 'Hub');
    // The token travels in the fragment: browsers never send it to a server or a log.
    return c.json({ ...created, linkPath: `/rooms/${id}/hub#hub=${encodeURIComponent(created.token)}` }, 201);
  });

  app.delete('/rooms/:id/hubs/:hubId', session, async (c) => {
    await hubs.revokeHub(roomId(c), userId(c), recordId(c, 'hubId', 'hub'));
    return c.body(null, 204);
  });

  app.get('/rooms/:id/straps', session, async (c) => c.json({ straps: await hubs.listStraps(roomId(c), userId(c)) }));

  app.put('/rooms/:id/straps/:participantId', session, async (c) => {
    const body = await readJson(c, AssignStrapBodySchema);
    return c.json({ participant: await hubs.assignStrap(roomId(c), userId(c), recordId(c, 'participantId', 'strap'), body) });
  });

  app.delete('/rooms/:id/straps/:participantId/claim', session, async (c) => {
    await hubs.releaseStrapClaim(roomId(c), userId(c), recordId(c, 'participantId', 'strap'));
    return c.body(null, 204);
  });

  // The member's strap registry.

  app.get('/straps', session, async (c) => c.json(await hubs.myStraps(userId(c))));

  app.post('/straps', session, async (c) => {
    const body = await readJson(c, RegisterStrapBodySchema);
    await hubs.registerStrap(userId(c), body.key);
    return c.json(await hubs.myStraps(userId(c)), 201);
  });

  app.put('/straps/prefs', session, async (c) => {
    const body = await readJson(c, StrapPrefsBodySchema);
    await hubs.setStrapPrefs(userId(c), body);
    return c.json(await hubs.myStraps(userId(c)));
  });

  app.delete('/straps/:key', session, async (c) => {
    const key = StrapKeySchema.safeParse(c.req.param('key'));
    if (!key.success) throw new AppError('not_found', 'You have not registered this strap.');
    await hubs.releaseStrap(userId(c), key.data);
    return c.body(null, 204);
  });

  return app;
}
