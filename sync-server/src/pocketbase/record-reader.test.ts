import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import PocketBase from 'pocketbase';
import { afterEach, describe, expect, it } from 'vitest';
import { isDbUnavailable } from './admin-client';
import { createRecordReader, createRecordsReader } from './record-reader';

/** A stand-in for PocketBase's record endpoint: answers from a list, one reply per request. */
async function fakePocketBase(replies: { status: number; body: unknown }[]) {
  const seen: { url: string; authorization?: string }[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const r = replies.shift() ?? { status: 500, body: {} };
    res.writeHead(r.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(r.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pb = new PocketBase(url);
  pb.authStore.save('superuser-token', null);
  return { pb, seen, url, close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))) };
}

let close: (() => Promise<unknown>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

describe('record reader', () => {
  it('reads one record with the superuser token and the query; 404 is null', async () => {
    const f = await fakePocketBase([
      { status: 200, body: { id: 'abc', expand: { user: { id: 'u1' } } } },
      { status: 404, body: { status: 404 } },
    ]);
    close = f.close;
    const read = createRecordReader(f.pb);
    expect(await read('sessions', 'abc', { expand: 'user' })).toEqual({ id: 'abc', expand: { user: { id: 'u1' } } });
    expect(await read('sessions', 'gone', {})).toBeNull();
    expect(f.seen[0]).toEqual({ url: '/api/collections/sessions/records/abc?expand=user', authorization: 'superuser-token' });
  });

  it('goes through the SDK for anything else (where admin-client signs in again on 401)', async () => {
    const f = await fakePocketBase([
      { status: 401, body: { status: 401, message: 'expired' } },
      { status: 200, body: { id: 'abc' } },
    ]);
    close = f.close;
    expect(await createRecordReader(f.pb)('sessions', 'abc', {})).toEqual({ id: 'abc' });
    expect(f.seen).toHaveLength(2);
  });

  it('reports an unreachable PocketBase as db unavailable', async () => {
    const f = await fakePocketBase([]);
    await f.close();
    const err = await createRecordReader(f.pb)('sessions', 'abc', {}).catch((e: unknown) => e);
    expect(isDbUnavailable(err)).toBe(true);
  });

  it('reads several records in one list read; ids that are not PocketBase ids stay out of the filter', async () => {
    const a = 'aaaaaaaaaaaaaaa';
    const b = 'bbbbbbbbbbbbbbb';
    const f = await fakePocketBase([{ status: 200, body: { items: [{ id: b, n: 2 }] } }]);
    close = f.close;
    const found = await createRecordsReader(f.pb)('sessions', [a, b, a, "x' || id != '"], { expand: 'user' });
    expect([...found]).toEqual([[b, { id: b, n: 2 }]]);
    const url = new URL(f.seen[0]!.url, 'http://x');
    expect(url.pathname).toBe('/api/collections/sessions/records');
    expect(Object.fromEntries(url.searchParams)).toEqual({ expand: 'user', page: '1', perPage: '2', skipTotal: '1', filter: `id='${a}'||id='${b}'` });
    expect(f.seen[0]!.authorization).toBe('superuser-token');
    expect(await createRecordsReader(f.pb)('sessions', ['nope'], {})).toEqual(new Map());
    expect(f.seen).toHaveLength(1); // nothing to read, nothing sent
  });
});
