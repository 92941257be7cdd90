/**
 * The OAuth steps the provider integration tests share (Spotify, Strava): the provider's
 * emulator served in-process with an optional hook around every request, a superuser
 * PocketBase client, a member's client that records every answer for the token-leak scan, and
 * the connect dance itself: HRM's /connect redirect, the emulator's authorize page (whose
 * consent decision the test set beforehand), and HRM's callback.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import PocketBase from 'pocketbase';
import { client } from './http-client';
import type { TestPocketBase } from './pocketbase';

export type EmuHook = (req: Request, respond: () => Promise<Response>) => Promise<Response>;

/** Serves `fetch` on a free loopback port; `setHook` wraps every later request. */
export async function serveEmulator(fetchApp: (req: Request, env: unknown) => Response | Promise<Response>) {
  let hook: EmuHook | null = null;
  const fetchWithHook = (req: Request, env: unknown) => {
    const respond = async () => fetchApp(req, env);
    return hook ? hook(req, respond) : respond();
  };
  const { server, info } = await new Promise<{ server: ReturnType<typeof serve>; info: AddressInfo }>((resolve) => {
    const s = serve({ fetch: fetchWithHook, port: 0, hostname: '127.0.0.1' }, (i) => resolve({ server: s, info: i }));
  });
  return {
    info,
    setHook: (h: EmuHook | null) => void (hook = h),
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** POST (with a body) or GET (without) to `path` of an emulator's control API; throws on a non-2xx. */
export async function emulatorControl<T = any>(controlUrl: string, path: string, body?: unknown, method?: string): Promise<T> {
  const res = await fetch(`${controlUrl}${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function adminClient(pb: TestPocketBase): Promise<PocketBase> {
  const admin = new PocketBase(pb.url);
  admin.autoCancellation(false);
  await admin.collection('_superusers').authWithPassword(pb.superuser.email, pb.superuser.password);
  return admin;
}

/** An HTTP client of `base` that pushes every body, cookie and redirect it receives into `seen`. */
export function recordingClient(base: string, seen: string[]) {
  const c = client(base);
  const request = c.request;
  const wrapped = async (method: string, path: string, body?: unknown, extra?: Record<string, string>) => {
    const r = await request(method, path, body, extra);
    seen.push(r.text, ...r.headers.getSetCookie(), r.headers.get('location') ?? '');
    return r;
  };
  return {
    ...c,
    request: wrapped,
    get: (p: string, h?: Record<string, string>) => wrapped('GET', p, undefined, h),
    post: (p: string, b?: unknown, h?: Record<string, string>) => wrapped('POST', p, b ?? {}, h),
    put: (p: string, b?: unknown) => wrapped('PUT', p, b ?? {}),
    del: (p: string, b?: unknown) => wrapped('DELETE', p, b),
  };
}

/**
 * The connect dance: GET `connectPath` (a 302 to the provider's authorize URL), follow it at the
 * emulator, and bring its redirect back to HRM's callback. Returns where the callback sent the
 * browser.
 */
export async function oauthDance(member: { c: ReturnType<typeof recordingClient>; server: { url: string } }, connectPath: string): Promise<URL> {
  const start = await member.c.get(connectPath);
  if (start.status !== 302) throw new Error(`connect: ${start.status} ${start.text}`);
  const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const back = new URL(authorize.headers.get('location')!);
  const done = await member.c.get(back.pathname + back.search);
  return new URL(done.headers.get('location')!, member.server.url);
}
