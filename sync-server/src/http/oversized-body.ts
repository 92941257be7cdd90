/**
 * An oversized request body (413) is read to its end and thrown away before the answer is
 * sent, up to a bound. Why: the answer closes the connection (`Connection: close`), and a
 * socket closed with unread bytes in its receive buffer sends a TCP reset (RFC 1122 4.2.2.13),
 * which can reach the client before it has read the 413: it then sees "connection reset", not
 * the error. Reading the rest first makes the close orderly (the "lingering close" web servers
 * do). A body beyond the bound is not waited for: its client gets the close, as before.
 */
import type { IncomingMessage } from 'node:http';

export const DISCARD_MAX_BYTES = 32 * 1024 * 1024;
export const DISCARD_MAX_MS = 10_000;

/** The node request behind a Hono context (@hono/node-server puts it on `env.incoming`); none under app.request(). */
export function nodeRequestOf(env: unknown): IncomingMessage | null {
  const incoming = (env as { incoming?: unknown } | undefined)?.incoming;
  return incoming && typeof (incoming as IncomingMessage).resume === 'function' ? (incoming as IncomingMessage) : null;
}

/** Reads and drops what is left of the body; resolves at its end, on error, or past the bounds. */
export function discardBody(req: Pick<IncomingMessage, 'on' | 'off' | 'resume' | 'readableEnded'>, maxBytes = DISCARD_MAX_BYTES, maxMs = DISCARD_MAX_MS): Promise<'ended' | 'bounded'> {
  if (req.readableEnded) return Promise.resolve('ended');
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (how: 'ended' | 'bounded') => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onEnd);
      req.off('close', onEnd);
      resolve(how);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) finish('bounded');
    };
    const onEnd = () => finish('ended');
    const timer = setTimeout(() => finish('bounded'), maxMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onEnd);
    req.on('close', onEnd);
    req.resume();
  });
}
