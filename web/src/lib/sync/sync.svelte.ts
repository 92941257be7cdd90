/**
 * The sync feature as the screens see it: status (waiting changes, last synced, error, refused
 * changes), commands (sync now, add guest workouts, sign out safely) and the triggers that
 * start a run. The engine does the work; this model only holds what the UI shows. Counts come
 * from Dexie liveQuery, so edits made on any screen (or in another tab) show up at once.
 * What this tab may not live to push (a workout just finished, the network down) is also
 * handed to the service worker through Background Sync (./background-sync.ts).
 */
import { liveQuery, type Subscription } from 'dexie';
import { SYNC_ERROR_MESSAGES } from '$core/sync';
import type { ApiError, SyncApi } from '$lib/api';
import { adoptGuestDocs, adoptGuestSessions, currentOwner, getMeta, guestDocs, guestSessions, GUEST, lastSyncedKey, type GuestDocs, type RejectedRow, type Storage } from '$lib/storage';
import { DEFAULT_PROFILE } from '$lib/profile/default-profile';
import { deviceIdOf } from '$lib/storage';
import { needsBackgroundSync, noBackgroundSync, type BackgroundSync } from './background-sync';
import { createSyncEngine, type SyncEngine, type SyncRunResult } from './engine';
import { fetchSessionReadings, type ReadingsOutcome } from './session-readings';
import type { SyncLock } from './lock';
import { forgetMember, setOwner, unsyncedCount } from './member-data';
import { createScheduler, type Scheduler, type SyncTrigger } from './scheduler';
import { waitingToSync, type Waiting } from './waiting';

export interface SyncControllerDeps {
  storage: Storage;
  api: SyncApi;
  lock: SyncLock;
  /** Told when a run finds the session gone (401). */
  onSignedOut?: () => void;
  now?: () => number;
  /** Lets the service worker push after this tab is gone; without it, nothing is handed over. */
  backgroundSync?: BackgroundSync;
  /** The browser's idea of the network (`navigator.onLine`). */
  online?: () => boolean;
}

export type SignOutCheck = { ok: true } | { ok: false; unsynced: number };

export class SyncController {
  /** The member whose data this device holds ('' = guest: nothing syncs, nothing shows). */
  owner = $state(GUEST);
  pending = $state(0);
  /** What `pending` holds in the member's words: workouts not on the server yet, other changes. */
  waiting: Waiting = $state.raw({ workouts: 0, otherChanges: 0 });
  rejected: RejectedRow[] = $state.raw([]);
  lastSyncedAt: number | null = $state(null);
  running = $state(false);
  error: ApiError | null = $state(null);
  clockDrift = $state(false);
  /** Finished workouts recorded while signed out, offered to the account after sign-in. */
  guestCount = $state(0);
  /** The profile, settings and plans made while signed out, offered with the workouts. */
  guestDocs: GuestDocs = $state.raw({ profile: false, settings: false, plans: 0 });

  readonly #deps: SyncControllerDeps;
  readonly #engine: SyncEngine;
  readonly #scheduler: Scheduler;
  #subscriptions: Subscription[] = [];

  constructor(deps: SyncControllerDeps) {
    this.#deps = deps;
    this.#engine = createSyncEngine({ db: deps.storage.db, api: deps.api, lock: deps.lock, now: deps.now, profile: () => deps.storage.settings.profile() });
    this.#scheduler = createScheduler({ run: (trigger) => this.#run(trigger) });
  }

  get signedIn(): boolean {
    return this.owner !== GUEST;
  }

  /** Loads the owner and starts watching counts; call once from the root layout. */
  async init(): Promise<void> {
    const d = this.#deps.storage.db();
    this.#watch(await d.transaction('r', d.syncMeta, () => currentOwner(d)));
  }

  sync(trigger: SyncTrigger = 'manual'): Promise<void> {
    return this.#scheduler.trigger(trigger);
  }

  /** The session says who signed in: they own new recordings and are offered guest workouts. */
  async memberSignedIn(userId: string, shared?: boolean): Promise<void> {
    const d = this.#deps.storage.db();
    if (this.owner !== userId || shared !== undefined) await setOwner(d, userId, shared);
    this.#watch(userId);
    this.guestCount = (await guestSessions(d)).length;
    this.guestDocs = await guestDocs(d);
    void this.sync('signin');
  }

  /** Adds the guest's workouts, profile, settings and plans to the account. */
  async addGuestWorkouts(): Promise<number> {
    if (!this.signedIn) return 0;
    const d = this.#deps.storage.db();
    const now = (this.#deps.now ?? Date.now)();
    const n = await adoptGuestSessions(d, this.owner, now);
    await adoptGuestDocs(d, now);
    this.guestCount = 0;
    this.guestDocs = { profile: false, settings: false, plans: 0 };
    void this.sync('manual');
    return n;
  }

  keepGuestWorkouts(): void {
    this.guestCount = 0;
    this.guestDocs = { profile: false, settings: false, plans: 0 };
  }

  /** Before sign-out: are there changes the server has not accepted yet? */
  async checkSignOut(): Promise<SignOutCheck> {
    if (!this.signedIn) return { ok: true };
    const unsynced = await unsyncedCount(this.#deps.storage.db(), this.owner);
    return unsynced === 0 ? { ok: true } : { ok: false, unsynced };
  }

  /** Syncs now; true when nothing is left waiting (safe to sign out). */
  async syncBeforeSignOut(): Promise<boolean> {
    await this.sync('manual');
    return (await this.checkSignOut()).ok;
  }

  /** After the server signed the member out: remove every row of theirs from this device. */
  async forgetMember(): Promise<void> {
    const owner = this.owner;
    this.#watch(GUEST);
    if (owner !== GUEST) await forgetMember(this.#deps.storage.db(), owner);
  }

  /**
   * The readings of a workout pulled from another device, fetched now because the member opened
   * it (docs/sync-protocol.md §3, "Two streams"); `fetched: 0` when they are all here already.
   */
  async fetchReadings(localId: string): Promise<ReadingsOutcome> {
    if (!this.signedIn) return { ok: true, fetched: 0 };
    const storage = this.#deps.storage;
    const d = storage.db();
    const profile = (await storage.settings.profile().catch(() => null)) ?? DEFAULT_PROFILE;
    return fetchSessionReadings(
      { db: d, api: this.#deps.api, owner: this.owner, deviceId: await deviceIdOf(d), now: this.#deps.now ?? Date.now, profile },
      localId,
    );
  }

  async dismissRejected(seq: number): Promise<void> {
    await this.#deps.storage.db().rejected.delete(seq);
  }

  destroy(): void {
    this.#scheduler.stop();
    this.#unwatch();
  }

  /** Wires the browser's triggers; returns the cleanup. */
  startTriggers(target: Window = window): () => void {
    const online = () => void this.sync('online');
    const visible = () => {
      if (target.document.visibilityState === 'visible') void this.sync('visible');
    };
    target.addEventListener('online', online);
    target.document.addEventListener('visibilitychange', visible);
    void this.sync('start');
    return () => {
      target.removeEventListener('online', online);
      target.document.removeEventListener('visibilitychange', visible);
    };
  }

  async #run(trigger: SyncTrigger): Promise<SyncRunResult> {
    if (!this.signedIn) return { status: 'guest' };
    this.running = true;
    try {
      // Before the run too: the member may close the tab while it is under way.
      await this.#handOver({ trigger });
      const result = await this.#engine.run();
      await this.#handOver({ trigger, result });
      if (result.status === 'synced') {
        this.error = null;
        this.lastSyncedAt = result.at;
        this.clockDrift = result.clockDrift;
      } else if (result.status === 'failed') {
        this.error = result.error;
      } else if (result.status === 'signed-out') {
        this.error = { ...result.error, message: SYNC_ERROR_MESSAGES.unauthorized };
        this.#deps.onSignedOut?.();
      }
      return result;
    } finally {
      this.running = false;
    }
  }

  /** Registers Background Sync when needsBackgroundSync says this tab may not get to push. */
  async #handOver(check: { trigger: SyncTrigger; result?: SyncRunResult }): Promise<void> {
    const background = this.#deps.backgroundSync ?? noBackgroundSync;
    if (background === noBackgroundSync) return;
    try {
      const pending = await unsyncedCount(this.#deps.storage.db(), this.owner);
      const online = this.#deps.online?.() ?? true;
      if (needsBackgroundSync({ ...check, pending, online })) await background.register();
    } catch {
      // A best effort: while this tab lives, its own scheduler retries anyway.
    }
  }

  #watch(owner: string): void {
    if (owner === this.owner && this.#subscriptions.length) return;
    this.#unwatch();
    this.owner = owner;
    this.pending = 0;
    this.waiting = { workouts: 0, otherChanges: 0 };
    this.rejected = [];
    this.lastSyncedAt = null;
    this.error = null;
    if (owner === GUEST) return;
    const d = this.#deps.storage.db();
    this.#subscriptions = [
      liveQuery(() => d.outbox.where('owner').equals(owner).count()).subscribe((n) => (this.pending = n)),
      liveQuery(() => d.outbox.where('owner').equals(owner).toArray()).subscribe((rows) => (this.waiting = waitingToSync(rows))),
      liveQuery(() => d.rejected.where('owner').equals(owner).reverse().toArray()).subscribe((rows) => (this.rejected = rows)),
      liveQuery(() => getMeta<number>(d, lastSyncedKey(owner))).subscribe((at) => (this.lastSyncedAt = at ?? null)),
    ];
  }

  #unwatch(): void {
    for (const s of this.#subscriptions) s.unsubscribe();
    this.#subscriptions = [];
  }
}
