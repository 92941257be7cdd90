import type { TimerState } from '../../../core/workout';
import type { TimerStore } from './timer-store';

/** TimerStore in memory: the revision check and the insert happen in one synchronous step. */
export function createMemoryTimerStore(): TimerStore {
  const latest = new Map<string, TimerState>();
  return {
    async latest(roomId) {
      const s = latest.get(roomId);
      return s ? structuredClone(s) : null;
    },
    async insert(roomId, state) {
      const current = latest.get(roomId);
      if (current && current.revision >= state.revision) return 'lost';
      latest.set(roomId, structuredClone(state));
      return 'ok';
    },
  };
}
