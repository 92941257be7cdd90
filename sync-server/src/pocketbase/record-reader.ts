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
  const get = plainGet(pb);
  if (!get) return sdkRead(pb);
  const viaSdk = sdkRead(pb);
  // The hot path passes the same query object on every call: encode it once.
  const queries = new WeakMap<object, string>();
  const queryString = (query: Record<string, string>) => {
    let qs = queries.get(query);
    if (qs === undefined) queries.set(query, (qs = String(new URLSearchParams(query))));
    return qs;
  };
  return async <T>(collection: string, id: string, query: Record<string, string>): Promise<T | null> => {
    const reply = await get(`${encodeURIComponent(collection)}/records/${encodeURIComponent(id)}?${queryString(query)}`);
    if (reply.status === 200) return JSON.parse(reply.body) as T;
    if (reply.status === 404) return null;
    return viaSdk<T>(collection, id, query);
  };
}

/**
 * Several records by id in one list read (read-coalescer.ts batches the hot path's reads into
 * these). Ids must be PocketBase ids (15 lowercase alphanumerics): anything else cannot exist,
 * is left out of the filter and is simply not found.
 */
export type RecordsReader = <T extends { id: string }>(collection: string, ids: readonly string[], query: Record<string, string>) => Promise<Map<string, T>>;

const PB_ID = /^[a-z0-9]{15}$/;

export function createRecordsReader(pb: PocketBase): RecordsReader {
  const get = plainGet(pb);
  return async <T extends { id: string }>(collection: string, ids: readonly string[], query: Record<string, string>) => {
    const wanted = [...new Set(ids.filter((id) => PB_ID.test(id)))];
    const found = new Map<string, T>();
    if (wanted.length === 0) return found;
    const filter = wanted.map((id) => `id='${id}'`).join('||');
    const params = { ...query, page: '1', perPage: String(wanted.length), skipTotal: '1', filter };
    let items: T[];
    const reply = get ? await get(`${encodeURIComponent(collection)}/records?${new URLSearchParams(params)}`) : null;
    if (reply?.status === 200) items = (JSON.parse(reply.body) as { items: T[] }).items;
    else items = (await pb.collection(collection).getList<T>(1, wanted.length, { ...query, skipTotal: true, filter })).items;
    for (const item of items) found.set(item.id, item);
    return found;
  };
}

/** A keep-alive GET under /api/collections/ with the superuser's token; null unless PocketBase is plain http. */
function plainGet(pb: PocketBase): ((path: string) => Promise<{ status: number; body: string }>) | null {
  const base = new URL(pb.baseURL);
  if (base.protocol !== 'http:') return null;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const prefix = `${base.pathname.replace(/\/$/, '')}/api/collections/`;
  const host = base.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = base.port || 80;
  return (rest) => {
    const path = `${prefix}${rest}`;
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
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
