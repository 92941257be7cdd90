import { Hono, type Context } from 'hono';
import {
  ClaimResultBodySchema,
  ClassResultBodySchema,
  CoCoachBodySchema,
  CreateDisplayBodySchema,
  CreateRoomBodySchema,
  JoinBodySchema,
  PairBodySchema,
  RenameRoomBodySchema,
  RoomMusicCommandSchema,
  RoomRecordIdSchema,
  RoomVolumeBodySchema,
  TileSortBodySchema,
  TimerBodySchema,
} from '../../../core/api/rooms';
import { MUSIC_COMMANDS } from '../../../core/rooms';
import { readSessionCookie, requireSession } from '../auth/require-session';
import { AppError, errorStatus } from '../http/errors';
import { readJson } from '../http/json-body';
import type { AppEnv } from '../http/types';
import type { LiveHub } from '../live/hub';
import { acceptLive } from '../live/live-upgrade';
import { checkUpgradeOrigin } from '../live/upgrade-origin';
import type { RoomMusicService } from '../rooms/music';
import { reportCsv, type ClassResults } from '../rooms/results';
import { roomMusicView } from '../rooms/music-view';
import type { RoomService } from '../rooms/service';
import type { RoomStore } from '../rooms/store';
import type { Ok } from '../spotify/player';
import type { Problem } from '../spotify/problems';
import type { NowPlayingView } from '../spotify/service';
import type { AuthDeps } from './auth';
import { problemError } from './spotify';

/**
 * Class mode over HTTP: rooms for coaches (session cookie), joining for participants (join code,
 * as a member or a guest), co-coach invitations, display pairing, the room's music, and the live
 * WebSocket. The API is
 * described in README.md ("Class mode"); the live protocol in core/rooms/wire.ts.
 */
export interface RoomsFeature {
  service: RoomService;
  store: RoomStore;
  hub: LiveHub;
  music: RoomMusicService;
  results: ClassResults;
  ownOrigin: (url: URL, headers: Headers) => string;
}

// Request schemas (bodies and ids): the REST contract's (core/api/rooms.ts), shared with the PWA.

export function roomsRoutes(auth: AuthDeps, feature: RoomsFeature) {
  const app = new Hono<AppEnv>();
  const { service } = feature;
  const session = requireSession(auth.sessions, auth.now);
  const roomId = (c: Context) => {
    const id = RoomRecordIdSchema.safeParse(c.req.param('id'));
    if (!id.success) throw new AppError('not_found', 'No such room.');
    return id.data;
  };
  const userId = (c: Context<AppEnv>) => c.get('session').userId;
  const bearer = (c: Context) => {
    const h = c.req.header('authorization') ?? '';
    return h.startsWith('Bearer ') ? h.slice(7).trim() : '';
  };

  // Without an account.

  app.post('/join', async (c) => {
    const body = await readJson(c, JoinBodySchema);
    const member = await auth.sessions.authenticate(readSessionCookie(c), auth.now());
    const joined = await service.join(c.get('clientAddress'), member?.userId ?? null, body);
    return c.json(joined, 201);
  });

  app.post('/pair', async (c) => {
    const body = await readJson(c, PairBodySchema);
    return c.json(await service.pairDisplay(c.get('clientAddress'), body.code));
  });

  app.post('/:id/leave', async (c) => {
    await service.leave(roomId(c), bearer(c));
    return c.body(null, 204);
  });

  // A participant's result of a class run (rooms/results.ts), with its participant token.
  app.post('/:id/results', async (c) => {
    const id = roomId(c);
    const { recordedOnPhone, ...result } = await readJson(c, ClassResultBodySchema);
    return c.json(await feature.results.submit(id, bearer(c), result, { recordedOnPhone }));
  });

  app.get('/:id/live', async (c) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') throw new AppError('upgrade_required', 'This is a WebSocket endpoint.');
    checkUpgradeOrigin(c, feature.ownOrigin);
    const id = roomId(c);
    if (!(await feature.store.room(id))) throw new AppError('not_found', 'No such room.');
    return acceptLive(c.env, feature.hub.events({ roomId: id, sessionToken: readSessionCookie(c) }));
  });

  // The room's music (rooms/music.ts): a display (its token) or a coach reads it.

  app.get('/:id/music', async (c) => {
    const id = roomId(c);
    const token = bearer(c);
    let r: NowPlayingView | Problem;
    if (token) r = await feature.music.forDisplay(id, token);
    else {
      const member = await auth.sessions.authenticate(readSessionCookie(c), auth.now());
      if (!member) throw new AppError('unauthenticated', 'Sign in, or open the display link.');
      r = await feature.music.forCoach(id, member.userId);
    }
    // Not connected or not configured: the usual Spotify codes; displays then show nothing.
    if ('ok' in r) throw problemError(r);
    if (r.retryAfterMs !== undefined) c.header('Retry-After', String(Math.max(1, Math.ceil(r.retryAfterMs / 1000))));
    return c.json(roomMusicView(r, auth.now()));
  });

  // Co-coach invitations to the signed-in member (registered before '/:id').

  const invitationId = (c: Context) => {
    const id = RoomRecordIdSchema.safeParse(c.req.param('invitationId'));
    if (!id.success) throw new AppError('not_found', 'No such invitation.');
    return id.data;
  };

  app.get('/invitations', session, async (c) => c.json(await service.myInvitations(userId(c))));

  // A guest's class result, attached to the signed-in member with its link (rooms/results.ts).
  app.post('/results/claim', session, async (c) => {
    const body = await readJson(c, ClaimResultBodySchema);
    return c.json(await feature.results.claim(body.token, userId(c)));
  });

  app.post('/invitations/:invitationId/accept', session, async (c) => c.json({ room: await service.acceptInvitation(userId(c), invitationId(c)) }));

  app.post('/invitations/:invitationId/decline', session, async (c) => {
    await service.declineInvitation(userId(c), invitationId(c));
    return c.body(null, 204);
  });

  // Coaches (owner and co-coaches).

  app.post('/', session, async (c) => {
    const body = await readJson(c, CreateRoomBodySchema);
    return c.json(await service.create(userId(c), body.name, body.plan), 201);
  });

  app.get('/', session, async (c) => c.json({ rooms: await service.list(userId(c)) }));

  app.get('/:id/report', session, async (c) => c.json(await feature.results.report(roomId(c), userId(c))));

  app.get('/:id/report.csv', session, async (c) => {
    const report = await feature.results.report(roomId(c), userId(c));
    const file = `${report.room.name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'class'}-report.csv`;
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="report.csv"; filename*=UTF-8''${encodeURIComponent(file)}`);
    return c.body(reportCsv(report));
  });

  app.get('/:id', session, async (c) => {
    const id = roomId(c);
    const row = await service.coachRoom(id, userId(c));
    return c.json({ room: await service.view(row, userId(c)), timer: await service.latestTimer(id), serverTime: auth.now() });
  });

  app.patch('/:id', session, async (c) => {
    const body = await readJson(c, RenameRoomBodySchema);
    return c.json({ room: await service.rename(roomId(c), userId(c), body.name) });
  });

  // How every screen of the room orders its tiles; live to every display (room message).
  app.put('/:id/tile-sort', session, async (c) => {
    const body = await readJson(c, TileSortBodySchema);
    return c.json({ room: await service.setTileSort(roomId(c), userId(c), body.mode) });
  });

  app.delete('/:id', session, async (c) => {
    await service.remove(roomId(c), userId(c));
    return c.body(null, 204);
  });

  app.post('/:id/join-code', session, async (c) => c.json({ room: await service.rotateCode(roomId(c), userId(c)) }));

  // The answer is the same whether or not the address has an account (service.invite).
  app.post('/:id/co-coaches', session, async (c) => {
    const body = await readJson(c, CoCoachBodySchema);
    await service.invite(roomId(c), userId(c), body.email);
    return c.json({ status: 'invited' }, 202);
  });

  app.get('/:id/invitations', session, async (c) => c.json({ invitations: await service.roomInvitations(roomId(c), userId(c)) }));

  app.delete('/:id/invitations/:invitationId', session, async (c) => {
    await service.revokeInvitation(roomId(c), userId(c), invitationId(c));
    return c.body(null, 204);
  });

  app.delete('/:id/co-coaches/:userId', session, async (c) => {
    const other = RoomRecordIdSchema.safeParse(c.req.param('userId'));
    if (!other.success) throw new AppError('not_found', 'Not a co-coach of this room.');
    return c.json({ room: await service.removeCoCoach(roomId(c), userId(c), other.data) });
  });

  app.get('/:id/displays', session, async (c) => c.json({ displays: await service.listDisplays(roomId(c), userId(c)) }));

  app.post('/:id/displays', session, async (c) => {
    const body = await readJson(c, CreateDisplayBodySchema);
    const id = roomId(c);
    const created = await service.createDisplay(id, userId(c), body.name || 'Display');
    // The token travels in the fragment: browsers never send it to a server or a log.
    return c.json({ ...created, linkPath: `/rooms/${id}/display#token=${encodeURIComponent(created.token)}` }, 201);
  });

  app.delete('/:id/displays/:displayId', session, async (c) => {
    const d = RoomRecordIdSchema.safeParse(c.req.param('displayId'));
    if (!d.success) throw new AppError('not_found', 'No such display.');
    await service.revokeDisplay(roomId(c), userId(c), d.data);
    return c.body(null, 204);
  });

  app.get('/:id/participants', session, async (c) => c.json({ participants: await service.listParticipants(roomId(c), userId(c)) }));

  app.delete('/:id/participants/:participantId', session, async (c) => {
    const p = RoomRecordIdSchema.safeParse(c.req.param('participantId'));
    if (!p.success) throw new AppError('not_found', 'No such participant.');
    await service.removeParticipant(roomId(c), userId(c), p.data);
    return c.body(null, 204);
  });

  app.get('/:id/timer', session, async (c) => {
    const id = roomId(c);
    await service.coachRoom(id, userId(c));
    return c.json({ state: await service.latestTimer(id), serverTime: auth.now() });
  });

  app.post('/:id/timer', session, async (c) => {
    const body = await readJson(c, TimerBodySchema);
    const id = roomId(c);
    await service.coachRoom(id, userId(c));
    const r = await service.timerCommand(id, body.command, { plan: body.plan, ifRevision: body.ifRevision });
    if (r.ok) return c.json({ state: r.state, serverTime: auth.now() });
    // Not an exception: an expected outcome, returned with the current state to re-render from.
    const code = r.code === 'conflict' ? 'conflict' : 'timer_rejected';
    const error = { code, reason: r.code, message: `The timer did not take '${body.command}' (${r.code}).`, requestId: c.get('requestId') };
    return c.json({ error, state: r.state, serverTime: auth.now() }, errorStatus[code]);
  });

  // The coaches control the owner's Spotify, authorized exactly like the timer.
  const musicDone = (r: Ok | Problem) => {
    if (!r.ok) throw problemError(r);
  };

  app.put('/:id/music/volume', session, async (c) => {
    const body = await readJson(c, RoomVolumeBodySchema);
    musicDone(await feature.music.setVolume(roomId(c), userId(c), body.percent));
    return c.json({ ok: true, volume: body.percent });
  });

  app.post('/:id/music/:command', session, async (c) => {
    const id = roomId(c);
    const command = RoomMusicCommandSchema.safeParse(c.req.param('command'));
    if (!command.success) throw new AppError('not_found', `No such music command (${MUSIC_COMMANDS.join(', ')}).`);
    musicDone(await feature.music.command(id, userId(c), command.data));
    return c.json({ ok: true });
  });

  return app;
}
