import { BUDGET_WINDOW_MS, type AppStateStore, type CircuitReason } from './app-state';

/** App-wide state in memory (unit tests), with the same rules as PocketBase's. */
export function createMemoryAppStateStore(opts: { callsPer30s: number }): AppStateStore {
  const circuits: { until: number; reason: CircuitReason }[] = [];
  let alarm: { at: number; reason: string } | null = null;
  const slots: number[] = [];
  const tick = () => Promise.resolve();
  return {
    async circuit(now) {
      await tick();
      const open = circuits.filter((c) => c.until > now).sort((a, b) => b.until - a.until)[0];
      return open ? { ...open } : null;
    },
    async openCircuit(until, reason) {
      await tick();
      circuits.push({ until, reason });
    },
    async alarm() {
      await tick();
      return alarm ? { ...alarm } : null;
    },
    async raiseAlarm(reason, now) {
      await tick();
      alarm = { at: now, reason };
    },
    async clearAlarm() {
      await tick();
      alarm = null;
    },
    async takeCall(_route, now) {
      await tick();
      for (let i = 0; i < opts.callsPer30s; i++) {
        if ((slots[i] ?? -Infinity) <= now - BUDGET_WINDOW_MS) {
          slots[i] = now;
          return { ok: true };
        }
      }
      const oldest = Math.min(...slots);
      return { ok: false, retryAfterMs: Math.max(1, oldest + BUDGET_WINDOW_MS - now) };
    },
    async purge(before) {
      await tick();
      for (let i = circuits.length - 1; i >= 0; i--) if (circuits[i]!.until < before) circuits.splice(i, 1);
    },
  };
}
