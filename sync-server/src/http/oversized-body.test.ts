import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { discardBody, nodeRequestOf } from './oversized-body';

describe('discardBody', () => {
  it('reads a body to its end and resolves then', async () => {
    const req = new PassThrough();
    const done = discardBody(req as never);
    let settled = false;
    void done.then(() => (settled = true));
    req.write(Buffer.alloc(64 * 1024));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    req.end(Buffer.alloc(1024));
    expect(await done).toBe('ended');
    expect(req.readableEnded).toBe(true);
  });

  it('stops waiting past the byte bound', async () => {
    const req = new PassThrough();
    const done = discardBody(req as never, 1000, 60_000);
    req.write(Buffer.alloc(2000));
    expect(await done).toBe('bounded');
  });

  it('stops waiting past the time bound', async () => {
    const req = new PassThrough();
    expect(await discardBody(req as never, 1000, 5)).toBe('bounded');
  });

  it('finds the node request only where the node adapter put it', () => {
    const req = new PassThrough();
    expect(nodeRequestOf({ incoming: req })).toBe(req);
    expect(nodeRequestOf(undefined)).toBeNull();
    expect(nodeRequestOf({ incoming: {} })).toBeNull();
  });
});
