import type { HrReading } from '../../../core/rooms';
import type { AccessEvent, LiveBus, PresenceMemo, RoomEvent } from './bus';

/**
 * One process: events go straight to the room's subscribers; the memo is a Map. It never loses
 * events, so it never resyncs.
 *
 * The memo is written once a second per participant (a heart rate) and read only for snapshots,
 * so `remember` copies the values into the participant's slot rather than keeping the caller's
 * objects: a new object per reading would live about a second, long enough to be promoted to
 * V8's old space at a few thousand readings a second, and the old space then grows until a
 * mark-compact (100+ ms) stalls the fan-out (issue 14). `recall` hands out copies, so a slot's
 * later updates never show through a snapshot being built.
 */
export function createMemoryBus(options: { memoTtlMs: number; now?: () => number }): LiveBus {
  const now = options.now ?? Date.now;
  const subscribers = new Map<string, Set<(e: RoomEvent) => void>>();
  const access = new Set<(e: AccessEvent) => void>();
  const memos = new Map<string, Map<string, PresenceMemo>>();
  /** Published events not yet delivered: room id, event, room id, event… in publish order. */
  const queue: Array<string | RoomEvent> = [];
  let draining = false;
  const settled = Promise.resolve();
  function drain() {
    // Events published while draining (a subscriber's own) are delivered in this same drain.
    for (let i = 0; i < queue.length; i += 2) {
      const subs = subscribers.get(queue[i] as string);
      if (!subs) continue;
      const event = queue[i + 1] as RoomEvent;
      // One subscriber (a hub per process): no copy of the set; it may subscribe another meanwhile.
      if (subs.size > 1) for (const fn of [...subs]) deliver(fn, event);
      else
        for (const fn of subs) {
          deliver(fn, event);
          break;
        }
    }
    queue.length = 0;
    draining = false;
  }
  /** A subscriber that throws does not hold up the others; its error surfaces as before (uncaught). */
  function deliver(fn: (e: RoomEvent) => void, event: RoomEvent) {
    try {
      fn(event);
    } catch (e) {
      queueMicrotask(() => {
        throw e;
      });
    }
  }
  const dropExpired = (roomId: string, room: Map<string, PresenceMemo>) => {
    const cutoff = now() - options.memoTtlMs;
    for (const [id, m] of room) if (m.seenAt < cutoff) room.delete(id);
    if (room.size === 0) memos.delete(roomId);
  };
  // A room nobody opens again is never recalled: its memos are dropped here, so the Map holds
  // only rooms heard from within memoTtlMs however long the process runs.
  const sweep = setInterval(() => memos.forEach((room, roomId) => dropExpired(roomId, room)), Math.max(options.memoTtlMs, 1_000));
  sweep.unref?.();
  return {
    kind: 'memory',
    publish(roomId, event) {
      // Delivered asynchronously like Redis would, so callers never re-enter themselves: queued,
      // and the queue drained in one microtask (one queueMicrotask per event costs an async
      // resource and a bound function, at thousands of heart rates a second).
      if (!subscribers.get(roomId)?.size) return;
      queue.push(roomId, event);
      if (!draining) {
        draining = true;
        // A reaction on a settled promise, not queueMicrotask: Node wraps each queueMicrotask
        // callback in an AsyncResource (an object, a bound function and an async scope per
        // call). About 0.15 µs of the hub's 2.5–2.7 µs per heart rate (bench/hub-frame-path.bench.ts).
        void settled.then(drain);
      }
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
      const slot = room.get(participantId);
      if (!slot) return void room.set(participantId, copyMemo(memo));
      slot.seenAt = memo.seenAt;
      const hr = memo.hr;
      // Same shape (the usual case): the values are copied in place; otherwise a new copy.
      if (hr && slot.hr && ('points' in hr) === ('points' in slot.hr)) {
        slot.hr.bpm = hr.bpm;
        slot.hr.kcal = hr.kcal;
        slot.hr.at = hr.at;
        if ('points' in hr) slot.hr.points = hr.points;
      } else slot.hr = hr ? copyReading(hr) : null;
    },
    forget(roomId, participantId) {
      memos.get(roomId)?.delete(participantId);
    },
    async recall(roomId) {
      const room = memos.get(roomId);
      if (!room) return new Map();
      dropExpired(roomId, room);
      const out = new Map<string, PresenceMemo>();
      for (const [id, m] of room) out.set(id, copyMemo(m));
      return out;
    },
    async close() {
      clearInterval(sweep);
      queue.length = 0;
      subscribers.clear();
      access.clear();
      memos.clear();
    },
  };
}

const copyMemo = (m: PresenceMemo): PresenceMemo => ({ hr: m.hr ? copyReading(m.hr) : null, seenAt: m.seenAt });

/**
 * A reading copied field by field, not by spread: in a spread's copy V8 kept `at` (epoch
 * milliseconds, too large for a small integer) as a pointer to a number of its own, so each
 * in-place update of the slot allocated one that lived until the participant's next reading, a
 * second: 3 000 of them alive at every scavenge at class scale (a heap-snapshot diff during
 * bench/class-fanout.bench.ts, issue 14). Built by a literal, the field holds the number itself.
 */
const copyReading = (hr: HrReading): HrReading =>
  'points' in hr ? { bpm: hr.bpm, kcal: hr.kcal, points: hr.points, at: hr.at } : { bpm: hr.bpm, kcal: hr.kcal, at: hr.at };
