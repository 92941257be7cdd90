import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';

/**
 * Issue 11, defect 15: health answered 503 while PocketBase was up but slow (one 1.5 s probe),
 * so a supervisor would restart a healthy server. The sync server reaches PocketBase through
 * a proxy that can delay every response; health must stay 200 while PocketBase is slow, turn
 * 503 within 2 s of PocketBase being killed, and come back after.
 */
interface DelayProxy {
  url: string;
  delayMs: number;
  /** Resolves when `n` more health probes have been answered after a delay. */
  slowProbes(n: number): Promise<void>;
  close(): Promise<void>;
}

async function startDelayProxy(target: number): Promise<DelayProxy> {
  const waiters: { left: number; resolve: () => void }[] = [];
  const proxy: DelayProxy & { server?: Server } = {
    url: '',
    delayMs: 0,
    slowProbes: (n) => new Promise((resolve) => waiters.push({ left: n, resolve })),
    close: async () => {
      proxy.server?.closeAllConnections();
      await new Promise((r) => proxy.server?.close(r));
    },
  };
  const server = createServer((req, res) => {
    const delay = proxy.delayMs;
    setTimeout(() => {
      const up = request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
        upRes.on('end', () => {
          if (delay > 0 && req.url === '/api/health') {
            for (const w of [...waiters]) if (--w.left === 0) waiters.splice(waiters.indexOf(w), 1) && w.resolve();
          }
        });
      });
      // PocketBase gone: drop the connection, as a dead process would.
      up.on('error', () => res.socket?.destroy());
      req.pipe(up);
    }, delay);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxy.server = server;
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

let pb: TestPocketBase;
let proxy: DelayProxy;
let server: TestServer;

beforeAll(async () => {
  pb = await startTestPocketBase();
  proxy = await startDelayProxy(pb.port);
  server = await startSyncServer({ pb: { url: proxy.url, superuser: pb.superuser } });
});

afterAll(async () => {
  await server?.stop();
  await proxy?.close();
  await pb?.dispose();
});

const health = () => client(server.url).get('/api/v1/health');

async function until(status: number, deadlineMs: number): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if ((await health()).status === status) return performance.now() - t0;
    if (performance.now() - t0 > deadlineMs) throw new Error(`health did not turn ${status} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('health', () => {
  it('stays 200 while PocketBase answers slowly (2.5 s per response)', async () => {
    expect((await health()).status).toBe(200);
    proxy.delayMs = 2_500;
    try {
      // Ask while probes are slow, until the prober has itself seen three slow answers.
      const seen = proxy.slowProbes(3);
      let done = false;
      void seen.then(() => (done = true));
      const statuses: number[] = [];
      const t0 = performance.now();
      while (!done && performance.now() - t0 < 20_000) {
        statuses.push((await health()).status);
        await Promise.race([seen, new Promise((r) => setTimeout(r, 300))]);
      }
      statuses.push((await health()).status);
      expect(new Set(statuses)).toEqual(new Set([200]));
      expect(done).toBe(true);
      expect(statuses.length).toBeGreaterThan(3);
    } finally {
      proxy.delayMs = 0;
    }
  });

  it('turns 503 within 2 s of PocketBase being killed, and 200 again when it is back', async () => {
    await until(200, 10_000);
    await pb.stop();
    const downAfter = await until(503, 2_000);
    expect(downAfter).toBeLessThan(2_000);
    const down = await health();
    expect(down.body.db).toBe('unavailable');
    await pb.start();
    await until(200, 10_000);
  });
});
