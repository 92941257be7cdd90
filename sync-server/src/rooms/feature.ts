import type { Logger } from 'pino';
import type { Sessions } from '../auth/sessions';
import { createPbLimiter } from '../auth/pb-limiter';
import type { Config } from '../config';
import type { LiveBus } from '../live/bus';
import { createLiveHub } from '../live/hub';
import { createPbHubStore } from '../hubs/pb-hub-store';
import { createHubService, type HubService } from '../hubs/service';
import { createHubAfterClass, type HubAfterClass } from '../hubs/after-class';
import { createPbAfterClassStore } from '../hubs/pb-after-class-store';
import { loadSyncConfig } from '../sync/config';
import { createPbSyncStore } from '../sync/pb-sync-store';
import { createSyncService } from '../sync/service';
import type { Db } from '../pocketbase/admin-client';
import type { RoomsFeature } from '../routes/rooms';
import type { SpotifyService } from '../spotify/service';
import { createRoomMusic } from './music';
import { createPbResultStore } from './pb-result-store';
import { createPbRoomStore } from './pb-room-store';
import { createPbTimerStore } from './pb-timer-store';
import { createClassResults } from './results';
import { createRoomService, DEFAULT_ROOM_LIMITS } from './service';

/** Heart-rate messages closer together than this are dropped (≈1 Hz with jitter allowed). */
export const HR_MIN_INTERVAL_MS = 750;
const PAIRING_TTL_MS = 10 * 60_000;

/** Wires class mode together: PocketBase stores, the room service, the room's music and this process's live hub. */
export function createRoomsFeature(deps: {
  db: Db;
  bus: LiveBus;
  config: Config;
  logger: Logger;
  now: () => number;
  sessions: Sessions;
  ownOrigin: (url: URL, headers: Headers) => string;
  /** The room's music (the owner's Spotify); null when Spotify is not configured. */
  spotify: SpotifyService | null;
}): RoomsFeature & { hubs: HubService; afterClass: HubAfterClass } {
  const { db, bus, config, now } = deps;
  const store = createPbRoomStore(db.pb);
  const service = createRoomService({
    store,
    timers: createPbTimerStore(db.pb),
    bus,
    limiter: createPbLimiter(db.pb),
    now,
    // Per-address and per-room join limits are constants (service.ts, RoomLimits); the
    // per-device code limit is ROOM_CODE_ATTEMPTS_PER_MINUTE.
    limits: {
      ...DEFAULT_ROOM_LIMITS,
      codeAttemptsPerDevice: config.rooms.codeAttemptsPerMinute,
      pairingAttemptsPerAddress: config.rooms.codeAttemptsPerMinute,
    },
    pairingTtlMs: PAIRING_TTL_MS,
  });
  const limits = { ...DEFAULT_ROOM_LIMITS, codeAttemptsPerDevice: config.rooms.codeAttemptsPerMinute, pairingAttemptsPerAddress: config.rooms.codeAttemptsPerMinute };
  // Room hubs (issue 15): room credentials like displays, carrying many straps (hubs/service.ts).
  const hubs = createHubService({ hubs: createPbHubStore(db.pb), store, rooms: service, bus, limiter: createPbLimiter(db.pb), now, pairingTtlMs: PAIRING_TTL_MS, limits });
  const hub = createLiveHub({
    service,
    hubs,
    store,
    bus,
    authenticateSession: async (token) => {
      const s = await deps.sessions.authenticate(token, now());
      return s ? { userId: s.userId, expiresAt: Math.min(s.idleExpires, s.expires) } : null;
    },
    config: { staleMs: config.rooms.staleMs, goneMs: config.rooms.goneMs, hrMinIntervalMs: HR_MIN_INTERVAL_MS },
    now,
    logger: deps.logger.child({ component: 'live' }),
  });
  const music = createRoomMusic({ service, store, spotify: deps.spotify });
  // After a class carried by a hub (hubs/after-class.ts): results, members' sessions, guests' claims.
  let afterClass: HubAfterClass | null = null;
  const results = createClassResults({
    rooms: service,
    results: createPbResultStore(db.pb),
    now,
    phoneRecorded: (userId, roomId, run) => afterClass!.phoneRecorded(userId, roomId, run),
    claimed: (participantId, run, userId) => afterClass!.claimed(participantId, run, userId),
  });
  const sync = createSyncService({ store: createPbSyncStore(db.pb), config: loadSyncConfig(process.env), now });
  afterClass = createHubAfterClass({ hubs, store, results, push: (memberId, request) => sync.push(memberId, request), recorders: createPbAfterClassStore(db.pb), now });
  return { service, store, hub, music, results, ownOrigin: deps.ownOrigin, hubs, afterClass };
}

