import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { liveBusContract } from '../../../sync-server/src/live/bus.contract';
import { createRedisBus } from '../../../sync-server/src/live/redis-bus';
import { startRedis, type TestRedis } from '../rooms-support';

// The LiveBus contract over a real redis-server: two buses = two server processes.
let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.dispose();
});

const logger = pino({ level: 'silent' });

liveBusContract('redis', async () => {
  // A fresh database per case: the memo of one case never shows in the next.
  const [bus, other] = await Promise.all([createRedisBus({ url: redis.url, memoTtlMs: 60_000, logger }), createRedisBus({ url: redis.url, memoTtlMs: 60_000, logger })]);
  await fetchFlush(redis.url);
  return { bus, other, outage: async (whileDown) => {
      await redis.stop();
      await whileDown?.();
      await redis.start();
    }, stall: (whileStalled) => redis.freeze(whileStalled), dispose: async () => void (await Promise.all([bus.close(), other.close()])) };
}, { canFail: true });

async function fetchFlush(url: string) {
  const { createClient } = await import('redis');
  const c = createClient({ url });
  await c.connect();
  await c.flushAll();
  await c.quit();
}
