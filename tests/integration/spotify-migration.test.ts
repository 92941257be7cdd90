import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PocketBase from 'pocketbase';
import { afterAll, describe, expect, it } from 'vitest';
import { ensurePocketBaseBinary } from '../../sync-server/src/pocketbase/binary';
import { defaultMigrationsDir, startEmbeddedPocketBase, type EmbeddedPocketBase } from '../../sync-server/src/pocketbase/embedded';
import { createPbGrantStore } from '../../sync-server/src/spotify/pb-grant-store';
import { createPbNowPlayingCache } from '../../sync-server/src/spotify/pb-now-playing-cache';
import { freePort } from '../support/ports';

// pb_migrations/1763901000_spotify_split_grant.js on a database that has data from before it:
// the failure counters, the mute volume and the settle time are copied into their new records,
// the old columns are gone, and a grant wedged by the old bug is moved to its ledger's highest
// version so its next write succeeds.
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
});

describe('migration 1763901000: split the Spotify grant', () => {
  it('copies existing values, repairs a wedged grant and drops the old columns', async () => {
    const bin = await ensurePocketBaseBinary({ bin: process.env.POCKETBASE_BIN || null });
    const dataDir = await mkdtemp(path.join(tmpdir(), 'hrm-pb-mig-'));
    const before = await mkdtemp(path.join(tmpdir(), 'hrm-pb-mig-dir-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }), () => rm(before, { recursive: true, force: true }));
    for (const f of await readdir(defaultMigrationsDir)) if (f < '1763901000') await copyFile(path.join(defaultMigrationsDir, f), path.join(before, f));
    const superuser = { email: 'mig@hrm.localhost', password: randomBytes(18).toString('base64url') };
    const port = await freePort();
    let pb: EmbeddedPocketBase = await startEmbeddedPocketBase({ bin, port, dataDir, superuser, log: () => {}, migrationsDir: before });
    cleanup.push(() => pb.stop());
    const admin = new PocketBase(`http://127.0.0.1:${port}`);
    admin.autoCancellation(false);
    await admin.collection('_superusers').authWithPassword(superuser.email, superuser.password);
    const pw = randomBytes(12).toString('base64url');
    const user = await admin.collection('users').create({ email: 'mig@example.com', password: pw, passwordConfirm: pw, name: 'M' });
    const m = user.id as string;
    await admin.collection('spotify_grants').create({
      id: m,
      member: m,
      access_token: 'sealed-a',
      refresh_token: 'sealed-r',
      key_id: 'k',
      authorized_at: 1,
      expires_at: 2,
      scopes: 's',
      version: 4,
      status: 'ok',
      status_at: 1,
      consecutive_failures: 3,
      last_failure_type: 'network',
      last_failure_at: 5_000,
      last_success_at: 1_000,
      backoff_until: 9_000,
      muted_from: 55,
    });
    // Wedged: the ledger is one ahead of the grant.
    for (let v = 1; v <= 5; v++) await admin.collection('spotify_grant_versions').create({ grant: m, version: v });
    await admin.collection('spotify_now_playing').create({ id: m, member: m, state: { type: 'none' }, fetched_at: 10, none_since: 0, settle_until: 7_777 });
    await pb.stop();

    pb = await startEmbeddedPocketBase({ bin, port, dataDir, superuser, log: () => {} });
    await admin.collection('_superusers').authWithPassword(superuser.email, superuser.password);
    const row = await admin.collection('spotify_grants').getOne(m);
    expect(row.version).toBe(5);
    for (const gone of ['consecutive_failures', 'last_failure_type', 'last_failure_at', 'last_success_at', 'backoff_until', 'muted_from']) expect(row).not.toHaveProperty(gone);
    const grants = createPbGrantStore(admin);
    expect(await grants.health(m)).toMatchObject({ consecutiveFailures: 3, lastFailureType: 'network', lastSuccessAt: 1_000, backoffUntil: 9_000 });
    expect(await grants.mutedFrom(m)).toBe(55);
    expect(await createPbNowPlayingCache(admin).get(m)).toMatchObject({ fetchedAt: 10, settleUntil: 7_777 });
    expect(await grants.cas(m, 5, { expiresAt: 3 })).toBe(6);
    await expect(admin.collection('spotify_calls').getList(1, 1)).rejects.toThrow();
  });
});
