import type { RateUsage } from './provider';
import type { RateBlock, UploadStore } from './store';

/**
 * The application's rate limits at one provider, shared by every process through that provider's
 * store (append-only back-offs, store.ts). How an answer is read is the provider's `BlockRule`:
 * - Strava (`blockFor`, the default) counts per application in 15-minute windows starting at :00,
 *   :15, :30, :45 and per UTC day; it says how much is used in every answer but not when a
 *   window ends, so the end is computed here. A full window (usage at the limit) or a 429 stops
 *   every process's requests until the window it concerns resets.
 * - intervals.icu (`retryAfterBlock`) publishes no usage: a 429 stops them for its Retry-After.
 */
const QUARTER = 15 * 60_000;
const DAY = 86_400_000;
export const nextQuarter = (t: number) => (Math.floor(t / QUARTER) + 1) * QUARTER;
export const nextUtcMidnight = (t: number) => (Math.floor(t / DAY) + 1) * DAY;

/** Until when a usage report (or a 429, `refused`) says to stop; null: go on. */
export function blockFor(rate: RateUsage, now: number, refused: boolean): { until: number; reason: string } | null {
  const full = (limit: [number, number] | null, usage: [number, number] | null) => ({
    day: !!limit && !!usage && limit[1] > 0 && usage[1] >= limit[1],
    quarter: !!limit && !!usage && limit[0] > 0 && usage[0] >= limit[0],
  });
  const all = full(rate.limit, rate.usage);
  const read = full(rate.readLimit, rate.readUsage);
  if (all.day || read.day) return { until: nextUtcMidnight(now), reason: refused ? '429_day' : 'daily_limit' };
  if (all.quarter || read.quarter || refused) return { until: nextQuarter(now), reason: refused ? '429' : 'window_full' };
  return null;
}

/** A provider's reading of one answer: until when to stop, or null. */
export type BlockRule = (rate: RateUsage, now: number, refused: boolean) => { until: number; reason: string } | null;

/** intervals.icu publishes no usage: only a 429 stops us, for its Retry-After (at least 1 s; 10 s without one). */
export const retryAfterBlock: BlockRule = (rate, now, refused) =>
  refused ? { until: now + Math.max(1, Math.min(3_600, rate.retryAfterSec ?? 10)) * 1000, reason: '429' } : null;

export function createRateGate(store: UploadStore, now: () => number, rule: BlockRule = blockFor) {
  // What this process last wrote or read, so that a full window writes one row, not one per answer.
  let known = 0;
  return {
    /** When the current back-off ends, or null when requests may go. */
    async waitUntil(): Promise<RateBlock | null> {
      const t = now();
      if (known > t) return { at: t, until: known, reason: 'known', usage: '' };
      const b = await store.rateBlock(t);
      if (b) known = b.until;
      return b;
    },
    /** Reads an answer's usage; true when it started a back-off. */
    async record(rate: RateUsage, refused: boolean): Promise<boolean> {
      const t = now();
      const b = rule(rate, t, refused);
      if (!b) return false;
      if (b.until > known) {
        known = b.until;
        await store.addRateBlock({ at: t, until: b.until, reason: b.reason, usage: rate.usage ? rate.usage.join(',') : '' });
      }
      return true;
    },
  };
}

export type RateGate = ReturnType<typeof createRateGate>;
