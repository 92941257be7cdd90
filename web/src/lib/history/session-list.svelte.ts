/**
 * The history list: session rows (metadata only, never readings), newest first, loaded a page
 * at a time as the user scrolls. Loading is one request at a time; a failed page can be retried.
 */
import type { SessionStore } from '$lib/storage/sessions';
import type { SessionRow } from '$lib/storage/schema';

export const LIST_PAGE_SIZE = 30;

export type ListStatus = 'idle' | 'loading' | 'error';

export class SessionList {
  /** Rows are replaced, never mutated: no deep proxies for hundreds of rows. */
  items: SessionRow[] = $state.raw([]);
  hasMore = $state(true);
  status: ListStatus = $state('idle');
  total: number | null = $state(null);
  /** True once the first page came back (an empty list is then really empty). */
  loaded = $state(false);

  readonly #store: SessionStore;
  readonly #pageSize: number;

  constructor(store: SessionStore, pageSize = LIST_PAGE_SIZE) {
    this.#store = store;
    this.#pageSize = pageSize;
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
}
