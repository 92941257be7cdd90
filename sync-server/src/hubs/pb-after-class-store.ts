/** The AfterClassStore (after-class-store.ts) in PocketBase: `class_recorders`, `hub_workouts`. */
import type PocketBase from 'pocketbase';
import { HubWorkoutChunkSchema } from '../../../core/api';
import { LiveSessionSchema } from '../../../core/sync';
import { z } from 'zod';
import { isUniqueViolation } from '../auth/pb-limiter';
import { isNotFound } from '../pocketbase/admin-client';
import type { AfterClassStore, HeldWorkout } from './after-class-store';

const HeldSchema = z.object({ session: LiveSessionSchema, chunks: z.array(HubWorkoutChunkSchema) });

export function createPbAfterClassStore(pb: PocketBase): AfterClassStore {
  const recorders = () => pb.collection('class_recorders');
  const workouts = () => pb.collection('hub_workouts');
  const heldRow = (participant: string, run: number) =>
    workouts().getFirstListItem<{ id: string; workout: unknown }>(pb.filter('participant = {:p} && run_started_at = {:run}', { p: participant, run }));
  return {
    async markRecorder(key, by, sessionId) {
      try {
        await recorders().create({ user: key.user, room: key.room, run_started_at: key.runStartedAt, recorded_by: by, session_id: sessionId }, { fields: 'id' });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    },
    async recorded(key, by) {
      const list = await recorders().getList(1, 1, {
        filter: pb.filter('user = {:u} && room = {:r} && run_started_at = {:run} && recorded_by = {:by}', { u: key.user, r: key.room, run: key.runStartedAt, by }),
        fields: 'id',
        skipTotal: true,
      });
      return list.items.length > 0;
    },
    async hold(participant, room, runStartedAt, workout) {
      const fields = { participant, room, run_started_at: runStartedAt, workout };
      try {
        await workouts().create(fields, { fields: 'id' });
        return;
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
      // Its only writer is the hub that carried the strap: a repeat replaces it whole.
      const existing = await heldRow(participant, runStartedAt);
      await workouts().update(existing.id, fields, { fields: 'id' });
    },
    async held(participant, runStartedAt): Promise<HeldWorkout | null> {
      try {
        const row = await heldRow(participant, runStartedAt);
        const parsed = HeldSchema.safeParse(row.workout);
        return parsed.success ? parsed.data : null;
      } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
      }
    },
  };
}
