/** The AfterClassStore (after-class-store.ts) in memory: tests and a single-process dev run. */
import type { AfterClassStore, ClassKey, HeldWorkout, RecordedBy } from './after-class-store';

export function createMemoryAfterClassStore(): AfterClassStore {
  const recorders = new Map<string, string>();
  const held = new Map<string, HeldWorkout>();
  const recorderKey = (k: ClassKey, by: RecordedBy) => JSON.stringify([k.user, k.room, k.runStartedAt, by]);
  const heldKey = (participant: string, run: number) => JSON.stringify([participant, run]);
  // Copies in and out, as a database would: a caller never shares an object with the store.
  const copy = (w: HeldWorkout): HeldWorkout => structuredClone(w);
  return {
    async markRecorder(key, by, sessionId) {
      const k = recorderKey(key, by);
      if (!recorders.has(k)) recorders.set(k, sessionId);
    },
    async recorded(key, by) {
      return recorders.has(recorderKey(key, by));
    },
    async hold(participant, _room, runStartedAt, workout) {
      held.set(heldKey(participant, runStartedAt), copy(workout));
    },
    async held(participant, runStartedAt) {
      const w = held.get(heldKey(participant, runStartedAt));
      return w ? copy(w) : null;
    },
  };
}
