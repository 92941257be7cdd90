import type { Limiter } from './limiter';

/** One process's limiter: JavaScript runs one call at a time, so check-and-take is atomic here. */
export function createMemoryLimiter(): Limiter {
  const slots = new Map<string, number[]>();
  return {
    async consume(key, limit, windowMs, now) {
      const taken = (slots.get(key) ?? []).filter((until) => until > now);
      if (taken.length >= limit) return { ok: false, retryAfterMs: Math.min(...taken) - now };
      taken.push(now + windowMs);
      slots.set(key, taken);
      return { ok: true };
    },
    async reset(key) {
      slots.delete(key);
    },
  };
}
