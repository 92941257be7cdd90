import type { AccessEvent, LiveBus, PresenceMemo, RoomEvent } from './bus';

/** One process: events go straight to the room's subscribers; the memo is a Map. It never loses events, so it never resyncs. */
export function createMemoryBus(options: { memoTtlMs: number; now?: () => number }): LiveBus {
  const now = options.now ?? Date.now;
  const subscribers = new Map<string, Set<(e: RoomEvent) => void>>();
  const access = new Set<(e: AccessEvent) => void>();
  const memos = new Map<string, Map<string, PresenceMemo>>();
  return {
    kind: 'memory',
    publish(roomId, event) {
      // Delivered asynchronously like Redis would, so callers never re-enter themselves.
      const subs = subscribers.get(roomId);
      if (subs?.size) queueMicrotask(() => [...subs].forEach((fn) => fn(event)));
    },
    async subscribe(roomId, onEvent) {
      let subs = subscribers.get(roomId);
      if (!subs) subscribers.set(roomId, (subs = new Set()));
      subs.add(onEvent);
      return () => {
        subs.delete(onEvent);
        if (subs.size === 0 && subscribers.get(roomId) === subs) subscribers.delete(roomId);
      };
    },
    publishAccess(event) {
      if (access.size) queueMicrotask(() => [...access].forEach((fn) => fn(event)));
    },
    subscribeAccess(onEvent) {
      access.add(onEvent);
      return () => void access.delete(onEvent);
    },
    onResync() {
      return () => undefined;
    },
    remember(roomId, participantId, memo) {
      let room = memos.get(roomId);
      if (!room) memos.set(roomId, (room = new Map()));
      room.set(participantId, memo);
    },
    forget(roomId, participantId) {
      memos.get(roomId)?.delete(participantId);
    },
    async recall(roomId) {
      const room = memos.get(roomId);
      if (!room) return new Map();
      // Expired memos are dropped here, so a room nobody watches does not keep them forever.
      const cutoff = now() - options.memoTtlMs;
      for (const [id, m] of room) if (m.seenAt < cutoff) room.delete(id);
      if (room.size === 0) memos.delete(roomId);
      return new Map(room);
    },
    async close() {
      subscribers.clear();
      access.clear();
      memos.clear();
    },
  };
}
