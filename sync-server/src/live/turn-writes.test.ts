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
    const turnWrites = createTurnWrites(setImmediate);
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
    const tw = createTurnWrites((fn) => deferred.push(fn));
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
