/**
 * The real sync routes (routes/sync.ts, the service, the push planner, the error mapping of
 * app.ts) over the in-memory stores, for tests that drive them with `app.request()` as Hono
 * tests its apps: the service's unit tests and the PWA engine's tests (tests/unit). No
 * PocketBase, no socket. Time is a parameter; `purgeTombstones` runs the real maintenance purge.
 */
import { Hono } from 'hono';
import pino from 'pino';
import { formatHlc, PROTOCOL_VERSION } from '../../../../core/sync';
import { errorResponse } from '../../app';
import { createMemorySessionStore } from '../../auth/memory-session-store';
import { SESSION_COOKIE } from '../../auth/require-session';
import { createSessions } from '../../auth/sessions';
import { requestLog } from '../../http/request-log';
import type { AppEnv } from '../../http/types';
import { syncRoutes } from '../../routes/sync';
import type { SyncConfig } from '../config';
import { createSyncMaintenance } from '../maintenance';
import { createMemoryMaintenanceStore } from '../memory-maintenance-store';
import { createMemorySyncStore } from '../memory-sync-store';
import { createSyncService } from '../service';
import { testSyncConfig } from './config';

const DAY = 86_400_000;

export function createMemorySyncApp(opts: { now?: () => number; config?: Partial<SyncConfig> } = {}) {
  const now = opts.now ?? Date.now;
  // Mutable on purpose: a test may shrink the quota between pushes (the service reads it per push).
  const config = testSyncConfig(opts.config);
  const store = createMemorySyncStore({ now });
  const sessions = createSessions(createMemorySessionStore(now), { idleMs: 30 * DAY, maxMs: 60 * DAY });
  const logger = pino({ level: 'silent' });

  const app = new Hono<AppEnv>();
  app.use('*', requestLog(logger));
  app.onError((err, c) => errorResponse(err, c));
  app.route('/api/v1/sync', syncRoutes({ sessions, now, syncConfig: config, syncStore: store }));

  const maintenance = createSyncMaintenance({ store, scan: createMemoryMaintenanceStore(store.tables), config, now, logger });
  const service = createSyncService({ store, config, now });

  return {
    app,
    store,
    config,
    /** A cookie header value of a fresh session of `memberId`. */
    async signIn(memberId: string): Promise<string> {
      const { token } = await sessions.issue(memberId, 'test', now());
      return `${SESSION_COOKIE}=${token}`;
    },
    /** Deletes a session as another device of the member would (a tombstone on the server). */
    async deleteSession(memberId: string, sessionId: string, deviceId = 'server-test') {
      const hlc = formatHlc({ ms: now(), counter: 0, deviceId });
      return service.push(memberId, { protocol: PROTOCOL_VERSION, deviceId, mutations: [{ id: crypto.randomUUID(), type: 'session.delete', sessionId, hlc }] });
    },
    /** The maintenance pass's purge of one member (expired tombstones and mutation ids). */
    purgeTombstones: (memberId: string) => maintenance.purgeMember(memberId),
  };
}

export type MemorySyncApp = ReturnType<typeof createMemorySyncApp>;
