import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { WSContext } from 'hono/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { acceptLive, attachLiveUpgrades, type LiveFrame, type LiveSocketEvents } from './live-upgrade';

function recorder() {
  const seen: string[] = [];
  const frames: LiveFrame[] = [];
  const contexts: WSContext[] = [];
  const events: LiveSocketEvents = {
    onOpen: (ws) => {
      seen.push('open');
      contexts.push(ws);
    },
    onMessage: (f) => {
      seen.push('message');
      frames.push(f);
    },
    onClose: () => seen.push('close'),
  };
  return { seen, frames, contexts, events };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A node server whose upgrades go through a Hono app, as main.ts wires them. */
async function serverWith(app: Hono, fetch?: (req: Request) => Promise<Response>) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  const errors: string[] = [];
  attachLiveUpgrades(server, { fetch: fetch ?? ((req, env) => app.fetch(req, env)), wss, onError: (e) => errors.push(e.message) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const ws of wss.clients) ws.terminate();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, errors };
}

function connect(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  // A refused or failed handshake is an 'error' too; the tests read it from the response or the close.
  ws.on('error', () => undefined);
  cleanups.push(() => ws.terminate());
  return ws;
}

const opened = (ws: WebSocket) => new Promise<void>((resolve, reject) => {
  ws.once('open', () => resolve());
  ws.once('error', reject);
});

/** The response an upgrade was refused with: status, content type, body. */
const refused = (ws: WebSocket) =>
  new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) => {
    ws.once('open', () => reject(new Error('upgraded')));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
  });

describe('live upgrades', () => {
  it('hands an accepted socket to its handlers: text frames as strings, binary as bytes, sends and close', async () => {
    const rec = recorder();
    const app = new Hono().get('/live', (c) => acceptLive(c.env, rec.events));
    const { url } = await serverWith(app);
    const client = connect(`${url}/live`);
    const got: string[] = [];
    client.on('message', (d) => got.push(String(d)));
    await opened(client);
    await expect.poll(() => rec.seen).toEqual(['open']);
    client.send('{"type":"hr","bpm":150}');
    client.send('héllo ♥');
    client.send(Buffer.from([1, 2, 3]), { binary: true });
    await expect.poll(() => rec.frames.length).toBe(3);
    expect(rec.frames.slice(0, 2).map((f) => f.data)).toEqual(['{"type":"hr","bpm":150}', 'héllo ♥']);
    expect(typeof rec.frames[2]!.data).not.toBe('string');
    expect([...(rec.frames[2]!.data as Buffer)]).toEqual([1, 2, 3]);
    rec.contexts[0]!.send('welcome');
    await expect.poll(() => got).toEqual(['welcome']);
    client.close(1000);
    await expect.poll(() => rec.seen.at(-1)).toBe('close');
  });

  it('writes a refused upgrade back as the app answered it: status and JSON error', async () => {
    const rec = recorder();
    const app = new Hono().get('/live', (c) => (c.req.header('origin') === 'https://gym.example' ? acceptLive(c.env, rec.events) : c.json({ error: { code: 'forbidden', message: 'Wrong origin.' } }, 403)));
    const { url } = await serverWith(app);
    const answer = await refused(connect(`${url}/live`, { origin: 'https://evil.example' }));
    expect(answer).toEqual({ status: 403, type: 'application/json', body: JSON.stringify({ error: { code: 'forbidden', message: 'Wrong origin.' } }) });
    expect((await refused(connect(`${url}/elsewhere`))).status).toBe(404);
    // A route that answers 200 without accepting (a page, say) is not an upgrade.
    const page = new Hono().get('/page', (c) => c.text('a page'));
    expect((await refused(connect(`${(await serverWith(page)).url}/page`))).status).toBe(400);
    await opened(connect(`${url}/live`, { origin: 'https://gym.example' }));
    expect(rec.seen).toEqual(['open']);
  });

  it('answers 500 when the app fails, and logs it', async () => {
    const { url, errors } = await serverWith(new Hono(), async () => {
      throw new Error('store down');
    });
    expect((await refused(connect(`${url}/live`))).status).toBe(500);
    expect(errors).toEqual(['store down']);
  });

  it('refuses an upgrade to anything but WebSocket, and a handler that throws on open closes the socket with 1011', async () => {
    const app = new Hono().get('/live', (c) =>
      acceptLive(c.env, {
        onOpen: () => {
          throw new Error('hub stopped');
        },
        onMessage: () => undefined,
        onClose: () => undefined,
      }),
    );
    const { url, errors } = await serverWith(app);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${url.replace('ws:', 'http:')}/live`, { headers: { connection: 'upgrade', upgrade: 'h2c' } });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
    const client = connect(`${url}/live`);
    const code = await new Promise<number>((r) => client.once('close', (c) => r(c)));
    expect(code).toBe(1011);
    expect(errors).toEqual(['hub stopped']);
  });

  it('answers 426 outside a node upgrade: app.request, and a plain request naming WebSocket without Connection: upgrade', async () => {
    const rec = recorder();
    const app = new Hono().get('/live', (c) => acceptLive(c.env, rec.events));
    expect((await app.request('/live', { headers: { upgrade: 'websocket' } })).status).toBe(426);
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/live', headers: { upgrade: 'websocket', connection: 'keep-alive' } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(426);
    expect(rec.seen).toEqual([]);
  });

  it('keeps neither the upgrade request nor its Hono context for the life of the socket', async () => {
    // @hono/node-server's upgradeWebSocket kept both (about 30 KB a socket, issue 14).
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    const rec = recorder();
    let request: WeakRef<Request> | undefined;
    let context: WeakRef<object> | undefined;
    const app = new Hono().get('/live', (c) => {
      request = new WeakRef(c.req.raw);
      context = new WeakRef(c);
      return acceptLive(c.env, rec.events);
    });
    const { url } = await serverWith(app);
    const client = connect(`${url}/live`);
    await opened(client);
    client.send('after open');
    await expect.poll(() => rec.frames.length).toBe(1);
    // Finalization needs the turn to end; collect until both are gone (or give up on the poll's timeout).
    await expect
      .poll(async () => {
        gc();
        await new Promise((r) => setImmediate(r));
        return [request!.deref() === undefined, context!.deref() === undefined];
      })
      .toEqual([true, true]);
    expect(client.readyState).toBe(WebSocket.OPEN);
  });
});
