import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { WSContext } from 'hono/ws';
import type { WebSocket, WebSocketServer } from 'ws';

/**
 * WebSocket upgrades of the live route (routes/rooms.ts), from the node `upgrade` event to the
 * hub's handlers, without @hono/node-server's `upgradeWebSocket`.
 *
 * The upgrade request still goes through the app (`fetch`), so it meets the same middleware and
 * checks as any request (origin, room, request log, client address). A route that accepts it
 * calls `acceptLive`, which leaves the socket's handlers on the request's node `env`; any other
 * answer is written back on the socket as the HTTP response it is (status, headers, JSON body).
 *
 * Why not the adapter: its `upgradeWebSocket` keeps, for the socket's whole life, the upgrade's
 * web Request, headers, URLs and Hono context (its listeners close over them): about 30 KB per
 * socket in a heap snapshot, some 90 MB of old space at class scale (3 100 sockets in
 * bench/class-fanout.bench.ts, issue 14), which every scavenge's remembered set and every
 * mark-compact walks. It also runs a listener of its own on every frame. Here a socket keeps its
 * `ws` WebSocket, a small WSContext and three listeners, and each text frame reaches the hub as
 * a string straight from `ws` (no `MessageEvent`, no copy of the bytes).
 */

/** A frame as the hub reads it: text (a string), or anything else for a binary frame, which it refuses. */
export interface LiveFrame {
  readonly data: unknown;
}

/** A live socket's handlers (hub.ts `events`). */
export interface LiveSocketEvents {
  onOpen(ws: WSContext): void;
  onMessage(frame: LiveFrame, ws: WSContext): void;
  onClose(ws: WSContext): void;
}

const LIVE_EVENTS = Symbol('live-events');

/** The node adapter's `env` of a request (`incoming` is what getConnInfo and the body limit read). */
type UpgradeEnv = { incoming: IncomingMessage; outgoing: undefined; [LIVE_EVENTS]?: LiveSocketEvents };

/**
 * Called by the route that accepts an upgrade: the socket is handed to `events` once the app's
 * answer is back. Anything but a node `upgrade` event answers 426: app.request in unit tests, and
 * a plain request that names WebSocket in `Upgrade` without `Connection: upgrade` (node hands it
 * to the request listener, whose env has a response to write, `outgoing`).
 */
export function acceptLive(env: unknown, events: LiveSocketEvents): Response {
  const e = env as Partial<UpgradeEnv> | undefined;
  if (!e?.incoming || e.outgoing !== undefined || e.incoming.headers.upgrade?.toLowerCase() !== 'websocket') return new Response(null, { status: 426 });
  e[LIVE_EVENTS] = events;
  return new Response(null, { status: 200 });
}

export interface LiveUpgradeOptions {
  fetch: (request: Request, env: UpgradeEnv) => Response | Promise<Response>;
  wss: WebSocketServer;
  /** A refused or failed upgrade, for the log (no headers: they may carry a session cookie). */
  onError?: (err: Error) => void;
}

/** Listens for upgrades on `server`; each goes through the app, then to `ws` when accepted. */
export function attachLiveUpgrades(server: Server, options: LiveUpgradeOptions) {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void upgrade(req, socket, head, options).catch((e: Error) => {
      options.onError?.(e);
      refuse(socket, 500, new Headers(), '');
    });
  });
}

async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, { fetch, wss, onError }: LiveUpgradeOptions) {
  // Until `ws` takes the socket, a reset by the client must not become an uncaught error.
  const ignore = () => undefined;
  socket.on('error', ignore);
  if (req.headers.upgrade?.toLowerCase() !== 'websocket') return refuse(socket, 400, new Headers(), '');
  let request: Request;
  try {
    request = upgradeRequest(req);
  } catch {
    return refuse(socket, 400, new Headers(), ''); // a Host or target that is no URL
  }
  const env: UpgradeEnv = { incoming: req, outgoing: undefined };
  const response = await fetch(request, env);
  const events = env[LIVE_EVENTS];
  if (!events || response.status !== 200) return refuse(socket, response.status, response.headers, await response.text());
  if (socket.destroyed) return;
  wss.handleUpgrade(req, socket, head, (ws) => {
    socket.off('error', ignore);
    open(ws, events, onError);
  });
}

/** The web Request the app sees for an upgrade (no body). */
function upgradeRequest(req: IncomingMessage): Request {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const url = new URL(req.url ?? '/', `${encrypted ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
  }
  return new Request(url, { headers });
}

/** The app's answer to an upgrade it did not accept, as an HTTP response on the raw socket. */
function refuse(socket: Duplex, status: number, headers: Headers, body: string) {
  if (socket.destroyed) return;
  const code = status >= 400 && status <= 599 ? status : 400;
  const lines = [`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}`, 'Connection: close', `Content-Length: ${Buffer.byteLength(body)}`];
  headers.forEach((value, key) => {
    if (!SKIPPED_HEADERS.has(key)) lines.push(`${key}: ${value}`);
  });
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

const SKIPPED_HEADERS = new Set(['connection', 'content-length', 'keep-alive', 'transfer-encoding', 'upgrade']);

function open(ws: WebSocket, events: LiveSocketEvents, onError: ((err: Error) => void) | undefined) {
  const ctx = new WSContext<WebSocket>({
    raw: ws,
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
    get readyState() {
      return ws.readyState as 0 | 1 | 2 | 3;
    },
    url: null,
    protocol: ws.protocol,
  });
  try {
    events.onOpen(ctx);
  } catch (e) {
    onError?.(e as Error);
    return ws.close(1011, 'server error');
  }
  ws.on('message', (data, isBinary) => events.onMessage({ data: isBinary ? data : String(data) }, ctx));
  ws.on('close', () => events.onClose(ctx));
  // A protocol error (a bad frame, one over maxPayload): `ws` closes the socket itself (1002,
  // 1009) and then emits close; without a listener the error would be thrown.
  ws.on('error', () => undefined);
}
