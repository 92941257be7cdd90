/** In-process single flight: concurrent callers with the same key share one promise. */
export function createSingleFlight<T>() {
  const inflight = new Map<string, Promise<T>>();
  return (key: string, run: () => Promise<T>): Promise<T> => {
    let p = inflight.get(key);
    if (!p) {
      p = run().finally(() => inflight.delete(key));
      inflight.set(key, p);
    }
    return p;
  };
}
