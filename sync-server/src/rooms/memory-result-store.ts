/** The ResultStore (result-store.ts) in memory, for unit tests of the service and routes. */
import type { ResultRow, ResultStore } from './result-store';

export function createMemoryResultStore(): ResultStore & { rows(): ResultRow[] } {
  const rows = new Map<string, ResultRow>();
  let n = 0;
  return {
    async put(input) {
      const key = `${input.participant}:${input.result.runStartedAt}`;
      const id = rows.get(key)?.id ?? `result${String(++n).padStart(9, '0')}`;
      rows.set(key, { ...structuredClone(input), id, runStartedAt: input.result.runStartedAt });
    },
    async forRoom(roomId, runs) {
      const mine = [...rows.values()].filter((r) => r.room === roomId);
      const latest = [...new Set(mine.map((r) => r.runStartedAt))].sort((a, b) => b - a).slice(0, runs);
      return mine.filter((r) => latest.includes(r.runStartedAt)).sort((a, b) => b.runStartedAt - a.runStartedAt || a.id.localeCompare(b.id)).map((r) => structuredClone(r));
    },
    rows: () => [...rows.values()],
  };
}
