/**
 * Concurrent reads of records by id, coalesced into one PocketBase read (the DataLoader
 * pattern: https://github.com/graphql/dataloader#batching). Built for the hot path, the
 * session read of every authenticated request (auth/session-store.ts): under load, the
 * requests that arrive while a read is on the wire leave together in the next one, a list
 * read of their ids, so PocketBase and the loopback hop are paid once per batch rather than
 * once per request (bench/me-throughput.bench.ts).
 *
 * Freshness is the same as one read per request: a caller only ever gets the answer of a read
 * *sent after it asked*. It never joins a read already in flight, which may have been answered
 * before a revocation that the caller's request comes after. Nothing is kept between reads: no
 * cache, so a second server process and this one see the same rows (docs/server-state.md).
 * An idle server sends each read at once (with `defer`: once the current turn is over), alone;
 * at most `maxInFlight` reads are out at a time.
 */
export interface ReadCoalescerOptions {
  /** Most ids in one read (PocketBase's perPage limit is 1000; a filter grows with each id). */
  readonly maxBatch: number;
  /** Reads on the wire at once; callers beyond wait for the next batch. */
  readonly maxInFlight: number;
  /**
   * When a batch leaves: `defer(send)` runs `send` later, once the callers of the current turn
   * have asked. The session store passes `setImmediate`: requests whose bytes arrived in the
   * same poll phase of the event loop then share one read instead of the first leaving alone
   * (measured under /me load: see auth/session-store.ts). Without it a batch leaves at once.
   */
  readonly defer?: (send: () => void) => void;
}

export interface CoalescedReads<T> {
  /** One record; null when there is none. */
  one(id: string): Promise<T | null>;
  /** Several records in one read, keyed by id; missing ids are absent. */
  many(ids: readonly string[]): Promise<ReadonlyMap<string, T>>;
}

interface Waiting<T> {
  id: string;
  resolve(value: T | null): void;
  reject(error: unknown): void;
}

export function createReadCoalescer<T>(reads: CoalescedReads<T>, opts: ReadCoalescerOptions): (id: string) => Promise<T | null> {
  if (opts.maxBatch < 1 || opts.maxInFlight < 1) throw new RangeError('maxBatch and maxInFlight must be at least 1');
  let inFlight = 0;
  const queue: Waiting<T>[] = [];

  const send = (batch: Waiting<T>[]) => {
    const ids = [...new Set(batch.map((w) => w.id))];
    const read: Promise<ReadonlyMap<string, T>> =
      ids.length === 1 ? reads.one(ids[0]!).then((r) => new Map(r === null ? [] : [[ids[0]!, r]])) : reads.many(ids);
    inFlight += 1;
    read
      .then(
        (found) => {
          for (const w of batch) w.resolve(found.get(w.id) ?? null);
        },
        (e: unknown) => {
          for (const w of batch) w.reject(e);
        },
      )
      .finally(() => {
        inFlight -= 1;
        pump();
      });
  };

  const sendAll = () => {
    while (inFlight < opts.maxInFlight && queue.length > 0) send(queue.splice(0, opts.maxBatch));
  };
  let deferred = false;
  const pump = !opts.defer
    ? sendAll
    : () => {
        if (deferred || inFlight >= opts.maxInFlight || queue.length === 0) return;
        deferred = true;
        opts.defer!(() => {
          deferred = false;
          sendAll();
        });
      };

  return (id) =>
    new Promise<T | null>((resolve, reject) => {
      queue.push({ id, resolve, reject });
      pump();
    });
}
