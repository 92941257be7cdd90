/**
 * The history list: session rows (metadata only, never readings), newest first, loaded a page
 * at a time as the user scrolls. Loading is one request at a time; a failed page can be retried.
 *
 * Progress (core/history): every finished session's stored figures, read in pages of
 * PROGRESS_PAGE_SIZE rows and kept as small facts (the rows themselves are dropped), give the
 * weekly totals, the trend over TREND_WEEKS weeks and the personal records. Nothing here reads
 * readings or recomputes a figure.
 */
import { DAY_MS, DEFAULT_FIRST_DAY, localDay, personalRecords, weekStartDay, weeklyTotals, type IsoWeekday, type PersonalRecords, type SessionFacts, type WeekTotals } from '$core/history';
import { deviceTzOffsetMinutes } from '$lib/storage/outbox';
import type { SessionStore } from '$lib/storage/sessions';
import type { SessionRow } from '$lib/storage/schema';
import { sessionFacts } from './progress-facts';

export const LIST_PAGE_SIZE = 30;
/**
 * Rows per read while gathering progress. Each read is decoded on the main thread in one go
 * (about 9 KB a row): short reads, with a turn of the event loop between them, keep scrolling
 * and taps responsive while a long history adds up.
 */
export const PROGRESS_PAGE_SIZE = 50;
export const TREND_WEEKS = 12;

export type ListStatus = 'idle' | 'loading' | 'error';
export type ProgressStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface SessionListOptions {
  pageSize?: number;
  /** Wall clock (which week is "this week"). */
  now?: () => number;
  /** This device's zone offset at an instant, minutes: for today, and for rows recorded without one. */
  deviceOffset?: (ms: number) => number;
  /** The member's first day of the week (ISO weekday). */
  firstDay?: IsoWeekday;
  /** Lets the page paint between progress reads (default: a macrotask). */
  yieldToPage?: () => Promise<void>;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class SessionList {
  /** Rows are replaced, never mutated: no deep proxies for hundreds of rows. */
  items: SessionRow[] = $state.raw([]);
  hasMore = $state(true);
  status: ListStatus = $state('idle');
  total: number | null = $state(null);
  /** True once the first page came back (an empty list is then really empty). */
  loaded = $state(false);

  /** One entry per finished session with stored figures (replaced as a whole). */
  facts: SessionFacts[] = $state.raw([]);
  progress: ProgressStatus = $state('idle');
  /**
   * The weeks are complete before the records: rows come newest first, so once a read reaches
   * back past the trend's first week, `weeks` is final while older rows are still being read.
   */
  weeksReady = $state(false);
  readonly firstDay: IsoWeekday;
  /** The last TREND_WEEKS calendar weeks, oldest first; the last one is this week. */
  readonly weeks: WeekTotals[] = $derived.by(() => weeklyTotals(this.facts, { weeks: TREND_WEEKS, today: this.#today(), firstDay: this.firstDay }));
  readonly records: PersonalRecords = $derived(personalRecords(this.facts));

  readonly #store: SessionStore;
  readonly #pageSize: number;
  readonly #now: () => number;
  readonly #deviceOffset: (ms: number) => number;
  readonly #yield: () => Promise<void>;

  constructor(store: SessionStore, options: SessionListOptions | number = {}) {
    const o = typeof options === 'number' ? { pageSize: options } : options;
    this.#store = store;
    this.#pageSize = o.pageSize ?? LIST_PAGE_SIZE;
    this.#now = o.now ?? Date.now;
    this.#deviceOffset = o.deviceOffset ?? deviceTzOffsetMinutes;
    this.firstDay = o.firstDay ?? DEFAULT_FIRST_DAY;
    this.#yield = o.yieldToPage ?? nextTask;
  }

  #today(): number {
    const now = this.#now();
    return localDay(now, this.#deviceOffset(now));
  }

  async loadMore(): Promise<void> {
    if (this.status === 'loading' || !this.hasMore) return;
    this.status = 'loading';
    try {
      const page = await this.#store.list({ limit: this.#pageSize, offset: this.items.length });
      this.items = [...this.items, ...page.sessions];
      this.hasMore = page.hasMore;
      this.loaded = true;
      this.status = 'idle';
      if (this.total === null) this.total = await this.#store.count();
    } catch {
      this.status = 'error';
    }
  }

  /** Reads every session's stored figures (again, when called again: a retry or a refresh). */
  async loadProgress(): Promise<void> {
    if (this.progress === 'loading') return;
    this.progress = 'loading';
    this.weeksReady = false;
    // Earliest instant that can fall in the trend's first week: its first local midnight in
    // the zone furthest ahead of UTC (+14 h).
    const trendStart = (weekStartDay(this.#today(), this.firstDay) - (TREND_WEEKS - 1) * 7) * DAY_MS - 14 * 3_600_000;
    try {
      // Keyed by address: a session that moves between pages while we read is counted once.
      const byId = new Map<string, SessionFacts>();
      for (let offset = 0; ; ) {
        const page = await this.#store.list({ limit: PROGRESS_PAGE_SIZE, offset });
        for (const row of page.sessions) {
          const f = sessionFacts(row, this.#deviceOffset);
          if (f) byId.set(f.id, f);
        }
        offset += page.sessions.length;
        if (!page.hasMore || page.sessions.length === 0) break;
        if (!this.weeksReady && page.sessions.at(-1)!.startedAt < trendStart) {
          this.facts = [...byId.values()];
          this.weeksReady = true;
        }
        await this.#yield();
      }
      this.facts = [...byId.values()];
      this.weeksReady = true;
      this.progress = 'ready';
    } catch {
      this.progress = 'error';
    }
  }
}
