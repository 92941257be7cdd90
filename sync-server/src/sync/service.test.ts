import { describe, expect, it } from 'vitest';
import { liveSession, pushBody, upsert } from '../../../core/sync/testing/fixtures';
import { createMemorySyncStore } from './memory-sync-store';
import { createSyncService } from './service';
import type { SyncStore } from './store';
import { testSyncConfig } from './testing/config';

const NOW = Date.now();
const seqOf = (cursor: string) => Number(cursor.split('.')[1]);

describe('sync service over the in-memory store', () => {
  it('push then pull: the cursor is the log position after the batch, a replay is duplicate', async () => {
    const store = createMemorySyncStore();
    const service = createSyncService({ store, config: testSyncConfig(), now: () => NOW });
    const a = liveSession({ startedAt: NOW - 3_600_000, deviceId: 'phone-a1' });
    const body = pushBody('phone-a1', [upsert(a)]);
    const first = await service.push('m1', body);
    expect(first.results.map((r) => r.status)).toEqual(['applied']);
    expect(seqOf(first.cursor)).toBe(1);
    const again = await service.push('m1', body);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate']);
    expect(again.cursor).toBe(first.cursor);
    const page = await service.pull('m1', null);
    expect(page).toMatchObject({ cursor: first.cursor, hasMore: false, changes: [{ kind: 'session', record: a }] });
    await expect(service.pull('m1', 'zz.1.0')).rejects.toMatchObject({ code: 'stale_cursor' });
  });

  it('an identical push committed between our head read and our applied-ids read: the duplicate answer is not behind it (issue 11 #17)', async () => {
    const store = createMemorySyncStore();
    const body = pushBody('phone-a1', [upsert(liveSession({ startedAt: NOW - 3_600_000, deviceId: 'phone-a1' }))]);
    let release!: () => void;
    const otherCommitted = new Promise<void>((r) => (release = r));
    // The racing push's reads wait until the first push has committed, after it read the head.
    const slowed: SyncStore = { ...store, appliedIds: async (m, ids) => (await otherCommitted, store.appliedIds(m, ids)) };
    const config = testSyncConfig();
    const racing = createSyncService({ store: slowed, config, now: () => NOW }).push('m1', body);
    await new Promise((r) => setImmediate(r)); // the racing push has read head 0
    const first = await createSyncService({ store, config, now: () => NOW }).push('m1', body);
    release();
    const dup = await racing;
    expect(dup.results[0]!.status).toBe('duplicate');
    expect(seqOf(dup.cursor)).toBeGreaterThanOrEqual(seqOf(first.cursor));
  });
});
