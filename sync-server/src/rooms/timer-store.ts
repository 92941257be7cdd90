import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { parseTimerState, type TimerState } from '../../../core/workout';

/**
 * The room timer in PocketBase as insert-only revisions: `room_timer_states` rows with a unique
 * (room, revision) index. The current state is the row with the highest revision. Writing
 * revision r + 1 is a compare-and-swap: when two processes apply a command to revision r at the
 * same moment, both try to insert r + 1 and the index lets exactly one win; the other learns it
 * lost (`lost`) and re-reads. Old revisions are trimmed after each write.
 */
export interface TimerStore {
  latest(roomId: string): Promise<TimerState | null>;
  /** Inserts `state` (its revision must be the current one + 1); `lost` when another won. */
  insert(roomId: string, state: TimerState): Promise<'ok' | 'lost'>;
}

const KEEP_REVISIONS = 10;

export function createPbTimerStore(pb: PocketBase): TimerStore {
  const col = () => pb.collection('room_timer_states');
  const exists = async (roomId: string, revision: number) =>
    (await col().getList(1, 1, { filter: pb.filter('room = {:roomId} && revision = {:revision}', { roomId, revision }), fields: 'id', skipTotal: true }))
      .items.length > 0;
  return {
    async latest(roomId) {
      const rows = await col().getList<{ state: unknown }>(1, 1, { filter: pb.filter('room = {:roomId}', { roomId }), sort: '-revision', skipTotal: true });
      const row = rows.items[0];
      if (!row) return null;
      const parsed = parseTimerState(row.state);
      if (!parsed.ok) throw new Error(`room ${roomId}: stored timer state is invalid`);
      return parsed.state;
    },
    async insert(roomId, state) {
      try {
        await col().create({ room: roomId, revision: state.revision, state });
      } catch (e) {
        // A unique-index violation comes back as a 400 validation error: confirm it was ours.
        if (e instanceof ClientResponseError && e.status === 400 && (await exists(roomId, state.revision))) return 'lost';
        throw e;
      }
      void trim(pb, roomId, state.revision - KEEP_REVISIONS).catch(() => undefined);
      return 'ok';
    },
  };
}

async function trim(pb: PocketBase, roomId: string, below: number) {
  if (below <= 0) return;
  const rows = await pb
    .collection('room_timer_states')
    .getList<{ id: string }>(1, 50, { filter: pb.filter('room = {:roomId} && revision < {:below}', { roomId, below }), fields: 'id', skipTotal: true });
  if (rows.items.length === 0) return;
  const batch = pb.createBatch();
  for (const r of rows.items) batch.collection('room_timer_states').delete(r.id);
  await batch.send();
}
