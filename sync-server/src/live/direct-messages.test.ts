import { EventEmitter } from 'node:events';
import type { WSContext } from 'hono/ws';
import { describe, expect, it } from 'vitest';
import { withDirectMessages, type LiveFrame, type LiveSocketEvents } from './direct-messages';

function recorder() {
  const seen: string[] = [];
  const frames: LiveFrame[] = [];
  const events: LiveSocketEvents = {
    onOpen: () => seen.push('open'),
    onMessage: (f) => {
      seen.push('message');
      frames.push(f);
    },
    onClose: () => seen.push('close'),
  };
  return { seen, frames, events };
}

function context(raw: unknown) {
  const closed: [number | undefined, string | undefined][] = [];
  const ws = { raw, close: (code?: number, reason?: string) => closed.push([code, reason]) } as unknown as WSContext;
  return { ws, closed };
}

describe('withDirectMessages', () => {
  it('hands text frames over as strings straight from the ws socket, and leaves the adapter no onMessage to build events for', () => {
    const { seen, frames, events } = recorder();
    const socket = new EventEmitter();
    const { ws } = context(socket);
    const wrapped = withDirectMessages(events);
    expect(wrapped.onMessage).toBeUndefined();
    wrapped.onOpen!(new Event('open'), ws);
    socket.emit('message', Buffer.from('{"type":"hr","bpm":150}'), false);
    socket.emit('message', Buffer.from('héllo ♥'), false);
    expect(frames.map((f) => f.data)).toEqual(['{"type":"hr","bpm":150}', 'héllo ♥']);
    expect(seen).toEqual(['open', 'message', 'message']);
  });

  it('passes a binary frame on as bytes, which the hub refuses as not text', () => {
    const { frames, events } = recorder();
    const socket = new EventEmitter();
    withDirectMessages(events).onOpen!(new Event('open'), context(socket).ws);
    const bytes = Buffer.from([1, 2, 3]);
    socket.emit('message', bytes, true);
    expect(typeof frames[0]!.data).not.toBe('string');
    expect(frames[0]!.data).toBe(bytes);
  });

  it('closes a socket that has no ws underneath (it would hear nothing) without opening it in the hub', () => {
    const { seen, events } = recorder();
    const { ws, closed } = context(undefined);
    withDirectMessages(events).onOpen!(new Event('open'), ws);
    expect(closed).toEqual([[1011, 'server error']]);
    expect(seen).toEqual([]);
  });

  it('passes close on to the hub', () => {
    const { seen, events } = recorder();
    const socket = new EventEmitter();
    const wrapped = withDirectMessages(events);
    const { ws } = context(socket);
    wrapped.onOpen!(new Event('open'), ws);
    wrapped.onClose!(new Event('close') as CloseEvent, ws);
    expect(seen).toEqual(['open', 'close']);
  });
});
