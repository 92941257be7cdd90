import { Buffer } from 'node:buffer';
import { Agent, request } from 'node:http';

/**
 * The PocketBase SDK's transport for the sync server's superuser client (admin-client.ts): a
 * keep-alive node:http request in place of the global `fetch` (undici), for PocketBase over
 * plain http on loopback. The SDK calls `options.fetch(url, init)` and reads only `status`,
 * `url` and `json()` of the answer (pocketbase's Client.send), so that is what this returns.
 *
 * Why: undici's fetch builds a Request, a Response, web streams and an abort signal per call.
 * With 3 000 participants joining (bench/class-fanout.bench.ts, ALLOC_PROF_PHASE=setup) the
 * SDK's fetch path was the larger part of everything the server allocated, and what outlived a
 * scavenge while PocketBase was busy answering was left in the old space for a long full
 * collection later (issue 14). record-reader.ts did the same for the session read earlier.
 *
 * Anything it does not cover (a form with files, a binary body, https) goes to the global fetch.
 */
export type SdkFetch = (url: string, init?: RequestInit) => Promise<SdkResponse>;

export interface SdkResponse {
  readonly status: number;
  readonly url: string;
  json(): Promise<unknown>;
}

/** As undici's default headers and body timeouts: an answer that takes longer fails. */
const ANSWER_TIMEOUT_MS = 300_000;

/**
 * How long a kept-alive connection may sit unused before we close it. PocketBase (Go's
 * http.Server) closes idle connections itself after its ReadTimeout; a request sent on one in
 * that instant would fail with a reset. Closing ours first, as undici does after 4 s, avoids it.
 */
const IDLE_CLOSE_MS = 30_000;

export function loopbackFetch(baseUrl: string, options: { maxSockets?: number; idleCloseMs?: number } = {}): SdkFetch | null {
  if (new URL(baseUrl).protocol !== 'http:') return null;
  // `timeout` is the socket timeout of a free (idle) socket: the agent destroys it then. A request
  // in flight has its own (ANSWER_TIMEOUT_MS below).
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 128, timeout: options.idleCloseMs ?? IDLE_CLOSE_MS });
  return (url, init = {}) => {
    const given = init.body;
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    // The SDK's batch (pb.createBatch) always sends a form, with its requests as one
    // `@jsonPayload` field; PocketBase takes the same requests as a JSON body
    // (https://pocketbase.io/docs/api-records/#batch-createupdateupsertdelete-records).
    const payload = given instanceof FormData ? jsonPayloadOnly(given) : null;
    let body: string | undefined;
    if (typeof given === 'string') body = given;
    else if (payload !== null) {
      body = payload;
      headers['content-type'] = 'application/json';
    } else if (given !== undefined && given !== null) return fetch(url, init);
    return new Promise<SdkResponse>((resolve, reject) => {
      const signal = init.signal;
      if (signal?.aborted) return reject(abortError(signal));
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const req = request(url, { agent, method: init.method ?? 'GET', headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const status = res.statusCode ?? 0;
          // As Response.json(): a body that is not JSON rejects (the SDK then answers with {}).
          resolve({ status, url, json: async () => JSON.parse(text) as unknown });
        });
        res.on('error', fail);
      });
      function fail(e: Error) {
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      }
      function onAbort() {
        req.destroy(abortError(signal!));
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy(new Error('PocketBase did not answer')));
      req.on('error', fail);
      req.end(body);
    });
  };
}

/** The form's one field when it is `@jsonPayload` text (no files, nothing else); else null. */
function jsonPayloadOnly(form: FormData): string | null {
  let payload: string | null = null;
  let count = 0;
  for (const [key, value] of form.entries()) {
    count += 1;
    if (key === '@jsonPayload' && typeof value === 'string') payload = value;
  }
  return count === 1 ? payload : null;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  return e;
}
