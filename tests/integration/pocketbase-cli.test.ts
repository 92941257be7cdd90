import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensurePocketBaseBinary } from '../../sync-server/src/pocketbase/binary';
import { migrateUp, upsertSuperuser } from '../../sync-server/src/pocketbase/embedded';

describe('upsertSuperuser', () => {
  it('accepts a password that starts with a dash (generated base64url passwords can)', async () => {
    const bin = await ensurePocketBaseBinary({ bin: process.env.POCKETBASE_BIN || null });
    const dir = await mkdtemp(path.join(tmpdir(), 'hrm-pb-unit-'));
    try {
      await migrateUp(bin, dir);
      await expect(upsertSuperuser(bin, dir, 'dash@hrm.localhost', '-4leading-dash-password')).resolves.toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
