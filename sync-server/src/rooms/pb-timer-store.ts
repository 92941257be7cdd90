import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { parseTimerState } from '../../../core/workout';
import type { TimerStore } from './timer-store';

/** TimerStore over PocketBase: `room_timer_states` rows, unique (room, revision); old revisions trimmed. */
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
