import { createClient } from 'redis';
import type { Logger } from 'pino';
import type { LiveBus, PresenceMemo, RoomEvent } from './bus';

/**
 * Several processes: one Redis channel per room (`hrm:room:<id>`) for events and one hash per
 * room (`hrm:room:<id>:seen`, participant → memo JSON) for snapshots, expiring when the room
 * goes quiet. A publisher connection and a subscriber connection per process; node-redis
 * pipelines the commands issued in one tick.
 */
export async function createRedisBus(options: { url: string; memoTtlMs: number; logger: Logger }): Promise<LiveBus> {
  const pub = createClient({ url: options.url });
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on('error', (e: Error) => options.logger.warn({ err: e.message }, 'redis error'));
  await Promise.all([pub.connect(), sub.connect()]);
  const channel = (roomId: string) => `hrm:room:${roomId}`;
  const seenKey = (roomId: string) => `hrm:room:${roomId}:seen`;
  const listeners = new Map<string, Set<(e: RoomEvent) => void>>();
  const fail = (what: string) => (e: Error) => options.logger.warn({ err: e.message }, `redis ${what} failed`);

  const onMessage = (message: string, ch: string) => {
    const roomId = ch.slice('hrm:room:'.length);
    let event: RoomEvent;
    try {
      event = JSON.parse(message) as RoomEvent;
    } catch {
      return;
    }
    listeners.get(roomId)?.forEach((fn) => fn(event));
  };

  return {
    kind: 'redis',
    publish(roomId, event) {
      pub.publish(channel(roomId), JSON.stringify(event)).catch(fail('publish'));
    },
    async subscribe(roomId, onEvent) {
      let set = listeners.get(roomId);
      if (!set) {
        listeners.set(roomId, (set = new Set()));
        await sub.subscribe(channel(roomId), onMessage);
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
    remember(roomId, participantId, memo) {
      const key = seenKey(roomId);
      pub.hSet(key, participantId, JSON.stringify(memo)).catch(fail('hset'));
      pub.pExpire(key, options.memoTtlMs).catch(fail('pexpire'));
    },
    forget(roomId, participantId) {
      pub.hDel(seenKey(roomId), participantId).catch(fail('hdel'));
    },
    async recall(roomId) {
      const all = await pub.hGetAll(seenKey(roomId));
      const out = new Map<string, PresenceMemo>();
      for (const [id, json] of Object.entries(all)) {
        try {
          out.set(id, JSON.parse(json) as PresenceMemo);
        } catch {
          // a foreign value: skip
        }
      }
      return out;
    },
    async close() {
      listeners.clear();
      await Promise.allSettled([sub.quit(), pub.quit()]);
    },
  };
}
