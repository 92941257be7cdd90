import PocketBase, { ClientResponseError } from 'pocketbase';

/**
 * App-wide Spotify facts that every server process must obey (spotify-emulator.md §3 rule 4),
 * stored in PocketBase: the 429 circuit (open until `now + Retry-After`), the invalid_client
 * alarm, and the call budget for Spotify's rolling 30-second window (one row per call).
 */
export type CircuitReason = 'rate' | 'quota';

type StateRow = { id: string; key: string; until: number; at: number; reason: string };

export const BUDGET_WINDOW_MS = 30_000;

export function createAppState(pb: PocketBase, opts: { callsPer30s: number }) {
  const STATE = 'spotify_app_state';
  const CALLS = 'spotify_calls';
  const read = async (key: string) =>
    (await pb.collection(STATE).getList<StateRow>(1, 1, { filter: pb.filter('key = {:key}', { key }), skipTotal: true })).items[0] ?? null;
  const upsert = async (key: string, fields: { until: number; at: number; reason: string }) => {
    const existing = await read(key);
    if (existing) {
      await pb.collection(STATE).update(existing.id, fields);
      return;
    }
    try {
      await pb.collection(STATE).create({ key, ...fields });
    } catch (e) {
      if (!(e instanceof ClientResponseError) || e.status !== 400) throw e;
      const again = await read(key);
      if (again) await pb.collection(STATE).update(again.id, fields);
    }
  };

  return {
    async circuit(now: number): Promise<{ until: number; reason: CircuitReason } | null> {
      const row = await read('circuit');
      return row && row.until > now ? { until: row.until, reason: row.reason as CircuitReason } : null;
    },
    async openCircuit(until: number, reason: CircuitReason, now: number): Promise<void> {
      const current = await read('circuit');
      if (current && current.until >= until) return;
      await upsert('circuit', { until, at: now, reason });
    },
    async alarm(): Promise<{ at: number; reason: string } | null> {
      const row = await read('alarm');
      return row && row.at > 0 ? { at: row.at, reason: row.reason } : null;
    },
    async raiseAlarm(reason: 'invalid_client', now: number): Promise<void> {
      await upsert('alarm', { until: 0, at: now, reason });
    },
    async clearAlarm(): Promise<void> {
      const row = await read('alarm');
      if (row && row.at > 0) await pb.collection(STATE).update(row.id, { at: 0, reason: '' });
    },
    /**
     * Takes one call from the app-wide budget: insert, then count the window (race-free across
     * processes, like the login throttle); over budget → our row is removed and we say no.
     */
    async takeCall(route: string, now: number): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> {
      const row = await pb.collection(CALLS).create<{ id: string }>({ at: now, route });
      const inWindow = await pb.collection(CALLS).getList(1, 1, { filter: pb.filter('at > {:since}', { since: now - BUDGET_WINDOW_MS }), fields: 'id' });
      if (inWindow.totalItems <= opts.callsPer30s) return { ok: true };
      await pb.collection(CALLS).delete(row.id).catch(() => undefined);
      return { ok: false, retryAfterMs: 2_000 };
    },
    async purgeCalls(before: number): Promise<void> {
      const rows = await pb.collection(CALLS).getList<{ id: string }>(1, 500, { filter: pb.filter('at < {:at}', { at: before }), fields: 'id', skipTotal: true });
      if (rows.items.length === 0) return;
      const batch = pb.createBatch();
      for (const r of rows.items) batch.collection(CALLS).delete(r.id);
      await batch.send();
    },
  };
}

export type AppState = ReturnType<typeof createAppState>;
