/**
 * The history list: session rows (metadata only, never readings), newest first, loaded a page
 * at a time as the user scrolls. Loading is one request at a time; a failed page can be retried.
 *
 * Progress (core/history): every finished session's stored figures, read in one go from the
 * summary index (storage/session-facts.ts: index keys only, no session row is loaded), give the
 * weekly totals, the trend over TREND_WEEKS weeks and the personal records. Nothing here reads
 * readings or recomputes a figure.
 */
import { DEFAULT_FIRST_DAY, localDay, personalRecords, weeklyTotals, type IsoWeekday, type PersonalRecords, type SessionFacts, type WeekTotals } from '$core/history';
import { deviceTzOffsetMinutes } from '$lib/storage/outbox';
import type { SessionStore } from '$lib/storage/sessions';
import type { SessionRow } from '$lib/storage/schema';

export const LIST_PAGE_SIZE = 30;
export const TREND_WEEKS = 12;

export type ListStatus = 'idle' | 'loading' | 'error';
export type ProgressStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface SessionListOptions {
  pageSize?: number;
  /** Wall clock (which week is "this week"). */
  now?: () => number;
  /** This device's zone offset at an instant, minutes: for today, and for rows recorded without one. */
  deviceOffset?: (ms: number) => number;
  /** The member's first day of the week (ISO weekday); `firstDay` can change it later. */
  firstDay?: IsoWeekday;
}

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
  /** The weeks (and records) are final: set with `progress` 'ready'. */
  weeksReady = $state(false);
  /** The member's first day of the week (a synced setting, or the locale's): the weeks follow it. */
  firstDay: IsoWeekday = $state(DEFAULT_FIRST_DAY);
  /** The last TREND_WEEKS calendar weeks, oldest first; the last one is this week. */
  readonly weeks: WeekTotals[] = $derived.by(() => weeklyTotals(this.facts, { weeks: TREND_WEEKS, today: this.#today(), firstDay: this.firstDay }));
  readonly records: PersonalRecords = $derived(personalRecords(this.facts));

  readonly #store: SessionStore;
  readonly #pageSize: number;
  readonly #now: () => number;
  readonly #deviceOffset: (ms: number) => number;

  constructor(store: SessionStore, options: SessionListOptions | number = {}) {
    const o = typeof options === 'number' ? { pageSize: options } : options;
    this.#store = store;
    this.#pageSize = o.pageSize ?? LIST_PAGE_SIZE;
    this.#now = o.now ?? Date.now;
    this.#deviceOffset = o.deviceOffset ?? deviceTzOffsetMinutes;
    this.firstDay = o.firstDay ?? DEFAULT_FIRST_DAY;
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
    try {
      this.facts = await this.#store.progressFacts(this.#deviceOffset);
      this.weeksReady = true;
      this.progress = 'ready';
    } catch {
      this.progress = 'error';
    }
  }
}
