import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createTurnWrites, streamOf } from './turn-writes';

/** A socket whose `_handle.writev`/`writeUtf8String`… calls are counted: one per system write. */
function countWrites(socket: Socket) {
  const handle = (socket as unknown as { _handle: Record<string, (...a: unknown[]) => unknown> })._handle;
  let calls = 0;
  for (const name of ['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String', 'writeAsciiString', 'writeUcs2String']) {
    const original = handle[name];
    if (typeof original !== 'function') continue;
    handle[name] = function (this: unknown, ...args: unknown[]) {
      calls += 1;
      return original.apply(this, args);
    };
  }
  return () => calls;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A real `ws` server and client; the server's WebSocket is handed back with its client. */
async function wsPair() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const serverSide = new Promise<WebSocket>((r) => wss.once('connection', r));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`);
  const server = await serverSide;
  await new Promise((r) => (client.readyState === WebSocket.OPEN ? r(null) : client.once('open', r)));
  cleanups.push(() => new Promise<void>((r) => {
    client.terminate();
    wss.close(() => r());
  }));
  const received: string[] = [];
  client.on('message', (d) => received.push(String(d)));
  return { server, client, received };
}

describe('turn writes', () => {
  it('sends the frames a socket got in one turn in one system write, in order, at the turn end', async () => {
    const { server, received } = await wsPair();
    const stream = streamOf(server)!;
    expect(stream).not.toBeNull();
    const writes = countWrites(stream as unknown as Socket);
    // A clock that stands still: the turn is never "long" however slow the machine.
    const turnWrites = createTurnWrites(setImmediate, { clock: () => 0 });
    for (let i = 0; i < 20; i++) {
      turnWrites.hold(stream);
      server.send(`frame ${i}`);
    }
    expect(writes()).toBe(0); // held until the turn ends
    await new Promise((r) => setImmediate(r));
    expect(writes()).toBe(1);
    await expect.poll(() => received.length).toBe(20);
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => `frame ${i}`));
  });

  it('without it, ws writes each frame at once (what the batching saves)', async () => {
    const { server, received } = await wsPair();
    const writes = countWrites(streamOf(server) as unknown as Socket);
    for (let i = 0; i < 20; i++) server.send(`frame ${i}`);
    expect(writes()).toBe(20);
    await expect.poll(() => received.length).toBe(20);
  });

  it('holds each stream once per turn, defers one callback, and writes again in the next turn', async () => {
    const log: string[] = [];
    const deferred: Array<() => void> = [];
    const stream = (name: string) => ({ cork: () => log.push(`cork ${name}`), uncork: () => log.push(`uncork ${name}`) });
    const [a, b] = [stream('a'), stream('b')];
    const tw = createTurnWrites((fn) => deferred.push(fn), { clock: () => 0 });
    tw.hold(a);
    tw.hold(b);
    tw.hold(a);
    tw.hold(null);
    expect(deferred).toHaveLength(1);
    expect(log).toEqual(['cork a', 'cork b']);
    deferred.shift()!();
    expect(log).toEqual(['cork a', 'cork b', 'uncork a', 'uncork b']);
    tw.hold(a);
    expect(deferred).toHaveLength(1);
    tw.flush();
    expect(log.at(-1)).toBe('uncork a');
    deferred.shift()!(); // the earlier callback, after an explicit flush: nothing held, nothing done
    expect(log).toHaveLength(6);
  });

  it('in a turn longer than maxHoldMs, a later write releases what is held first, in order', () => {
    const log: string[] = [];
    const deferred: Array<() => void> = [];
    let now = 100;
    const stream = (name: string) => ({ cork: () => log.push(`cork ${name}`), uncork: () => log.push(`uncork ${name}`) });
    const [a, b, c] = [stream('a'), stream('b'), stream('c')];
    const tw = createTurnWrites((fn) => deferred.push(fn), { maxHoldMs: 1, clock: () => now });
    tw.hold(a);
    now += 0.6;
    tw.hold(b); // within 1 ms of the first hold: both held
    expect(log).toEqual(['cork a', 'cork b']);
    now += 0.5; // 1.1 ms after the first hold
    tw.hold(a); // a long turn: a and b leave now, then a is held again for what comes next
    tw.hold(c);
    expect(log).toEqual(['cork a', 'cork b', 'uncork a', 'uncork b', 'cork a', 'cork c']);
    now += 0.2;
    tw.hold(b); // 0.2 ms into the new hold: held
    expect(log.at(-1)).toBe('cork b');
    expect(deferred).toHaveLength(1); // still one callback for the turn
    deferred.shift()!();
    expect(log.slice(-3)).toEqual(['uncork a', 'uncork c', 'uncork b']);
  });

  it('a socket closed while held still sends its close frame, and the late uncork does nothing', async () => {
    const { server, client } = await wsPair();
    const tw = createTurnWrites(setImmediate);
    const closed = new Promise<number>((r) => client.once('close', (code) => r(code)));
    tw.hold(streamOf(server));
    server.send('last words');
    server.close(4001, 'bye');
    expect(await closed).toBe(4001);
    expect(() => tw.flush()).not.toThrow();
  });

  it('streamOf is null for anything that is not a ws socket', () => {
    expect(streamOf(undefined)).toBeNull();
    expect(streamOf({})).toBeNull();
    expect(streamOf({ _socket: { cork: 1 } })).toBeNull();
    const plain = connect({ port: 1, host: '127.0.0.1' }).on('error', () => undefined);
    cleanups.push(() => void plain.destroy());
    expect(streamOf({ _socket: plain })).toBe(plain);
  });
});
