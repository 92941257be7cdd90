import type { HrReading, ServerMessageOf } from '../../../core/rooms';

/**
 * What crosses between server processes about a room: the deltas screens get, plus control
 * events that end access. One process publishes; every process with sockets in that room
 * (itself included) receives it and fans it out to its own sockets.
 */
export type RoomEvent =
  | ServerMessageOf<'hr'>
  | ServerMessageOf<'participant'>
  | ServerMessageOf<'participant-left'>
  | ServerMessageOf<'timer'>
  | ServerMessageOf<'room'>
  | { type: 'display-revoked'; displayId: string }
  | { type: 'room-deleted' }
  | { type: 'reauthorize'; role: 'control' | 'display' };

/** The last heart rate (or join) of a participant, kept for snapshots; never in PocketBase. */
export interface PresenceMemo {
  hr: HrReading | null;
  seenAt: number;
}

/**
 * Live fan-out and the presence memo. Two implementations: in-process (one server process) and
 * Redis pub/sub + hashes (several processes behind a load balancer).
 */
export interface LiveBus {
  readonly kind: 'memory' | 'redis';
  publish(roomId: string, event: RoomEvent): void;
  /** Calls `onEvent` for every event of the room, from any process, until unsubscribed. */
  subscribe(roomId: string, onEvent: (event: RoomEvent) => void): Promise<() => void>;
  remember(roomId: string, participantId: string, memo: PresenceMemo): void;
  forget(roomId: string, participantId: string): void;
  recall(roomId: string): Promise<Map<string, PresenceMemo>>;
  close(): Promise<void>;
}
