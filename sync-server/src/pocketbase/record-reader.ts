import { Agent, request } from 'node:http';
import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';

/**
 * One PocketBase record by id, for the hot path of every authenticated request (the session
 * read). The SDK sends through `fetch` (undici), which on this server costs several times
 * what PocketBase spends answering (bench/me-throughput.bench.ts); this is a plain keep-alive
 * GET with the superuser's token. Anything but 200 or 404 goes through the SDK instead, which
 * signs in again on 401/403 (admin-client.ts) and reports PocketBase's errors as usual.
 * Network failures surface as ClientResponseError status 0, i.e. db_unavailable.
 */
export type RecordReader = <T>(collection: string, id: string, query: Record<string, string>) => Promise<T | null>;

export function createRecordReader(pb: PocketBase): RecordReader {
  const base = new URL(pb.baseURL);
  if (base.protocol !== 'http:') return sdkRead(pb);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const viaSdk = sdkRead(pb);
  const prefix = `${base.pathname.replace(/\/$/, '')}/api/collections/`;
  const host = base.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = base.port || 80;
  // The hot path passes the same query object on every call: encode it once.
  const queries = new WeakMap<object, string>();
  const queryString = (query: Record<string, string>) => {
    let qs = queries.get(query);
    if (qs === undefined) queries.set(query, (qs = String(new URLSearchParams(query))));
    return qs;
  };
  return async <T>(collection: string, id: string, query: Record<string, string>): Promise<T | null> => {
    const path = `${prefix}${encodeURIComponent(collection)}/records/${encodeURIComponent(id)}?${queryString(query)}`;
    const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { agent, host, port, path, method: 'GET', headers: { authorization: pb.authStore.token, accept: 'application/json' } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('PocketBase did not answer')));
      req.on('error', reject);
      req.end();
    }).catch((e: unknown) => {
      throw new ClientResponseError({ url: path, status: 0, originalError: e });
    });
    if (reply.status === 200) return JSON.parse(reply.body) as T;
    if (reply.status === 404) return null;
    return viaSdk<T>(collection, id, query);
  };
}

function sdkRead(pb: PocketBase): RecordReader {
  return async <T>(collection: string, id: string, query: Record<string, string>) => {
    try {
      return await pb.collection(collection).getOne<T & { id: string }>(id, query);
    } catch (e) {
      if (e instanceof ClientResponseError && e.status === 404) return null;
      throw e;
    }
  };
}
