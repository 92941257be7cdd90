/**
 * Bytes on the wire for the sync benches: a TCP proxy in front of a server that counts what
 * passes each way (HTTP headers included, TLS excluded: it is loopback).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from '../../tests/support/ports';

export interface Meter {
  url: string;
  /** Client to server. */
  sent: number;
  /** Server to client. */
  received: number;
  reset(): void;
  close(): Promise<void>;
}

/** A point in a run: when, and how many bytes had crossed the meter (both ways) by then. */
export interface Mark {
  at: number;
  bytes: number;
}

export const mark = (m: Meter): Mark => ({ at: performance.now(), bytes: m.sent + m.received });

/** Time and bytes between two marks. */
export const span = (from: Mark, to: Mark) => ({ ms: to.at - from.at, bytes: to.bytes - from.bytes });

/** A TCP proxy to 127.0.0.1:targetPort that counts the bytes each way. */
export async function meter(targetPort: number): Promise<Meter> {
  const port = await freePort();
  const m = { sent: 0, received: 0 };
  const open = new Set<Socket>();
  const server: Server = createServer((down) => {
    const up = connect(targetPort, '127.0.0.1');
    open.add(down).add(up);
    down.on('data', (d: Buffer) => (m.sent += d.length));
    up.on('data', (d: Buffer) => (m.received += d.length));
    down.pipe(up).pipe(down);
    const end = () => (down.destroy(), up.destroy(), open.delete(down), open.delete(up));
    down.on('error', end).on('close', end);
    up.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return Object.assign(m, {
    url: `http://127.0.0.1:${port}`,
    reset: () => ((m.sent = 0), (m.received = 0)),
    // close() waits for open connections, and fetch keeps idle ones alive: end them too.
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const s of open) s.destroy();
      }),
  }) as Meter;
}

export const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
