import { AppError } from '../http/errors';
import type { LiveBus } from '../live/bus';
import type { CoachRoom } from './service';
import type { Invitation, RoomRow, RoomStore } from './store';

const MINUTE = 60_000;

/**
 * Co-coaches are invited by email and added only when the invitee accepts from their own
 * account (issue 11, defect 9): inviting never looks an account up, so neither the answer nor
 * its timing tells whether an address is registered; invitations are limited per owner; an
 * invitation shows only to an account whose (confirmed) email it names.
 */
export interface CoCoachDeps {
  store: RoomStore;
  bus: LiveBus;
  invitationsPerOwnerPerHour: number;
  coachRoom(roomId: string, userId: string, ownerOnly?: boolean): Promise<RoomRow>;
  view(row: RoomRow, userId: string): Promise<CoachRoom>;
  /** One atomic slot of the limiter, or a 429 AppError. */
  limit(key: string, max: number, windowMs: number, message: string): Promise<void>;
}

export function createCoCoaches(deps: CoCoachDeps) {
  const { store, bus, coachRoom, view, limit } = deps;
  const notFound = () => new AppError('not_found', 'No such room.');

  /** The invitee's own account: invitations go to its (verified) email address. */
  async function invitee(userId: string) {
    const member = await store.member(userId);
    if (!member) throw new AppError('unauthenticated', 'Sign in again.');
    return member;
  }
  async function myInvitation(userId: string, invitationId: string): Promise<Invitation> {
    const member = await invitee(userId);
    const inv = await store.invitation(invitationId);
    if (!inv || inv.email !== member.email.toLowerCase()) throw new AppError('not_found', 'No such invitation.');
    if (!member.verified) throw new AppError('forbidden', 'Confirm your email address first (see the mail we sent).');
    return inv;
  }


  return {
    /**
     * The same work and the same answer whatever the address: no account is looked up here, so
     * neither the response nor its timing tells whether the address is registered.
     */
    async invite(roomId: string, userId: string, email: string): Promise<void> {
      await coachRoom(roomId, userId, true);
      await limit(`invite:${userId}`, deps.invitationsPerOwnerPerHour, 60 * MINUTE, 'Too many invitations. Try again later.');
      await store.invite(roomId, email.toLowerCase(), userId);
    },

    async roomInvitations(roomId: string, userId: string) {
      await coachRoom(roomId, userId, true);
      return (await store.invitationsOfRoom(roomId)).map((i) => ({ id: i.id, email: i.email, created: i.created }));
    },

    async revokeInvitation(roomId: string, userId: string, invitationId: string) {
      await coachRoom(roomId, userId, true);
      const inv = await store.invitation(invitationId);
      if (!inv || inv.room !== roomId || !(await store.deleteInvitation(inv.id))) throw new AppError('not_found', 'No such invitation.');
    },

    /** Pending invitations to the signed-in member's own (verified) address. */
    async myInvitations(userId: string) {
      const member = await invitee(userId);
      if (!member.verified) return { emailVerified: false, invitations: [] };
      const list = await store.invitationsFor(member.email.toLowerCase());
      const rooms = await Promise.all(list.map((i) => store.room(i.room)));
      const inviters = new Map((await store.members([...new Set(list.map((i) => i.invitedBy))])).map((m) => [m.id, m.name]));
      const invitations = list.flatMap((i, k) => {
        const room = rooms[k];
        return room ? [{ id: i.id, room: { id: room.id, name: room.name }, invitedBy: inviters.get(i.invitedBy) ?? '', created: i.created }] : [];
      });
      return { emailVerified: true, invitations };
    },

    async acceptInvitation(userId: string, invitationId: string) {
      const inv = await myInvitation(userId, invitationId);
      const room = await store.room(inv.room);
      if (!room) throw new AppError('not_found', 'No such invitation.');
      if (room.owner === userId) {
        await store.deleteInvitation(inv.id);
        throw new AppError('conflict', 'You own this room already.');
      }
      if (!(await store.acceptInvitation(inv, userId))) throw new AppError('not_found', 'No such invitation.');
      return view((await store.room(inv.room)) ?? room, userId);
    },

    async declineInvitation(userId: string, invitationId: string) {
      const inv = await myInvitation(userId, invitationId);
      await store.deleteInvitation(inv.id);
    },

    async removeCoCoach(roomId: string, userId: string, coCoachId: string) {
      await coachRoom(roomId, userId, true);
      if (!(await store.removeCoach(roomId, coCoachId))) throw new AppError('not_found', 'Not a co-coach of this room.');
      // Every process re-checks its open control sockets of this room (live hub).
      bus.publish(roomId, { type: 'reauthorize', role: 'control' });
      const row = await store.room(roomId);
      if (!row) throw notFound();
      return view(row, userId);
    },

  };
}
