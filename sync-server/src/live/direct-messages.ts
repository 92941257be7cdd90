import type { WSContext, WSEvents } from 'hono/ws';

/**
 * What a live socket's handlers need of a frame: its text (a string), or anything else for a
 * binary frame, which the hub refuses ("Send JSON text frames").
 */
export interface LiveFrame {
  readonly data: unknown;
}

/** A live socket's handlers as the hub (hub.ts) writes them; `onMessage` reads only `data`. */
export interface LiveSocketEvents {
  onOpen(evt: Event, ws: WSContext): void;
  onMessage(frame: LiveFrame, ws: WSContext): void;
  onClose(evt: CloseEvent, ws: WSContext): void;
}

/** The part of a `ws` WebSocket (the node adapter's `WSContext.raw`) this needs. */
interface NodeSocket {
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): unknown;
}

const isNodeSocket = (raw: unknown): raw is NodeSocket => typeof (raw as { on?: unknown } | undefined)?.on === 'function';

/**
 * Hands each frame of a live socket to the hub straight from the `ws` library, instead of
 * through @hono/node-server's `onMessage`, which for every frame builds a `MessageEvent` and
 * copies the frame's bytes (`Buffer.from(data).toString()`) before decoding them. At class
 * scale (bench/class-fanout.bench.ts: 3 000 heart rates a second) those are a large share of
 * the young objects the server makes per reading (issue 14). Only the receive side changes:
 * opening, sending and closing stay Hono's.
 *
 * The listener goes on in `onOpen`, which the adapter calls synchronously on the turn the
 * socket is handed over (before any of its data is read), so no frame can come before it; the
 * adapter's own `onMessage` is left unset, which its optional call (`events?.onMessage?.(new
 * MessageEvent(…))`) skips without building the event. The server runs on the node adapter
 * only (main.ts); a socket without a `ws` underneath would hear nothing, so it is closed.
 */
export function withDirectMessages(events: LiveSocketEvents): WSEvents {
  return {
    onOpen(evt, ws) {
      const raw = ws.raw;
      if (!isNodeSocket(raw)) return ws.close(1011, 'server error');
      events.onOpen(evt, ws);
      raw.on('message', (data, isBinary) => events.onMessage({ data: isBinary ? data : String(data) }, ws));
    },
    onClose: (evt, ws) => events.onClose(evt, ws),
  };
}
