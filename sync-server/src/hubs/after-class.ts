/**
 * After a class carried by a room hub (issue 15, "After class"). The hub uploads each strap's
 * class workout, built exactly as a phone builds its class recording (core/api/hub-workouts.ts),
 * and this makes it the participant's, through the paths a phone's workout already takes:
 * - the class result goes in with the phone's results (rooms/results.ts `submitFor`): report,
 *   screen and, for a guest, the claim link (time-limited token, QR on the hub);
 * - a member's workout is pushed into their synced sessions by the sync service itself (the
 *   same push a phone makes: planned, committed against the member's head, retried on a lost
 *   race), so it reaches every device of theirs like any workout;
 * - a guest's is held (after-class-store.ts) and pushed into the account that claims the result.
 *
 * Exactly once: the session id and every mutation id are derived from (member or guest, room,
 * run), so a retried or duplicated upload, on any process, is the sync protocol's `duplicate`.
 *
 * Hub and phone both recorded a member's class (their phone joined the class and recorded it):
 * the phone's workout is kept. It is the recording the member chose to make, already on their
 * own device (dropping it would delete a workout from the device that recorded it, and any title
 * or notes they gave it), while the hub's copy exists for members whose phone did not record.
 * Each side first writes its own recorder row (class_recorders, unique), then reads the other's:
 * whichever reads second sees the first, so the hub's copy is never delivered after a phone
 * said it recorded, or is deleted (a tombstone, which also absorbs a delivery still under way).
 */
import { createHash } from 'node:crypto';
import type { HubWorkoutBody, HubWorkoutChunk, HubWorkoutPosted } from '../../../core/api';
import { formatHlc, PROTOCOL_VERSION, type Mutation, type PushRequest, type PushResponse } from '../../../core/sync';
import { AppError } from '../http/errors';
import type { ClassResults } from '../rooms/results';
import type { RoomStore } from '../rooms/store';
import type { AfterClassStore, ClassKey, HeldWorkout } from './after-class-store';
import { strapDeviceId, type HubService } from './service';

/** Mutations per push: far below the protocol's 500 and the batch limit, whatever the chunks weigh. */
const PUSH_BATCH = 60;

/** A stable RFC 9562 version-8 (custom) UUID from a seed: the same seed, the same id. */
export function derivedUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The session a hub recorded of a member's class, or of a guest's (then claimed). */
export const memberHubSessionId = (k: ClassKey) => derivedUuid(`hub-workout:member:${k.user}:${k.room}:${k.runStartedAt}`);
export const guestHubSessionId = (participant: string, runStartedAt: number) => derivedUuid(`hub-workout:guest:${participant}:${runStartedAt}`);

export interface HubAfterClassDeps {
  hubs: Pick<HubService, 'authenticateHub'>;
  store: Pick<RoomStore, 'participantByDevice'>;
  results: Pick<ClassResults, 'submitFor'>;
  /** The sync service's push (sync/service.ts), for the member the workout belongs to. */
  push: (memberId: string, request: PushRequest) => Promise<PushResponse>;
  recorders: AfterClassStore;
  now: () => number;
}

export function createHubAfterClass(deps: HubAfterClassDeps) {
  const { recorders, now } = deps;

  /** Pushes the workout into the member's sessions, as `sessionId`; idempotent. */
  async function deliver(memberId: string, sessionId: string, workout: HeldWorkout, deviceId: string): Promise<void> {
    const hlc = formatHlc({ ms: now(), counter: 0, deviceId });
    const { session } = workout;
    const mutations: Mutation[] = [
      {
        id: derivedUuid(`${sessionId}:upsert`),
        type: 'session.upsert',
        session: { ...session, id: sessionId, title: { ...session.title, hlc }, notes: { ...session.notes, hlc }, tags: { ...session.tags, hlc } },
      },
      ...workout.chunks.map((c: HubWorkoutChunk): Mutation => ({ ...c, id: derivedUuid(`${sessionId}:chunk:${c.index}`), type: 'chunk.put', sessionId })),
    ];
    for (let i = 0; i < mutations.length; i += PUSH_BATCH) {
      const res = await deps.push(memberId, { protocol: PROTOCOL_VERSION, deviceId, mutations: mutations.slice(i, i + PUSH_BATCH) });
      // session_deleted: the phone's copy won meanwhile (or the member deleted it): done.
      const refused = res.results.find((r) => r.status === 'rejected' && r.code !== 'session_deleted');
      if (refused && refused.status === 'rejected') throw new AppError('invalid_body', `The workout was refused: ${refused.code}`);
    }
  }

  return {
    async upload(roomId: string, token: string, body: HubWorkoutBody): Promise<HubWorkoutPosted> {
      const hub = await deps.hubs.authenticateHub(roomId, token);
      if (!hub) throw new AppError('unauthenticated', 'Not a hub of this room.');
      const p = await deps.store.participantByDevice(hub.room, strapDeviceId(hub.id, body.strap));
      if (!p || p.status === 'removed') throw new AppError('not_found', 'This hub carried no such strap in this room.');
      const run = body.result.runStartedAt;
      const posted = await deps.results.submitFor(roomId, p, body.result);
      const workout: HeldWorkout = { session: body.session, chunks: body.chunks };
      if (!p.user) {
        await recorders.hold(p.id, roomId, run, workout);
        return { participantId: p.id, delivered: 'held', recordedBy: 'hub', claimToken: posted.claimToken };
      }
      const key: ClassKey = { user: p.user, room: roomId, runStartedAt: run };
      const sessionId = memberHubSessionId(key);
      await recorders.markRecorder(key, 'hub', sessionId);
      if (await recorders.recorded(key, 'phone')) return { participantId: p.id, delivered: 'phone', recordedBy: 'phone', claimToken: null };
      await deliver(p.user, sessionId, workout, `hub_${hub.id}`);
      return { participantId: p.id, delivered: 'member', recordedBy: 'hub', claimToken: null };
    },

    /** A member's phone recorded the run (its result says so): the hub's copy, if any, goes. */
    async phoneRecorded(userId: string, roomId: string, runStartedAt: number): Promise<void> {
      const key: ClassKey = { user: userId, room: roomId, runStartedAt };
      await recorders.markRecorder(key, 'phone', '');
      if (!(await recorders.recorded(key, 'hub'))) return;
      const sessionId = memberHubSessionId(key);
      const res = await deps.push(userId, {
        protocol: PROTOCOL_VERSION,
        deviceId: 'server',
        mutations: [{ id: derivedUuid(`${sessionId}:delete`), type: 'session.delete', sessionId, hlc: formatHlc({ ms: now(), counter: 0, deviceId: 'server' }) }],
      });
      const refused = res.results.find((r) => r.status === 'rejected' && r.code !== 'session_deleted');
      if (refused) throw new AppError('conflict', 'The hub’s copy of this class could not be removed; try again.');
    },

    /** A guest's class result was claimed: the workout a hub held for them joins the account. */
    async claimed(participantId: string, runStartedAt: number, userId: string): Promise<void> {
      const held = await recorders.held(participantId, runStartedAt);
      if (held) await deliver(userId, guestHubSessionId(participantId, runStartedAt), held, 'server');
    },
  };
}

export type HubAfterClass = ReturnType<typeof createHubAfterClass>;
