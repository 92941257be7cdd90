import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensurePocketBaseBinary } from '../../sync-server/src/pocketbase/binary';
import { startEmbeddedPocketBase, type EmbeddedPocketBase } from '../../sync-server/src/pocketbase/embedded';
import { freePort } from './ports';

/**
 * A real PocketBase for a test file: our pinned build, our migrations, a free port and a
 * temporary data directory (never ./pb_data). stop() + start() keeps the data.
 */
export interface TestPocketBase {
  url: string;
  port: number;
  dataDir: string;
  superuser: { email: string; password: string };
  /** The serve process's pid while it runs (benchmarks read its CPU from /proc). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** `hooksDir`: HRM's routes from elsewhere (an empty directory starts PocketBase without them). */
export async function startTestPocketBase(opts: { hooksDir?: string } = {}): Promise<TestPocketBase> {
  const bin = await ensurePocketBaseBinary({ bin: process.env.POCKETBASE_BIN || null });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hrm-pb-'));
  const port = await freePort();
  const superuser = { email: 'tests@hrm.localhost', password: randomBytes(18).toString('base64url') };
  let pb: EmbeddedPocketBase | null = null;
  const start = async () => {
    pb = await startEmbeddedPocketBase({ bin, port, dataDir, superuser, hooksDir: opts.hooksDir, log: () => {} });
  };
  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    superuser,
    get pid() {
      return pb?.pid;
    },
    start,
    async stop() {
      await pb?.stop();
      pb = null;
    },
    async dispose() {
      await pb?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
