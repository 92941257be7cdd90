import { createClient } from 'redis';
import type { Logger } from 'pino';
import type { AccessEvent, LiveBus, PresenceMemo, RoomEvent } from './bus';

/**
 * Several processes: one Redis channel per room (`hrm:room:<id>`) for events, one channel for
 * access changes (`hrm:access`), and one hash per room (`hrm:room:<id>:seen`, participant →
 * memo JSON) for snapshots, expiring when the room goes quiet. A publisher connection and a
 * subscriber connection per process; node-redis pipelines the commands issued in one tick.
 *
 * Outages: Redis pub/sub keeps nothing for a subscriber that is away. node-redis reconnects
 * (at most RECONNECT_MAX_MS apart), re-subscribes every channel and only then says `ready`;
 * at that point we call the resync listeners, which rebuild their sockets' view from PocketBase.
 */
const RECONNECT_MAX_MS = 1_000;
const SUBSCRIBE_WAIT_MS = 1_000;
/** How long a snapshot waits for the memo: Redis can go away unnoticed (isReady still true). */
const RECALL_WAIT_MS = 1_000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
const ACCESS_CHANNEL = 'hrm:access';
const ROOM_PREFIX = 'hrm:room:';

export async function createRedisBus(options: { url: string; memoTtlMs: number; logger: Logger }): Promise<LiveBus> {
  const pub = createClient({ url: options.url, socket: { reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, RECONNECT_MAX_MS) } });
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on('error', (e: Error) => options.logger.warn({ err: e.message }, 'redis error'));
  const channel = (roomId: string) => `${ROOM_PREFIX}${roomId}`;
  const seenKey = (roomId: string) => `${ROOM_PREFIX}${roomId}:seen`;
  const listeners = new Map<string, Set<(e: RoomEvent) => void>>();
  const accessListeners = new Set<(e: AccessEvent) => void>();
  const resyncListeners = new Set<() => void>();
  const fail = (what: string) => (e: Error) => options.logger.warn({ err: e.message }, `redis ${what} failed`);

  // A subscriber that was ever not ready may have missed events: resync once it is ready again.
  let missed = false;
  sub.on('reconnecting', () => (missed = true));
  sub.on('error', () => (missed = true));
  sub.on('ready', () => {
    if (!missed) return;
    missed = false;
    // node-redis re-subscribes the channels it knew; a SUBSCRIBE that was queued or failed while
    // Redis was away is sent again here (a repeat is harmless), then every listener resyncs.
    const again = [...listeners.keys()].map((roomId) => sub.subscribe(channel(roomId), onMessage).catch(fail('resubscribe')));
    void Promise.all(again).then(() => {
      options.logger.info('redis subscriber back: resyncing live sockets');
      [...resyncListeners].forEach((fn) => fn());
    });
  });

  const parse = <T>(message: string): T | null => {
    try {
      return JSON.parse(message) as T;
    } catch {
      return null;
    }
  };
  const onMessage = (message: string, ch: string) => {
    const event = parse<RoomEvent>(message);
    if (event) listeners.get(ch.slice(ROOM_PREFIX.length))?.forEach((fn) => fn(event));
  };
  const onAccess = (message: string) => {
    const event = parse<AccessEvent>(message);
    if (event) [...accessListeners].forEach((fn) => fn(event));
  };

  await Promise.all([pub.connect(), sub.connect()]);
  await sub.subscribe(ACCESS_CHANNEL, onAccess);

  return {
    kind: 'redis',
    publish(roomId, event) {
      pub.publish(channel(roomId), JSON.stringify(event)).catch(fail('publish'));
    },
    async subscribe(roomId, onEvent) {
      let set = listeners.get(roomId);
      if (!set) {
        listeners.set(roomId, (set = new Set()));
        const subscribed = sub.subscribe(channel(roomId), onMessage);
        subscribed.catch(fail('subscribe'));
        // While Redis is down (or going down unnoticed) the SUBSCRIBE waits: a screen must not
        // hang on it. It is sent again on reconnect, followed by a resync.
        if (sub.isReady) await Promise.race([subscribed.catch(() => undefined), delay(SUBSCRIBE_WAIT_MS)]);
      }
      set.add(onEvent);
      return () => {
        set.delete(onEvent);
        if (set.size === 0 && listeners.get(roomId) === set) {
          listeners.delete(roomId);
          sub.unsubscribe(channel(roomId), onMessage).catch(fail('unsubscribe'));
        }
      };
    },
    publishAccess(event) {
      pub.publish(ACCESS_CHANNEL, JSON.stringify(event)).catch(fail('publish'));
    },
    subscribeAccess(onEvent) {
      accessListeners.add(onEvent);
      return () => void accessListeners.delete(onEvent);
    },
    onResync(listener) {
      resyncListeners.add(listener);
      return () => void resyncListeners.delete(listener);
    },
    remember(roomId, participantId, memo) {
      const key = seenKey(roomId);
      pub.hSet(key, participantId, JSON.stringify(memo)).catch(fail('hset'));
      pub.pExpire(key, options.memoTtlMs).catch(fail('pexpire'));
    },
    forget(roomId, participantId) {
      pub.hDel(seenKey(roomId), participantId).catch(fail('hdel'));
    },
    async recall(roomId) {
      // The memo only adds the last heart rates to a snapshot: without Redis, a snapshot goes
      // out without them rather than waiting for Redis to return.
      // Redis may also be gone before the client noticed (isReady still true) or frozen with its
      // connection open. node-redis's command timeout only covers a command not yet written (it
      // rejects one queued for a reconnect), never one waiting for its reply: so the snapshot
      // waits at most RECALL_WAIT_MS on its own clock, and goes out without the memo.
      if (!pub.isReady) return new Map();
      const read = pub.withCommandOptions({ timeout: RECALL_WAIT_MS }).hGetAll(seenKey(roomId));
      const all = await Promise.race([read.catch((e: Error) => (fail('recall')(e), null)), delay(RECALL_WAIT_MS).then(() => null)]);
      if (!all) return new Map();
      const out = new Map<string, PresenceMemo>();
      for (const [id, json] of Object.entries(all)) {
        const memo = parse<PresenceMemo>(json);
        if (memo) out.set(id, memo);
      }
      return out;
    },
    async close() {
      listeners.clear();
      accessListeners.clear();
      resyncListeners.clear();
      // close() waits for pending commands, which never finish while Redis is down.
      await Promise.allSettled([sub, pub].map((c) => (c.isReady ? c.close() : Promise.resolve(c.destroy()))));
    },
  };
}
