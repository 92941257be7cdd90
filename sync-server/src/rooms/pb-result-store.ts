/**
 * The ResultStore (result-store.ts) in PocketBase: `room_results`
 * (pb_migrations/1763901910_room_results.js), unique (participant, run_started_at). A repeated
 * post finds the one row of its run and writes it whole: its only writer is the participant.
 */
import type PocketBase from 'pocketbase';
import { ClassResultSchema } from '../../../core/rooms';
import { isUniqueViolation } from '../auth/pb-limiter';
import { isNotFound } from '../pocketbase/admin-client';
import type { ResultRow, ResultStore } from './result-store';

type PbResult = { id: string; room: string; participant: string; user: string; name: string; run_started_at: number; result: unknown };

/** At most this many rows are read for a report (60 participants × 16 classes). */
const REPORT_ROWS = 1000;

export function createPbResultStore(pb: PocketBase): ResultStore {
  const col = () => pb.collection('room_results');
  return {
    async put(input, at) {
      const fields = {
        room: input.room,
        participant: input.participant,
        user: input.user,
        name: input.name,
        run_started_at: input.result.runStartedAt,
        result: input.result,
        posted_at: at,
      };
      try {
        await col().create(fields, { fields: 'id' });
        return;
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
      const existing = await col().getFirstListItem<PbResult>(
        pb.filter('participant = {:p} && run_started_at = {:run}', { p: input.participant, run: input.result.runStartedAt }),
        { fields: 'id' },
      );
      await col()
        .update(existing.id, fields, { fields: 'id' })
        .catch((e: unknown) => {
          // The participant (and with it the row) was deleted meanwhile: nothing to keep.
          if (!isNotFound(e)) throw e;
        });
    },

    async forRoom(roomId, runs) {
      const list = await col().getList<PbResult>(1, REPORT_ROWS, {
        filter: pb.filter('room = {:room}', { room: roomId }),
        sort: '-run_started_at,id',
        skipTotal: true,
      });
      const latest = new Set([...new Set(list.items.map((r) => r.run_started_at))].slice(0, runs));
      return list.items
        .filter((r) => latest.has(r.run_started_at))
        .map(
          (r): ResultRow => ({
            id: r.id,
            room: r.room,
            participant: r.participant,
            user: r.user,
            name: r.name,
            runStartedAt: r.run_started_at,
            result: ClassResultSchema.parse(r.result),
          }),
        );
    },
  };
}
