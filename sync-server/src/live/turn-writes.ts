/**
 * Writes to one live socket within one event-loop turn leave in one system call.
 *
 * At class scale (bench/class-fanout.bench.ts: 3 000 heart rates a second into 100 rooms) a
 * room's screen gets one frame per reading, and `ws` writes each frame at once: one `writev`
 * per frame per screen, 30–40 % of the server's busy time in CPU profiles (issue 14). The
 * readings of a busy turn come from many phones' sockets (one `data` event each), so nothing in
 * one callback can group them. Here the first write of a turn to a socket corks its stream
 * (Node's `writable.cork()`, counted: `ws`'s own cork/uncork around a frame nests inside it), and
 * one `defer`red callback (setImmediate: after the poll phase that read the readings) uncorks
 * every stream held in the turn, so each writes everything it got in one `writev`.
 *
 * What it costs: a frame waits for the rest of the turn it was sent in, but never more than
 * `maxHoldMs`: a write that comes later than that after the turn's first hold releases what is
 * held first. A turn is long when the loop was held up (a collector pause, the machine busy): the
 * reads of many sockets are then processed in one poll phase (one run at 100 rooms × 30 on
 * 3 Dec 2026, timed with a temporary probe described in issue 14's note: 4 readings a turn at
 * the median, 64 at the 99th percentile, up to 446), and holding them all until its end keeps
 * the first frame of such a turn in the server for the whole turn, where a server that writes at
 * once sends it first. Order on a socket is kept (one stream, corked, uncorked in order).
 */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

export interface TurnWrites {
  /** Holds `stream`'s writes until the end of this turn; nothing for a socket without one. */
  hold(stream: Corkable | null | undefined): void;
  /** Releases every held stream now (the deferred callback, and a hub that stops). */
  flush(): void;
}

export interface TurnWritesOptions {
  /** Longest a held write waits for the end of its turn (default 1 ms). */
  maxHoldMs?: number;
  /** Milliseconds, monotonic (default performance.now). */
  clock?: () => number;
}

export function createTurnWrites(defer: (fn: () => void) => void, options: TurnWritesOptions = {}): TurnWrites {
  const maxHoldMs = options.maxHoldMs ?? 1;
  const clock = options.clock ?? (() => performance.now());
  // A new Set per turn, never `clear()`: V8 allocates a Set's next hash table (on clear, or when
  // it grows) where the current one is, so once a long-lived Set's table has been promoted,
  // clearing it a few thousand times a second fills the old space with dead tables (most of
  // what outlived a scavenge in bench/class-fanout.bench.ts with ALLOC_PROF_PROMOTED, issue 14).
  // A Set per turn dies young.
  let held = new Set<Corkable>();
  let heldSince = 0;
  let scheduled = false;
  function release() {
    if (held.size === 0) return;
    // Taken first: an uncork writes, and a write's error is emitted later (nextTick), but a
    // stream held again meanwhile must be uncorked by the next release, not skipped by this one.
    const streams = held;
    held = new Set();
    for (const s of streams) s.uncork();
  }
  function flush() {
    scheduled = false;
    release();
  }
  return {
    hold(stream) {
      if (!stream) return;
      const t = clock();
      // A long turn: what it holds leaves now rather than at its end.
      if (held.size > 0 && t - heldSince >= maxHoldMs) release();
      if (held.has(stream)) return;
      if (held.size === 0) heldSince = t;
      stream.cork();
      held.add(stream);
      if (!scheduled) {
        scheduled = true;
        defer(flush);
      }
    },
    flush,
  };
}

/**
 * The byte stream under a `ws` WebSocket (the node adapter's `WSContext.raw`): `ws` keeps it as
 * `_socket` and writes every frame of the socket to it (ws/lib/websocket.js `setSocket`). Null
 * for anything else, whose writes are then sent at once as before.
 */
export function streamOf(raw: unknown): Corkable | null {
  const s = (raw as { _socket?: Partial<Corkable> } | undefined)?._socket;
  return s && typeof s.cork === 'function' && typeof s.uncork === 'function' ? (s as Corkable) : null;
}
