import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import PocketBase, { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackFetch } from './loopback-fetch';

// The SDK's transport over node:http (loopback-fetch.ts), against a plain http server that
// answers as PocketBase would, and through the real SDK's send.
let server: Server;
let base: string;
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
/** Requests the server holds without answering (released by the abort test). */
const held: Array<() => void> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/hold') return void held.push(() => res.destroy());
      if (req.url === '/not-json') return void res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad gateway');
      if (req.url === '/missing') return void res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 404, message: 'Not found.', data: {} }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ echo: req.headers['content-type'] === 'application/json' ? (JSON.parse(body) as unknown) : null, method: req.method }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  held.forEach((release) => release());
  await new Promise((r) => server.close(r));
});

describe('loopbackFetch', () => {
  it('sends method, headers and a JSON body (its byte length, not its character count) and answers status, url and json()', async () => {
    const f = loopbackFetch(base)!;
    const body = JSON.stringify({ name: 'Zoë 🏋️' });
    const r = await f(`${base}/api/collections/x/records?a=1`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'tok' }, body });
    expect(r.status).toBe(200);
    expect(r.url).toBe(`${base}/api/collections/x/records?a=1`);
    expect(await r.json()).toEqual({ echo: { name: 'Zoë 🏋️' }, method: 'POST' });
    const req = seen.at(-1)!;
    expect(req).toMatchObject({ method: 'POST', url: '/api/collections/x/records?a=1', body });
    expect(req.headers).toMatchObject({ authorization: 'tok', 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    expect(Number(req.headers['content-length'])).toBeGreaterThan(body.length);
  });

  it('through the SDK: a 404 is a ClientResponseError with PocketBase’s answer; a body that is not JSON still gives the status', async () => {
    const pb = new PocketBase(base);
    const fetch = loopbackFetch(base) as unknown as typeof globalThis.fetch;
    const missing = await pb.send('/missing', { fetch }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ClientResponseError);
    expect((missing as ClientResponseError).status).toBe(404);
    expect((missing as ClientResponseError).response).toMatchObject({ message: 'Not found.' });
    const bad = await pb.send('/not-json', { fetch }).catch((e: unknown) => e);
    expect((bad as ClientResponseError).status).toBe(502);
    expect(await pb.send('/ok', { fetch, method: 'PATCH', body: { a: 1 } })).toEqual({ echo: { a: 1 }, method: 'PATCH' });
  });

  it('an abort rejects as AbortError (the SDK reports isAbort); nothing listens on the port: status 0', async () => {
    const f = loopbackFetch(base)!;
    const abort = new AbortController();
    const pending = f(`${base}/hold`, { signal: abort.signal });
    await expect.poll(() => held.length).toBe(1);
    abort.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    const pb = new PocketBase(base);
    pb.autoCancellation(false); // as admin-client.ts: else the SDK puts its own signal in place of ours
    const aborted = await pb.send('/hold', { fetch: f as unknown as typeof fetch, signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((aborted as ClientResponseError).isAbort).toBe(true);

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const gone = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((r) => closed.close(r));
    const refused = await new PocketBase(gone).send('/x', { fetch: loopbackFetch(gone) as unknown as typeof fetch }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ClientResponseError);
    expect((refused as ClientResponseError).status).toBe(0);
  });

  it('a batch (the SDK’s form with only @jsonPayload) goes as a JSON body', async () => {
    const pb = new PocketBase(base);
    pb.autoCancellation(false);
    const batch = pb.createBatch();
    batch.collection('slots').create({ key: 'k', n: 1 });
    batch.collection('slots').delete('abc');
    await pb.send('/api/batch', { fetch: loopbackFetch(base) as unknown as typeof fetch, method: 'POST', body: (() => {
      const form = new FormData();
      form.append('@jsonPayload', JSON.stringify({ requests: [{ method: 'DELETE', url: '/api/collections/slots/records/abc' }] }));
      return form;
    })() });
    const req = seen.at(-1)!;
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({ requests: [{ method: 'DELETE', url: '/api/collections/slots/records/abc' }] });
    // The SDK's own batch.send, with its transport given as the server's client gives it (admin-client.ts).
    const send = pb.send.bind(pb);
    pb.send = (path, options) => send(path, { ...options, fetch: loopbackFetch(base) as unknown as typeof fetch });
    await batch.send();
    const sent = JSON.parse(seen.at(-1)!.body) as { requests: Array<{ method: string; url: string; body?: unknown }> };
    expect(sent.requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', '/api/collections/slots/records', { key: 'k', n: 1 }],
      ['DELETE', '/api/collections/slots/records/abc', {}],
    ]);
  });

  it('keeps the connection for the next request, and closes it itself once idle (before PocketBase would)', async () => {
    const sockets = new Set<unknown>();
    let closed = 0;
    const onConnection = (socket: import('node:net').Socket) => {
      sockets.add(socket);
      socket.on('close', () => (closed += 1));
    };
    server.on('connection', onConnection);
    try {
      const f = loopbackFetch(base, { idleCloseMs: 200 })!;
      await f(`${base}/one`);
      await f(`${base}/two`);
      expect(sockets.size).toBe(1);
      await expect.poll(() => closed, { timeout: 5_000 }).toBe(1);
      await f(`${base}/three`);
      expect(sockets.size).toBe(2);
    } finally {
      server.off('connection', onConnection);
    }
  });

  it('a body it does not carry (a form with a file) goes to the global fetch; https is not its to take', async () => {
    const f = loopbackFetch(base)!;
    const form = new FormData();
    form.append('file', new Blob(['x']), 'a.txt');
    const r = await f(`${base}/upload`, { method: 'POST', body: form });
    expect(r.status).toBe(200);
    expect(String(seen.at(-1)!.headers['content-type'])).toMatch(/^multipart\/form-data/);
    expect(loopbackFetch('https://example.org')).toBeNull();
  });
});
