/** "2 workouts and 1 other change", "1 workout", "" — what waits to sync, in words. */
import type { Waiting } from '$lib/sync/waiting';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function waitingText(w: Waiting): string {
  const parts = [
    w.workouts > 0 ? plural(w.workouts, 'workout', 'workouts') : '',
    w.otherChanges > 0 ? plural(w.otherChanges, w.workouts > 0 ? 'other change' : 'change', w.workouts > 0 ? 'other changes' : 'changes') : '',
  ].filter(Boolean);
  return parts.join(' and ');
}
