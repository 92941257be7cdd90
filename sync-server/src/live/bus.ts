import type { HrReading, ServerMessageOf } from '../../../core/rooms';

/** Which sockets of a room must prove again that they may stay (see LiveHub). */
export type ReauthorizeRole = 'control' | 'display' | 'participant' | 'hub' | 'all';

/**
 * What crosses between server processes about a room: the deltas screens get, plus control
 * events that end or re-check access. One process publishes; every process with sockets in that
 * room (itself included) receives it and fans it out to its own sockets.
 */
export type RoomEvent =
  | ServerMessageOf<'hr'>
  | ServerMessageOf<'participant'>
  | ServerMessageOf<'participant-left'>
  | ServerMessageOf<'timer'>
  | ServerMessageOf<'room'>
  /** A screen's live link changed; control sockets re-read the screens' states. */
  | ServerMessageOf<'display'>
  | { type: 'display-revoked'; displayId: string }
  | { type: 'room-deleted' }
  /** Something behind the sockets of `role` changed (a co-coach removed, a display re-paired): re-check them against the stores. */
  | { type: 'reauthorize'; role: ReauthorizeRole };

/**
 * Process-wide access changes that are not about one room: a member's sessions ended (logout,
 * revoke one or all, password reset, account deletion). Every hub re-checks the control
 * sockets (and the rooms) of that member.
 */
export type AccessEvent = { type: 'session-revoked'; sessionId: string } | { type: 'sessions-revoked'; userId: string };

/**
 * The last heart rate (or join) of a participant, kept for snapshots; never in PocketBase. The
 * same memos hold the displays' live links (core/rooms/display-link.ts keys, hr null).
 */
export interface PresenceMemo {
  hr: HrReading | null;
  seenAt: number;
}

/**
 * Live fan-out, the access channel and the presence memo. Two implementations: in-process (one
 * server process) and Redis pub/sub + hashes (several processes behind a load balancer). Both
 * pass one contract suite (bus.contract.ts).
 *
 * Delivery is at most once: while the bus is cut off (Redis down) events are lost. When it is
 * back, `onResync` listeners are called; they must rebuild what their sockets see from the
 * stores (PocketBase holds every change that matters), so nothing answered `ok` stays lost.
 */
export interface LiveBus {
  readonly kind: 'memory' | 'redis';
  /** Per room, events arrive in the order one process published them. */
  publish(roomId: string, event: RoomEvent): void;
  /** Calls `onEvent` for every event of the room, from any process, until unsubscribed. */
  subscribe(roomId: string, onEvent: (event: RoomEvent) => void): Promise<() => void>;
  publishAccess(event: AccessEvent): void;
  subscribeAccess(onEvent: (event: AccessEvent) => void): () => void;
  /** Called after events may have been lost (the bus reconnected); returns the unsubscribe. */
  onResync(listener: () => void): () => void;
  remember(roomId: string, participantId: string, memo: PresenceMemo): void;
  forget(roomId: string, participantId: string): void;
  recall(roomId: string): Promise<Map<string, PresenceMemo>>;
  close(): Promise<void>;
}
