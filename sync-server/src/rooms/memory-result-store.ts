/** The ResultStore (result-store.ts) in memory, for unit tests of the service and routes. */
import type { ResultRow, ResultStore } from './result-store';

export function createMemoryResultStore(): ResultStore & { rows(): ResultRow[] } {
  const rows = new Map<string, Omit<ResultRow, 'claimedBy'>>();
  const claims = new Map<string, string>();
  let n = 0;
  const withClaim = (r: Omit<ResultRow, 'claimedBy'>): ResultRow => ({ ...structuredClone(r), claimedBy: claims.get(r.id) ?? '' });
  return {
    async put(input) {
      const key = `${input.participant}:${input.result.runStartedAt}`;
      const id = rows.get(key)?.id ?? `result${String(++n).padStart(9, '0')}`;
      rows.set(key, { ...structuredClone(input), id, runStartedAt: input.result.runStartedAt });
    },
    async forRoom(roomId, runs) {
      const mine = [...rows.values()].filter((r) => r.room === roomId);
      const latest = [...new Set(mine.map((r) => r.runStartedAt))].sort((a, b) => b - a).slice(0, runs);
      return mine.filter((r) => latest.includes(r.runStartedAt)).sort((a, b) => b.runStartedAt - a.runStartedAt || a.id.localeCompare(b.id)).map(withClaim);
    },
    async result(participant, runStartedAt) {
      const r = rows.get(`${participant}:${runStartedAt}`);
      return r ? withClaim(r) : null;
    },
    async claim(resultId, userId) {
      if (![...rows.values()].some((r) => r.id === resultId)) return 'gone';
      const owner = claims.get(resultId);
      if (owner !== undefined) return owner === userId ? 'claimed' : 'taken';
      claims.set(resultId, userId);
      return 'claimed';
    },
    rows: () => [...rows.values()].map(withClaim),
  };
}
