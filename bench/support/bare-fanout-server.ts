/**
 * The floor for bench/class-fanout.bench.ts: the least a live fan-out server can do, on the
 * same `ws` library and the same Node as the sync server. It accepts the same live sockets
 * (`/api/v1/rooms/:roomId/live`, a `hello` with role `display` or `participant`) but checks
 * nothing: no origin, no token (a participant's token is taken as its id), no schema, no
 * pacing, no bus, only JSON.parse. Each `hr` frame goes to the room's displays as the hub's
 * `{type:'hr', participantId, bpm, kcal, points, at}` with a server timestamp, serialized once
 * per frame whatever the number of displays.
 *
 * Run as its own process (its CPU is read from /proc like the sync server's):
 *   PORT=0 node --import tsx bench/support/bare-fanout-server.ts   → prints {"port":N} on stdout
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const displays = new Map<string, Set<WebSocket>>();
const livePath = /^\/api\/v1\/rooms\/([^/]+)\/live$/;

const server = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

server.on('upgrade', (req, socket, head) => {
  const roomId = livePath.exec(new URL(req.url ?? '/', 'http://x').pathname)?.[1];
  if (!roomId) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => connect(ws, roomId));
});

function connect(ws: WebSocket, roomId: string) {
  let participantId: string | null = null;
  ws.on('message', (data) => {
    let msg: { type?: string; role?: string; token?: string; bpm?: number; kcal?: number; points?: number };
    try {
      msg = JSON.parse(String(data));
    } catch {
      return;
    }
    if (msg.type === 'hello' && msg.role === 'display') {
      const set = displays.get(roomId) ?? new Set<WebSocket>();
      displays.set(roomId, set.add(ws));
      ws.once('close', () => set.delete(ws));
    } else if (msg.type === 'hello' && msg.role === 'participant') {
      participantId = String(msg.token);
    } else if (msg.type === 'hr' && participantId !== null) {
      const out = JSON.stringify({ type: 'hr', participantId, bpm: msg.bpm, kcal: msg.kcal ?? null, points: msg.points ?? null, at: Date.now() });
      for (const d of displays.get(roomId) ?? []) d.send(out);
    }
  });
}

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate();
  server.close(() => process.exit(0));
});
