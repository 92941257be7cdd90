/**
 * The ResultStore (result-store.ts) in PocketBase: `room_results`
 * (pb_migrations/1763901910_room_results.js), unique (participant, run_started_at). A repeated
 * post finds the one row of its run and writes it whole: its only writer is the participant.
 * A guest's claim is a `room_result_claims` row (unique per result), never an update of the
 * result, so a re-post cannot undo it.
 */
import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { ClassResultSchema } from '../../../core/rooms';
import { isUniqueViolation } from '../auth/pb-limiter';
import { isNotFound } from '../pocketbase/admin-client';
import type { ResultRow, ResultStore } from './result-store';

type PbResult = {
  id: string;
  room: string;
  participant: string;
  user: string;
  name: string;
  run_started_at: number;
  result: unknown;
  claim_hash: string;
  expand?: { room_result_claims_via_result?: { user: string } | Array<{ user: string }> };
};
const CLAIMS = 'room_result_claims_via_result';

/** At most this many rows are read for a report (60 participants × 16 classes). */
const REPORT_ROWS = 1000;

function row(r: PbResult): ResultRow {
  const claims = r.expand?.[CLAIMS];
  const claim = Array.isArray(claims) ? claims[0] : claims;
  return {
    id: r.id,
    room: r.room,
    participant: r.participant,
    user: r.user,
    name: r.name,
    runStartedAt: r.run_started_at,
    result: ClassResultSchema.parse(r.result),
    claimHash: r.claim_hash ?? '',
    claimedBy: claim?.user ?? '',
  };
}

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
        claim_hash: input.claimHash,
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
        expand: CLAIMS,
        skipTotal: true,
      });
      const latest = new Set([...new Set(list.items.map((r) => r.run_started_at))].slice(0, runs));
      return list.items.filter((r) => latest.has(r.run_started_at)).map(row);
    },

    async result(participant, runStartedAt) {
      const found = await col().getList<PbResult>(1, 1, {
        filter: pb.filter('participant = {:p} && run_started_at = {:run}', { p: participant, run: runStartedAt }),
        expand: CLAIMS,
        skipTotal: true,
      });
      return found.items[0] ? row(found.items[0]) : null;
    },

    async claim(resultId, userId) {
      try {
        await pb.collection('room_result_claims').create({ result: resultId, user: userId }, { fields: 'id' });
        return 'claimed';
      } catch (e) {
        if (!isUniqueViolation(e)) {
          // The result (or the member) was deleted meanwhile: the relation no longer resolves.
          if (e instanceof ClientResponseError && e.status === 400) return 'gone';
          throw e;
        }
      }
      const existing = await pb.collection('room_result_claims').getFirstListItem<{ user: string }>(pb.filter('result = {:r}', { r: resultId }), { fields: 'user' });
      return existing.user === userId ? 'claimed' : 'taken';
    },
  };
}
