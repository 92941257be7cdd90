import type { WSContext } from 'hono/ws';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_HR_BURST,
  DISPLAY_PRESENCE_REFRESH_MS,
  displaySeenKey,
  displaySocketKey,
  initialHrPace,
  LIVE_CLOSE,
  LIVE_PROTOCOL_VERSION,
  parseClientMessage,
  type ClientMessage,
  type HrPaceRule,
  type HubReadingsMessage,
  type LiveConfig,
  type LiveRole,
  type ServerMessage,
  type SnapshotParticipant,
  type TimerCommandMessage,
} from '../../../core/rooms';
import type { HubService } from '../hubs/service';
import type { HubRow } from '../hubs/store';
import type { RoomService } from '../rooms/service';
import { participantView, type ParticipantRow, type RoomRow, type RoomStore } from '../rooms/store';
import type { AccessEvent, LiveBus, PresenceMemo, RoomEvent } from './bus';
import type { LiveSocketEvents } from './live-upgrade';
import { checkHrFrame } from './hr-frame';
import { paceInSlots, paceSlots, type PaceSlots } from './pace-slots';

/**
 * The WebSocket side of class mode, per server process: authenticates each socket's `hello`,
 * sends the snapshot, checks every later message against the socket's role, and fans room
 * events from the bus out to the sockets of this process. Heart rate lives only here and on the
 * bus (never written per beat to PocketBase); a participant's last_seen is written at most
 * every PRESENCE_WRITE_MS.
 *
 * Authorization is continuous, not only at hello: every event that may end access (a session
 * revoked, a co-coach removed, a display re-paired, an account deleted: `reauthorize` room
 * events and the bus's access channel) makes the hub re-check the affected sockets against
 * the stores and close those that fail. Events reach every process through the bus. When the
 * bus lost events (an outage), the hub re-checks every socket and sends each a fresh snapshot.
 */
export interface LiveHubDeps {
  service: Pick<RoomService, 'authenticateDisplay' | 'authenticateParticipant' | 'latestTimer' | 'isCoach' | 'timerCommand'>;
  store: Pick<RoomStore, 'room' | 'activeParticipants' | 'touchParticipants'>;
  /** Room hubs (hubs/service.ts); absent: a `hub` hello is refused. */
  hubs?: Pick<HubService, 'authenticateHub' | 'strapParticipant'>;
  bus: LiveBus;
  /**
   * Session check for control sockets (the cookie captured at the upgrade), per command.
   * `expiresAt`: when the session ends unless used (idle or absolute expiry, whichever first).
   */
  authenticateSession: (token: string | undefined) => Promise<{ userId: string; expiresAt?: number } | null>;
  config: LiveConfig;
  now: () => number;
  logger: Logger;
  helloTimeoutMs?: number;
  /** Heart rates a sender may have in flight after a stall (hr-pacing.ts). */
  hrBurst?: number;
  /** Presence writes due are sent together this often (one PocketBase request), default 1 s. */
  presenceFlushMs?: number;
}

export interface SocketContext {
  roomId: string;
  sessionToken: string | undefined;
}

interface Conn {
  ws: WSContext;
  roomId: string;
  sessionToken: string | undefined;
  role: LiveRole | null;
  /** The display or participant token of the hello, kept to re-check it. */
  token: string | null;
  /** Control: the member behind the session. Participant: its member account, if any. */
  userId: string | null;
  participantId: string | null;
  displayId: string | null;
  state: 'new' | 'authenticating' | 'open' | 'closed';
  /** Room events that arrived while a snapshot was being read; sent right after it. */
  backlog: RoomEvent[] | null;
  /** An access event came while the hello was being checked: check again once open. */
  recheckPending: boolean;
  /** Heart-rate pacing of this socket, updated in place (heartRate, pace-slots.ts). */
  pace: PaceSlots | null;
  /**
   * This socket publishes its own heart rate (a phone with its strap): it has every reading
   * already, so its readings are not sent back to it. A phone following a hub's strap publishes
   * none and gets its own participant's readings (deliver).
   */
  publishesHr: boolean;
  lastPresenceWriteAt: number;
  windowStart: number;
  windowCount: number;
  helloTimer: ReturnType<typeof setTimeout> | null;
  /** Control: a re-check due when the session expires (armExpiry). */
  expiryTimer: ReturnType<typeof setTimeout> | null;
  /** A display's own presence key on the bus while its socket is open (display-link.ts). */
  presenceKey: string | null;
  lastDisplayPresenceAt: number;
  /** A room hub's socket: its hub and the straps it carries (hubReadings). */
  hubLink?: HubLink | null;
}

/** A strap a hub's socket carries: the participant it is (null: removed by the coach), re-read every STRAP_RESOLVE_MS. */
interface StrapEntry {
  participant: ReturnType<typeof participantView> | null;
  resolvedAt: number;
  /** A re-read is under way (publishStraps). */
  refreshing: boolean;
  lastAt: number;
  lastPresenceAt: number;
}

interface HubLink {
  row: HubRow;
  straps: Map<string, StrapEntry>;
  /** Batches are handled one after the other (a new strap's participant is looked up first). */
  queue: Promise<void>;
}

/** How long a hub socket trusts its strap → participant map before reading it again (a coach's removal, a member's opt-in). */
const STRAP_RESOLVE_MS = 15_000;

interface LocalRoom {
  conns: Set<Conn>;
  /**
   * Who a heart rate may concern, so that one is not offered to every socket of the room (at
   * 30 phones a room that was 31 sockets looked at per reading, most of the hub's own time in
   * the fan-out profile, issue 14): `watchers` are the sockets that are not participants (screens,
   * control pages, room hubs, and sockets still in their hello, whose role is not known yet);
   * `participants` the participants' sockets by participant, each of which gets only its own
   * heart rate, and that only when it does not send its own (deliver).
   */
  watchers: Set<Conn>;
  participants: Map<string, Set<Conn>>;
  unsubscribe: Promise<() => void>;
  /** From the last room read; a revoked owner may mean a deleted room. */
  ownerId: string | null;
}

/** State read after an await (TypeScript would keep the narrowing from before it). */
const isClosed = (conn: { state: string }) => conn.state === 'closed';

type Frames = { all?: string; screens?: string; participants?: string; control?: string };

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const MAX_BUFFERED_BYTES = 1 << 20;
const MAX_MESSAGES_PER_SECOND = 20;
const PRESENCE_WRITE_MS = 30_000;
/** Longest expiry timer (setTimeout's limit is ~24.8 days); a later expiry re-arms on the way. */
const MAX_EXPIRY_WAIT_MS = 24 * 60 * 60_000;

export function createLiveHub(deps: LiveHubDeps) {
  const { bus, now, logger, config } = deps;
  const rooms = new Map<string, LocalRoom>();
  const helloTimeoutMs = deps.helloTimeoutMs ?? 10_000;
  const paceRule: HrPaceRule = { minIntervalMs: config.hrMinIntervalMs, burst: deps.hrBurst ?? DEFAULT_HR_BURST };
  let stopping = false;

  // Presence (last_seen) is due per participant every PRESENCE_WRITE_MS; the writes due are
  // sent together, about once a second, rather than one request per participant.
  const presenceFlushMs = deps.presenceFlushMs ?? 1_000;
  let presenceDue = new Map<string, number>();
  let presenceTimer: ReturnType<typeof setTimeout> | null = null;
  function touchLater(participantId: string, at: number) {
    presenceDue.set(participantId, at);
    presenceTimer ??= setTimeout(flushPresence, presenceFlushMs);
  }
  function flushPresence() {
    presenceTimer = null;
    if (presenceDue.size === 0) return;
    const entries = [...presenceDue].map(([id, at]) => ({ id, at }));
    presenceDue = new Map();
    deps.store.touchParticipants(entries).catch((e: Error) => logger.warn({ err: e.message, count: entries.length }, 'presence write failed'));
  }

  function send(conn: Conn, msg: ServerMessage | string) {
    if (conn.state === 'closed') return;
    const raw = conn.ws.raw as { bufferedAmount?: number } | undefined;
    // A screen that cannot keep up is cut off (it reconnects and gets a fresh snapshot)
    // rather than letting its queue grow without bound.
    if ((raw?.bufferedAmount ?? 0) > MAX_BUFFERED_BYTES) return close(conn, LIVE_CLOSE.overloaded, 'too slow');
    conn.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  function close(conn: Conn, code: number, reason: string) {
    if (conn.state === 'closed') return;
    detach(conn);
    conn.state = 'closed';
    try {
      conn.ws.close(code, reason);
    } catch {
      // already closing
    }
  }

  function detach(conn: Conn) {
    if (conn.helloTimer) clearTimeout(conn.helloTimer);
    conn.helloTimer = null;
    if (conn.expiryTimer) clearTimeout(conn.expiryTimer);
    conn.expiryTimer = null;
    displayGone(conn);
    hubGone(conn);
    const room = rooms.get(conn.roomId);
    if (!room || !room.conns.delete(conn)) return;
    room.watchers.delete(conn);
    const own = conn.participantId ? room.participants.get(conn.participantId) : undefined;
    if (own?.delete(conn) && own.size === 0) room.participants.delete(conn.participantId!);
    if (room.conns.size > 0) return;
    rooms.delete(conn.roomId);
    // A failed subscribe already failed the hello; nothing to undo then.
    room.unsubscribe.then((off) => off()).catch(() => undefined);
  }

  async function attach(conn: Conn) {
    let room = rooms.get(conn.roomId);
    if (!room) {
      const roomId = conn.roomId;
      room = { conns: new Set(), watchers: new Set(), participants: new Map(), unsubscribe: bus.subscribe(roomId, (e) => onRoomEvent(roomId, e)), ownerId: null };
      rooms.set(roomId, room);
    }
    room.conns.add(conn);
    room.watchers.add(conn);
    await room.unsubscribe;
  }

  /** A socket's hello made it a participant: from now on it hears only its own heart rate. */
  function indexParticipant(conn: Conn) {
    const room = rooms.get(conn.roomId);
    if (!room?.conns.has(conn) || !conn.participantId) return;
    room.watchers.delete(conn);
    let own = room.participants.get(conn.participantId);
    if (!own) room.participants.set(conn.participantId, (own = new Set()));
    own.add(conn);
  }

  const watches = (c: Conn) => c.role === 'display' || c.role === 'control' || c.role === 'hub';

  // Displays' live links, as every process sees them (core/rooms/display-link.ts).

  function displayLive(conn: Conn) {
    if (conn.role !== 'display' || !conn.displayId) return;
    const t = now();
    conn.presenceKey = displaySocketKey(conn.displayId, randomUUID());
    conn.lastDisplayPresenceAt = t;
    bus.remember(conn.roomId, conn.presenceKey, { hr: null, seenAt: t });
    bus.remember(conn.roomId, displaySeenKey(conn.displayId), { hr: null, seenAt: t });
    bus.publish(conn.roomId, { type: 'display', displayId: conn.displayId, change: 'connected' });
  }

  /** On the screen's pings: its key stays fresh while the screen is heard from. */
  function displayHeard(conn: Conn) {
    const t = now();
    if (!conn.presenceKey || t - conn.lastDisplayPresenceAt < DISPLAY_PRESENCE_REFRESH_MS) return;
    conn.lastDisplayPresenceAt = t;
    bus.remember(conn.roomId, conn.presenceKey, { hr: null, seenAt: t });
  }

  function displayGone(conn: Conn) {
    if (!conn.presenceKey || !conn.displayId) return;
    const key = conn.presenceKey;
    conn.presenceKey = null;
    if (stopping) return; // the bus is closing; the keys age out (DISPLAY_LIVE_FRESH_MS)
    bus.forget(conn.roomId, key);
    bus.remember(conn.roomId, displaySeenKey(conn.displayId), { hr: null, seenAt: now() });
    bus.publish(conn.roomId, { type: 'display', displayId: conn.displayId, change: 'disconnected' });
  }

  function onRoomEvent(roomId: string, event: RoomEvent) {
    const room = rooms.get(roomId);
    if (!room) return;
    // Serialized once per event, not once per socket.
    const cache: Frames = {};
    if (event.type === 'hr') {
      for (const conn of room.watchers) route(conn, event, cache);
      const own = room.participants.get(event.participantId);
      if (own) for (const conn of own) route(conn, event, cache);
      return;
    }
    const recheckNow: Conn[] = [];
    // No copy per event: a socket closed meanwhile (deleted from the set) is simply passed over.
    for (const conn of room.conns) {
      if (conn.backlog) conn.backlog.push(event);
      else if (conn.state !== 'open') continue;
      else if (event.type === 'reauthorize') {
        if (event.role === 'all' || event.role === conn.role) recheckNow.push(conn);
      } else deliver(conn, event, cache);
    }
    // One room read for all the sockets it concerns.
    if (recheckNow.length) void recheck(roomId, recheckNow);
  }

  function route(conn: Conn, event: RoomEvent, cache: Frames) {
    if (conn.backlog) conn.backlog.push(event);
    else if (conn.state === 'open') deliver(conn, event, cache);
  }

  function deliver(conn: Conn, event: RoomEvent, cache: Frames) {
    switch (event.type) {
      case 'reauthorize':
        return; // batched per room by onRoomEvent and flushBacklog
      case 'display-revoked':
        if (conn.displayId === event.displayId) close(conn, LIVE_CLOSE.revoked, 'display revoked');
        else if (conn.role === 'control') send(conn, { type: 'display', displayId: event.displayId, change: 'revoked' });
        return;
      case 'display':
        if (conn.role === 'control') send(conn, (cache.control ??= JSON.stringify(event)));
        return;
      case 'room-deleted':
        return close(conn, LIVE_CLOSE.roomGone, 'room deleted');
      case 'participant-left':
        if (conn.participantId === event.participantId) return close(conn, event.reason === 'removed' ? LIVE_CLOSE.revoked : 1000, event.reason);
        break;
      case 'hr':
        // A phone following a hub's strap (issue 15) gets its own heart rate, and only its own;
        // a phone that sends its own is not sent it back (half the frames at 1 Hz per person).
        if (conn.participantId === event.participantId) return conn.publishesHr ? undefined : send(conn, (cache.screens ??= JSON.stringify(event)));
        break;
      case 'timer':
        return send(conn, (cache.all ??= JSON.stringify(event)));
      case 'room':
        if (conn.role === 'participant') return send(conn, (cache.participants ??= JSON.stringify({ type: 'room', room: { ...event.room, joinCode: null } })));
        break;
    }
    if (watches(conn)) send(conn, (cache.screens ??= JSON.stringify(event)));
  }

  // Continuous authorization.

  /**
   * A control socket's session may simply expire (no revocation, so no event): re-check the
   * socket when it does. The session may have slid meanwhile (used elsewhere): the re-check
   * then passes and arms the timer again for the new expiry; an expired one fails (and is
   * deleted, which the access announcer tells every process) and the socket closes.
   */
  function armExpiry(conn: Conn, session: { expiresAt?: number }) {
    if (conn.expiryTimer) clearTimeout(conn.expiryTimer);
    conn.expiryTimer = null;
    if (session.expiresAt === undefined || conn.state === 'closed') return;
    const wait = Math.min(Math.max(0, session.expiresAt - now()), MAX_EXPIRY_WAIT_MS);
    conn.expiryTimer = setTimeout(() => {
      conn.expiryTimer = null;
      void recheck(conn.roomId, [conn]);
    }, wait);
    conn.expiryTimer.unref?.();
  }

  /** Whether the socket's credentials still hold against the stores, for this room row. */
  async function stillAllowed(conn: Conn, room: RoomRow): Promise<boolean> {
    switch (conn.role) {
      case 'control': {
        const session = await deps.authenticateSession(conn.sessionToken);
        if (session) armExpiry(conn, session);
        return session !== null && session.userId === conn.userId && deps.service.isCoach(room, session.userId);
      }
      case 'display':
        return (await deps.service.authenticateDisplay(conn.roomId, conn.token ?? '')) !== null;
      case 'participant':
        return (await deps.service.authenticateParticipant(conn.roomId, conn.token ?? '')) !== null;
      case 'hub':
        return ((await deps.hubs?.authenticateHub(conn.roomId, conn.token ?? '')) ?? null) !== null;
      default:
        return false;
    }
  }

  /**
   * Re-checks `targets` (open sockets of one room) and closes those that fail. The room is read
   * once: gone means every socket of the room goes. A store error closes with "restarting" so
   * the client reconnects and proves itself again at hello, rather than staying unchecked.
   */
  async function recheck(roomId: string, targets: Conn[], opts: { readRoomAnyway?: boolean } = {}) {
    const open = targets.filter((c) => c.state === 'open');
    for (const c of targets) if (c.state === 'authenticating') c.recheckPending = true;
    if (open.length === 0 && !opts.readRoomAnyway) return;
    try {
      const row = await deps.store.room(roomId);
      const local = rooms.get(roomId);
      if (!row) {
        for (const c of [...(local?.conns ?? [])]) close(c, LIVE_CLOSE.roomGone, 'room deleted');
        return;
      }
      if (local) local.ownerId = row.owner;
      await Promise.all(
        open.map(async (c) => {
          try {
            if (!(await stillAllowed(c, row))) close(c, LIVE_CLOSE.revoked, 'access revoked');
          } catch (e) {
            logger.warn({ err: (e as Error).message }, 'live re-authorization failed');
            close(c, LIVE_CLOSE.restarting, 'reconnect');
          }
        }),
      );
    } catch (e) {
      logger.warn({ err: (e as Error).message }, 'live re-authorization failed');
      for (const c of open) close(c, LIVE_CLOSE.restarting, 'reconnect');
    }
  }

  function onAccessEvent(event: AccessEvent) {
    for (const [roomId, room] of rooms) {
      const hit = (c: Conn) =>
        event.type === 'session-revoked'
          ? c.role === 'control' && !!c.sessionToken?.startsWith(`${event.sessionId}.`)
          : (c.role === 'control' || c.role === 'participant') && c.userId === event.userId;
      // A socket still in its hello has no role yet: it checks again once open.
      const targets = [...room.conns].filter((c) => c.state === 'authenticating' || (c.state === 'open' && hit(c)));
      // All sessions of a room's owner end when the account is deleted, and the room with it.
      const ownerGone = event.type === 'sessions-revoked' && room.ownerId === event.userId;
      void recheck(roomId, targets, { readRoomAnyway: ownerGone });
    }
  }

  /** The bus lost events: re-check every socket, then give each survivor a fresh snapshot. */
  function onResync() {
    for (const [roomId, room] of rooms) {
      void recheck(roomId, [...room.conns], { readRoomAnyway: true }).then(() => resnapshot(roomId));
    }
  }

  /** One read of the room for all its open sockets; events arriving meanwhile wait in their backlogs. */
  async function resnapshot(roomId: string) {
    const conns = [...(rooms.get(roomId)?.conns ?? [])].filter((c) => c.state === 'open' && !c.backlog);
    if (conns.length === 0) return;
    for (const c of conns) c.backlog = [];
    try {
      const state = await readRoomState(roomId);
      for (const c of conns) {
        if (!state) close(c, LIVE_CLOSE.roomGone, 'room deleted');
        else send(c, snapshotFor(c, state));
      }
    } catch (e) {
      logger.warn({ err: (e as Error).message }, 'live resync failed');
      for (const c of conns) close(c, LIVE_CLOSE.restarting, 'reconnect');
    } finally {
      conns.forEach(flushBacklog);
    }
  }

  function flushBacklog(conn: Conn) {
    const backlog = conn.backlog ?? [];
    conn.backlog = null;
    const cache: Frames = {};
    for (const e of backlog) {
      if (conn.state !== 'open') return;
      if (e.type === 'reauthorize') {
        if (e.role === 'all' || e.role === conn.role) void recheck(conn.roomId, [conn]);
      } else deliver(conn, e, cache);
    }
  }

  type RoomState = { room: RoomRow; timer: Awaited<ReturnType<typeof deps.service.latestTimer>>; rows: ParticipantRow[]; memos: Map<string, PresenceMemo> };

  /**
   * The room as a snapshot needs it. `own` is a participant's own row, just read by its hello:
   * a participant's snapshot carries only that row (snapshotFor), so the room's other rows are
   * not read for it. At 100 rooms x 30 that read was 90 000 rows parsed for 3 000 hellos while
   * PocketBase was busy with the joins, so they lived long enough to be promoted (issue 14).
   */
  async function readRoomState(roomId: string, own?: ParticipantRow): Promise<RoomState | null> {
    const [room, timer, rows, memos] = await Promise.all([
      deps.store.room(roomId),
      deps.service.latestTimer(roomId),
      own ? [own] : deps.store.activeParticipants(roomId),
      bus.recall(roomId),
    ]);
    if (!room) return null;
    const local = rooms.get(roomId);
    if (local) local.ownerId = room.owner;
    return { room, timer, rows, memos };
  }

  function snapshotFor(conn: Conn, { room, timer, rows, memos }: RoomState): ServerMessage {
    const serverTime = now();
    const participants: SnapshotParticipant[] = [];
    for (const row of rows) {
      if (conn.role === 'participant' && row.id !== conn.participantId) continue;
      const memo = memos.get(row.id);
      const seenAt = Math.max(memo?.seenAt ?? 0, row.last_seen || row.joined_at);
      if (conn.role !== 'participant' && serverTime - seenAt >= config.goneMs) continue;
      participants.push({ ...participantView(row), hr: memo?.hr ?? null, seenAt });
    }
    const joinCode = conn.role === 'participant' ? null : room.join_code;
    return { type: 'snapshot', serverTime, room: { id: room.id, name: room.name, joinCode, sort: room.tile_sort }, timer, participants };
  }

  async function hello(conn: Conn, msg: Extract<ClientMessage, { type: 'hello' }>) {
    conn.state = 'authenticating';
    // Subscribed before the credentials are read: a revocation that lands after the read is
    // in the backlog (a room event) or marks the socket (an access event), never missed.
    conn.backlog = [];
    await attach(conn);
    if (isClosed(conn)) return;
    let ok = false;
    let participantRow: Awaited<ReturnType<typeof deps.service.authenticateParticipant>> = null;
    if (msg.role === 'display') {
      const d = await deps.service.authenticateDisplay(conn.roomId, msg.token);
      if (d) [ok, conn.displayId, conn.token] = [true, d.id, msg.token];
    } else if (msg.role === 'participant') {
      const p = await deps.service.authenticateParticipant(conn.roomId, msg.token);
      if (p) [ok, conn.participantId, conn.token, conn.userId, participantRow] = [true, p.id, msg.token, p.user || null, p];
    } else if (msg.role === 'hub') {
      const h = (await deps.hubs?.authenticateHub(conn.roomId, msg.token)) ?? null;
      if (h) [ok, conn.hubLink, conn.token] = [true, { row: h, straps: new Map(), queue: Promise.resolve() }, msg.token];
    } else {
      const userId = await coachNow(conn);
      if (userId) [ok, conn.userId] = [true, userId];
    }
    if (isClosed(conn)) return;
    if (!ok) return close(conn, LIVE_CLOSE.unauthorized, 'not allowed in this room');
    conn.role = msg.role;
    if (msg.role === 'participant') indexParticipant(conn);
    if (conn.helloTimer) clearTimeout(conn.helloTimer);
    conn.helloTimer = null;
    const state = await readRoomState(conn.roomId, participantRow ?? undefined);
    if (isClosed(conn)) return;
    if (!state) return close(conn, LIVE_CLOSE.roomGone, 'room deleted');
    conn.state = 'open';
    send(conn, {
      type: 'welcome',
      v: LIVE_PROTOCOL_VERSION,
      role: msg.role,
      roomId: conn.roomId,
      participantId: conn.participantId,
      displayId: conn.displayId,
      serverTime: now(),
      config,
    });
    send(conn, snapshotFor(conn, state));
    displayLive(conn);
    hubLive(conn);
    flushBacklog(conn);
    if (conn.recheckPending) {
      conn.recheckPending = false;
      await recheck(conn.roomId, [conn]);
      if (isClosed(conn)) return;
    }
    if (conn.participantId) {
      conn.lastPresenceWriteAt = now();
    }
    // A participant coming back after its tile was gone must reappear on every screen, also on
    // displays that reconnected meanwhile (their snapshot left the gone tile out).
    if (participantRow) bus.publish(conn.roomId, { type: 'participant', participant: participantView(participantRow), seenAt: now() });
  }

  /** The member behind the socket's session if they coach the room now; else null. */
  async function coachNow(conn: Conn): Promise<string | null> {
    const session = await deps.authenticateSession(conn.sessionToken);
    if (!session) return null;
    armExpiry(conn, session);
    const room = await deps.store.room(conn.roomId);
    return room !== null && deps.service.isCoach(room, session.userId) ? session.userId : null;
  }

  function heartRate(conn: Conn, msg: Extract<ClientMessage, { type: 'hr' }>) {
    if (conn.role !== 'participant') return send(conn, { type: 'error', code: 'forbidden', message: 'Only participants publish heart rate.' });
    if (msg.participantId !== undefined && msg.participantId !== conn.participantId) {
      return send(conn, { type: 'error', code: 'forbidden', message: 'A participant publishes only its own heart rate.' });
    }
    const received = now();
    // About 1 Hz per participant by the sender's own clock and sequence, within a server-time
    // budget (hr-pacing.ts): readings bunched by a stall are kept, a flood is cut off. Paced in
    // the socket's own slots, in place (pace-slots.ts): what lives a second per reading is
    // promoted at thousands of readings a second, and what dies young brings scavenges (issue 14).
    conn.pace ??= paceSlots(initialHrPace(paceRule, received));
    const at = paceInSlots(conn.pace, msg, received, paceRule);
    if (Number.isNaN(at)) return;
    conn.publishesHr = true;
    const participantId = conn.participantId!;
    const event = { type: 'hr' as const, participantId, bpm: msg.bpm, kcal: msg.kcal ?? null, points: msg.points ?? null, at };
    // The bus copies the memo's values (memory-bus.ts), so these objects die young.
    bus.remember(conn.roomId, participantId, { hr: { bpm: event.bpm, kcal: event.kcal, points: event.points, at }, seenAt: at });
    bus.publish(conn.roomId, event);
    if (received - conn.lastPresenceWriteAt >= PRESENCE_WRITE_MS) {
      conn.lastPresenceWriteAt = received;
      touchLater(participantId, received);
    }
  }

  // Room hubs (issue 15): one socket carries many straps of its own room. Its live link is kept
  // like a display's (display-link.ts keys under the hub's id), for the control page.

  function hubLive(conn: Conn) {
    if (conn.role !== 'hub' || !conn.hubLink) return;
    const t = now();
    conn.presenceKey = displaySocketKey(conn.hubLink.row.id, randomUUID());
    conn.lastDisplayPresenceAt = t;
    bus.remember(conn.roomId, conn.presenceKey, { hr: null, seenAt: t });
    bus.remember(conn.roomId, displaySeenKey(conn.hubLink.row.id), { hr: null, seenAt: t });
  }

  function hubHeard(conn: Conn) {
    if (conn.role !== 'hub' || !conn.presenceKey) return;
    const t = now();
    if (t - conn.lastDisplayPresenceAt < DISPLAY_PRESENCE_REFRESH_MS) return;
    conn.lastDisplayPresenceAt = t;
    bus.remember(conn.roomId, conn.presenceKey, { hr: null, seenAt: t });
  }

  function hubGone(conn: Conn) {
    if (conn.role !== 'hub' || !conn.presenceKey || !conn.hubLink) return;
    const key = conn.presenceKey;
    conn.presenceKey = null;
    if (stopping) return;
    bus.forget(conn.roomId, key);
    bus.remember(conn.roomId, displaySeenKey(conn.hubLink.row.id), { hr: null, seenAt: now() });
  }

  function hubReadings(conn: Conn, msg: HubReadingsMessage) {
    const link = conn.hubLink;
    if (conn.role !== 'hub' || !link) return send(conn, { type: 'error', code: 'forbidden', message: 'Only a room hub publishes strap readings.' });
    const received = now();
    link.queue = link.queue
      .then(() => publishStraps(conn, link, msg, received))
      .catch((e: Error) => {
        logger.warn({ err: e.message }, 'hub readings failed');
        send(conn, { type: 'error', code: 'internal', message: 'Some strap readings were not published; they come again with the next batch.' });
      });
  }

  /** Reads which participant of the room a strap is, and tells the hub when that changed. */
  async function resolveStrap(conn: Conn, link: HubLink, key: string, received: number) {
    const found = await deps.hubs!.strapParticipant(link.row, key);
    if (isClosed(conn)) return;
    const prev = link.straps.get(key);
    const participant = found ? participantView(found.row) : null;
    link.straps.set(key, { participant, resolvedAt: now(), refreshing: false, lastAt: prev?.lastAt ?? 0, lastPresenceAt: prev?.lastPresenceAt ?? 0 });
    if (found?.announce && participant) bus.publish(conn.roomId, { type: 'participant', participant, seenAt: received });
    if (!prev || prev.participant?.id !== participant?.id) send(conn, { type: 'hub-strap', strap: key, participantId: participant?.id ?? null });
  }

  /**
   * Each strap is the participant of the hub's room it maps to (created on first hearing, by
   * hubs/service.ts): the hub publishes only into its own room, whatever it sends. Per strap,
   * readings closer than half the heart-rate interval are dropped (a hub batches about once a
   * second); the rest go out as `hr`, exactly as a phone's.
   */
  async function publishStraps(conn: Conn, link: HubLink, msg: HubReadingsMessage, received: number) {
    const keys = [...new Set(msg.readings.map((r) => r.strap))];
    // A strap heard for the first time waits for its participant; a known one due for a re-read
    // is re-read beside the stream (its readings go on under the mapping it has until the read
    // lands), so a batch never waits on PocketBase for straps already on the screens.
    const unknown = keys.filter((key) => !link.straps.has(key));
    for (const key of keys) {
      const s = link.straps.get(key);
      if (s && !s.refreshing && received - s.resolvedAt >= STRAP_RESOLVE_MS) {
        s.refreshing = true;
        void resolveStrap(conn, link, key, received).catch((e: Error) => {
          s.refreshing = false;
          logger.warn({ err: e.message }, 'hub strap re-read failed');
        });
      }
    }
    await Promise.all(unknown.map((key) => resolveStrap(conn, link, key, received)));
    if (isClosed(conn)) return;
    const minGap = Math.floor(config.hrMinIntervalMs / 2);
    for (const r of msg.readings) {
      const s = link.straps.get(r.strap);
      if (!s?.participant || received - s.lastAt < minGap) continue;
      const id = s.participant.id;
      // Back after a silence long enough for screens to have dropped its tile: announce it again.
      if (s.lastAt > 0 && received - s.lastAt >= config.staleMs) bus.publish(conn.roomId, { type: 'participant', participant: s.participant, seenAt: received });
      s.lastAt = received;
      const hr = { bpm: r.bpm, kcal: null, points: r.points ?? null, at: received };
      bus.remember(conn.roomId, id, { hr, seenAt: received });
      bus.publish(conn.roomId, { type: 'hr', participantId: id, ...hr });
      if (received - s.lastPresenceAt >= PRESENCE_WRITE_MS) {
        s.lastPresenceAt = received;
        touchLater(id, received);
      }
    }
  }

  async function timerCommand(conn: Conn, msg: TimerCommandMessage) {
    const requestId = msg.requestId ?? null;
    // Re-checked on every command: a revoked session or a removed co-coach stops at once.
    if (conn.role !== 'control' || (await coachNow(conn)) === null) {
      const revision = (await deps.service.latestTimer(conn.roomId).catch(() => null))?.revision ?? -1;
      return send(conn, { type: 'command-result', requestId, ok: false, code: 'forbidden', revision });
    }
    const r = await deps.service.timerCommand(conn.roomId, msg.command, { plan: msg.plan, ifRevision: msg.ifRevision });
    send(conn, { type: 'command-result', requestId, ok: r.ok, code: r.ok ? null : r.code, revision: r.state.revision });
  }

  function onMessage(conn: Conn, data: unknown) {
    const t = now();
    if (t - conn.windowStart >= 1_000) [conn.windowStart, conn.windowCount] = [t, 0];
    if (++conn.windowCount > MAX_MESSAGES_PER_SECOND) return close(conn, LIVE_CLOSE.overloaded, 'too many messages');
    if (typeof data !== 'string' || data.length > 64 * 1024) return send(conn, { type: 'error', code: 'invalid-message', message: 'Send JSON text frames.' });
    // Heart rates (the frames that come by the thousand a second) are checked without zod
    // (hr-frame.ts); anything else, or a heart rate that fails, goes through the schema.
    if (conn.state === 'open' && conn.role === 'participant') {
      const hr = checkHrFrame(parseJsonOrNull(data));
      if (hr) return heartRate(conn, hr);
    }
    const parsed = parseClientMessage(data);
    if (!parsed.ok) return send(conn, { type: 'error', code: parsed.code, message: parsed.message });
    const msg = parsed.message;
    if (msg.type === 'ping') {
      displayHeard(conn);
      hubHeard(conn);
      return send(conn, { type: 'pong', id: msg.id, t0: msg.t0, serverTime: now() });
    }
    if (msg.type === 'hello') {
      if (conn.state !== 'new') return send(conn, { type: 'error', code: 'already-hello', message: 'hello was already sent.' });
      return void hello(conn, msg).catch((e: Error) => {
        logger.error({ err: e.message }, 'live hello failed');
        close(conn, 1011, 'server error');
      });
    }
    if (conn.state !== 'open') return send(conn, { type: 'error', code: 'hello-first', message: 'Send hello first.' });
    if (msg.type === 'hr') return heartRate(conn, msg);
    if (msg.type === 'hub-readings') return hubReadings(conn, msg);
    void timerCommand(conn, msg).catch((e: Error) => {
      logger.error({ err: e.message }, 'timer command failed');
      send(conn, { type: 'error', code: 'internal', message: 'The command failed; try again.' });
    });
  }

  const offAccess = bus.subscribeAccess(onAccessEvent);
  const offResync = bus.onResync(onResync);

  return {
    /** The socket's event handlers; the route has already checked the origin and the room. */
    events(ctx: SocketContext): LiveSocketEvents {
      const conn: Conn = {
        ws: null as unknown as WSContext,
        roomId: ctx.roomId,
        sessionToken: ctx.sessionToken,
        role: null,
        token: null,
        userId: null,
        participantId: null,
        displayId: null,
        state: 'new',
        backlog: null,
        recheckPending: false,
        pace: null,
        publishesHr: false,
        lastPresenceWriteAt: 0,
        windowStart: 0,
        windowCount: 0,
        helloTimer: null,
        expiryTimer: null,
        presenceKey: null,
        lastDisplayPresenceAt: 0,
      };
      return {
        onOpen(ws) {
          conn.ws = ws;
          if (stopping) return close(conn, LIVE_CLOSE.restarting, 'restarting');
          conn.helloTimer = setTimeout(() => close(conn, LIVE_CLOSE.unauthorized, 'no hello'), helloTimeoutMs);
        },
        onMessage(frame) {
          onMessage(conn, frame.data);
        },
        onClose() {
          detach(conn);
          conn.state = 'closed';
        },
      };
    },

    stats() {
      let sockets = 0;
      for (const r of rooms.values()) sockets += r.conns.size;
      return { rooms: rooms.size, sockets };
    },

    /** Closes every socket with "restarting" (clients reconnect to another or the new process). */
    stop() {
      stopping = true;
      if (presenceTimer) clearTimeout(presenceTimer);
      flushPresence();
      offAccess();
      offResync();
      for (const room of [...rooms.values()]) for (const conn of [...room.conns]) close(conn, LIVE_CLOSE.restarting, 'restarting');
    },
  };
}

export type LiveHub = ReturnType<typeof createLiveHub>;
