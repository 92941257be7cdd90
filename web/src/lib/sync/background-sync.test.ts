import { describe, expect, it } from 'vitest';
import type { ApiError } from '$lib/api';
import {
  BACKGROUND_SYNC_TAG,
  BackgroundSyncFailed,
  browserBackgroundSync,
  needsBackgroundSync,
  noBackgroundSync,
  syncInBackground,
} from './background-sync';
import type { SyncEngine, SyncRunResult } from './engine';

const error = (code: string, status = 0): ApiError => ({ status, code, message: code, requestId: null });
const synced: SyncRunResult = { status: 'synced', pushed: 3, pulled: 0, rejected: 0, heldBack: 0, clockDrift: false, at: 1 };
const offline: SyncRunResult = { status: 'failed', error: error('network') };

describe('when the page asks for Background Sync', () => {
  it('never with an empty outbox', () => {
    for (const result of [undefined, synced, offline]) {
      expect(needsBackgroundSync({ trigger: 'workout', pending: 0, online: false, result })).toBe(false);
    }
  });

  it('before a run: after a workout, or when the browser knows it is offline', () => {
    expect(needsBackgroundSync({ trigger: 'workout', pending: 4, online: true })).toBe(true);
    expect(needsBackgroundSync({ trigger: 'periodic', pending: 4, online: false })).toBe(true);
    expect(needsBackgroundSync({ trigger: 'manual', pending: 4, online: true })).toBe(false);
  });

  it('after a run: only when it failed for the network', () => {
    expect(needsBackgroundSync({ trigger: 'manual', pending: 4, online: true, result: offline })).toBe(true);
    expect(needsBackgroundSync({ trigger: 'workout', pending: 4, online: true, result: synced })).toBe(false);
    const refusals: SyncRunResult[] = [
      { status: 'failed', error: error('db_unavailable', 503) },
      { status: 'signed-out', error: error('unauthenticated', 401) },
      { status: 'busy' },
      { status: 'guest' },
    ];
    for (const result of refusals) expect(needsBackgroundSync({ trigger: 'workout', pending: 4, online: true, result })).toBe(false);
  });
});

/** A ServiceWorkerContainer with one registration whose SyncManager records tags. */
function fakeContainer(opts: { active?: boolean; sync?: boolean; refuse?: boolean } = {}) {
  const tags: string[] = [];
  const registration = {
    active: opts.active === false ? null : {},
    ...(opts.sync === false
      ? {}
      : {
          sync: {
            async register(tag: string) {
              if (opts.refuse) throw new DOMException('blocked', 'NotAllowedError');
              tags.push(tag);
            },
          },
        }),
  };
  const container = { getRegistration: async () => registration } as unknown as ServiceWorkerContainer;
  return { container, tags };
}

describe('the browser adapter', () => {
  it('registers the one tag on the active registration', async () => {
    const { container, tags } = fakeContainer();
    expect(await browserBackgroundSync(container).register()).toBe('registered');
    expect(tags).toEqual([BACKGROUND_SYNC_TAG]);
  });

  it('is unsupported without SyncManager, without an active worker, or without service workers', async () => {
    expect(await browserBackgroundSync(fakeContainer({ sync: false }).container).register()).toBe('unsupported');
    expect(await browserBackgroundSync(fakeContainer({ active: false }).container).register()).toBe('unsupported');
    const none = { getRegistration: async () => undefined } as unknown as ServiceWorkerContainer;
    expect(await browserBackgroundSync(none).register()).toBe('unsupported');
    expect(browserBackgroundSync(undefined)).toBe(noBackgroundSync);
    expect(await noBackgroundSync.register()).toBe('unsupported');
  });

  it('reports a refusal as a value', async () => {
    expect(await browserBackgroundSync(fakeContainer({ refuse: true }).container).register()).toBe('refused');
  });
});

describe('the service worker’s run', () => {
  const engine = (result: SyncRunResult): SyncEngine => ({ run: async () => result });

  it('rejects a failed run so that the browser fires the event again later', async () => {
    const failure = syncInBackground(engine(offline));
    await expect(failure).rejects.toBeInstanceOf(BackgroundSyncFailed);
    await expect(failure).rejects.toMatchObject({ code: 'network' });
    await expect(syncInBackground(engine({ status: 'failed', error: error('sync_busy', 503) }))).rejects.toMatchObject({ code: 'sync_busy' });
  });

  it('resolves whatever a retry could not change', async () => {
    const done: SyncRunResult[] = [synced, { status: 'busy' }, { status: 'guest' }, { status: 'signed-out', error: error('unauthenticated', 401) }];
    for (const result of done) await expect(syncInBackground(engine(result))).resolves.toEqual(result);
  });
});
