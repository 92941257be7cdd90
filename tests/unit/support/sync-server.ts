/**
 * The PWA's sync client against the real sync server logic: the Hono sync routes over the
 * in-memory stores (sync-server/src/sync/testing/memory-sync-app.ts), reached through the
 * PWA's own HTTP client with `app.request()` as its fetch. Lives under tests/ because web/
 * imports nothing from sync-server/.
 */
import type { Mutation } from '../../../core/sync';
import { createMemorySyncApp } from '../../../sync-server/src/sync/testing/memory-sync-app';
import { createHttpClient, createSyncApi, type SyncApi } from '../../../web/src/lib/api';

export const MEMBER = 'member1';

export interface TestSyncServer {
  api: SyncApi;
  /** The mutations of every push that reached the server, in order. */
  pushes: Mutation[][];
  /** Every pull's `kinds` (`pull:<kinds>`) and on-demand readings request (`chunks:<id>:<from>`), in order. */
  requests: string[];
  /** Every request fails as offline (a fetch that throws) while true. */
  offline: boolean;
  /** The member's storage quota (read by every push). */
  quotaBytes: number;
  /**
   * Another device deletes the session and the tombstone expires and is purged by the real
   * maintenance pass: the server no longer has it, and older cursors get a reset.
   */
  purge(sessionId: string): Promise<void>;
  /** Ids of the sessions the server stores for the member (tombstones included). */
  sessionIds(): string[];
}

export async function startSyncServer(): Promise<TestSyncServer> {
  let skew = 0;
  const server = createMemorySyncApp({ now: () => Date.now() + skew, config: { tombstoneMs: 60_000 } });
  const cookie = await server.signIn(MEMBER);
  const pushes: Mutation[][] = [];
  const requests: string[] = [];

  const fetchApp: typeof fetch = async (input, init) => {
    if (state.offline) throw new TypeError('Failed to fetch');
    const url = new URL(String(input), 'http://localhost');
    const path = url.pathname;
    if (path.endsWith('/sync/push') && typeof init?.body === 'string') pushes.push((JSON.parse(init.body) as { mutations: Mutation[] }).mutations);
    if (path.endsWith('/sync/pull')) requests.push(`pull:${url.searchParams.get('kinds') ?? 'all'}`);
    const chunks = /\/sync\/sessions\/([^/]+)\/chunks$/.exec(path);
    if (chunks) requests.push(`chunks:${decodeURIComponent(chunks[1]!)}:${url.searchParams.get('from') ?? 0}`);
    const headers = new Headers(init?.headers);
    headers.set('cookie', cookie);
    return server.app.request(`${path}${url.search}`, { ...init, headers });
  };

  const state: TestSyncServer = {
    api: createSyncApi(createHttpClient({ fetch: fetchApp, baseUrl: '/api/v1' })),
    pushes,
    requests,
    offline: false,
    get quotaBytes() {
      return server.config.quotaBytes;
    },
    set quotaBytes(bytes: number) {
      server.config.quotaBytes = bytes;
    },
    async purge(sessionId) {
      await server.deleteSession(MEMBER, sessionId);
      skew += server.config.tombstoneMs + 1000;
      const outcome = await server.purgeTombstones(MEMBER);
      if (outcome.kind !== 'purged') throw new Error(`the purge did not happen: ${outcome.kind}`);
    },
    sessionIds: () => [...server.store.tables.sessions.values()].filter((r) => r.member === MEMBER).map((r) => r.record.id),
  };
  return state;
}
