import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHealthProber, pocketBaseProbe, type ProbeResult } from './health-prober';

/** A PocketBase double: each probe waits for the test to answer it. */
function fakePocketBase() {
  const pending: { answer(r: ProbeResult): void; signal: AbortSignal }[] = [];
  let mode: 'up' | 'down' | 'hung' | 'manual' = 'up';
  return {
    pending,
    set: (m: typeof mode) => (mode = m),
    probe: (signal: AbortSignal) =>
      new Promise<ProbeResult>((resolve) => {
        if (mode === 'up') return resolve('ok');
        if (mode === 'down') return resolve('failed');
        if (mode === 'hung') signal.addEventListener('abort', () => resolve('failed'));
        pending.push({ answer: resolve, signal });
      }),
  };
}

describe('health prober', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is up while PocketBase answers, and a slow answer does not make it down', async () => {
    const pb = fakePocketBase();
    const prober = createHealthProber({ probe: pb.probe, intervalMs: 200, failuresToDown: 3, hungAfterMs: 5_000 });
    expect(await prober.up()).toBe(true);
    pb.set('manual');
    await vi.advanceTimersByTimeAsync(200);
    expect(pb.pending).toHaveLength(1);
    // 4 s without an answer: slow, not down; and no second probe piles up meanwhile.
    await vi.advanceTimersByTimeAsync(4_000);
    expect(await prober.up()).toBe(true);
    expect(pb.pending).toHaveLength(1);
    pb.set('up');
    pb.pending[0]!.answer('ok');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await prober.up()).toBe(true);
    prober.stop();
  });

  it('turns down after consecutive failures, within 2 s of PocketBase dying, and back up at the first answer', async () => {
    const pb = fakePocketBase();
    const prober = createHealthProber({ probe: pb.probe, intervalMs: 200, failuresToDown: 3 });
    expect(await prober.up()).toBe(true);
    pb.set('down');
    await vi.advanceTimersByTimeAsync(400);
    expect(await prober.up()).toBe(true); // two failures: could be a blip
    await vi.advanceTimersByTimeAsync(200);
    expect(await prober.up()).toBe(false);
    pb.set('up');
    await vi.advanceTimersByTimeAsync(200);
    expect(await prober.up()).toBe(true);
    prober.stop();
  });

  it('one failure between answers is not an outage', async () => {
    const pb = fakePocketBase();
    const prober = createHealthProber({ probe: pb.probe, intervalMs: 200, failuresToDown: 3 });
    expect(await prober.up()).toBe(true);
    for (let i = 0; i < 5; i++) {
      pb.set('down');
      await vi.advanceTimersByTimeAsync(400);
      pb.set('up');
      await vi.advanceTimersByTimeAsync(200);
      expect(await prober.up()).toBe(true);
    }
    prober.stop();
  });

  it('counts a hung PocketBase as a failed probe after hungAfterMs', async () => {
    const pb = fakePocketBase();
    const prober = createHealthProber({ probe: pb.probe, intervalMs: 200, failuresToDown: 2, hungAfterMs: 1_000 });
    expect(await prober.up()).toBe(true);
    pb.set('hung');
    await vi.advanceTimersByTimeAsync(200 + 1_000);
    expect(await prober.up()).toBe(true);
    await vi.advanceTimersByTimeAsync(200 + 1_000);
    expect(await prober.up()).toBe(false);
    prober.stop();
  });

  it('reads down at the first failure before PocketBase ever answered', async () => {
    const pb = fakePocketBase();
    pb.set('down');
    const prober = createHealthProber({ probe: pb.probe, failuresToDown: 3 });
    expect(await prober.up()).toBe(false);
    prober.stop();
  });
});

describe('pocketBaseProbe (a real http server standing in for PocketBase)', () => {
  let server: Server;
  let base = '';
  let status = 200;
  let hang = false;
  const connections = new Set<unknown>();
  let requests = 0;
  let seenPaths: string[] = [];
  beforeEach(async () => {
    seenPaths = [];
    status = 200;
    hang = false;
    requests = 0;
    connections.clear();
    server = createServer((req, res) => {
      requests++;
      seenPaths.push(req.url ?? '');
      if (hang) return; // never answers
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"message":"API is healthy."}');
    });
    server.on('connection', (s) => connections.add(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('answers ok on 2xx over one kept-alive connection, failed on an error status', async () => {
    const probe = pocketBaseProbe(base);
    for (let i = 0; i < 3; i++) expect(await probe(new AbortController().signal)).toBe('ok');
    expect(requests).toBe(3);
    expect(seenPaths).toEqual(['/api/health', '/api/health', '/api/health']);
    expect(connections.size).toBe(1);
    status = 503;
    expect(await probe(new AbortController().signal)).toBe('failed');
  });

  it('probes under the base URL\'s own path (a PocketBase behind a prefix)', async () => {
    expect(await pocketBaseProbe(`${base}/pb/`)(new AbortController().signal)).toBe('ok');
    expect(seenPaths).toEqual(['/pb/api/health']);
  });

  it('answers failed when nothing listens, and when aborted while PocketBase hangs', async () => {
    hang = true;
    const probe = pocketBaseProbe(base);
    const ac = new AbortController();
    const pending = probe(ac.signal);
    await vi.waitFor(() => expect(requests).toBe(1));
    ac.abort();
    expect(await pending).toBe('failed');
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    expect(await pocketBaseProbe(base)(new AbortController().signal)).toBe('failed');
    server = createServer(); // for afterEach
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
});
