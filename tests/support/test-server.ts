import { afterAll, beforeAll } from 'vitest';
import { startTestPocketBase, type TestPocketBase } from './pocketbase';
import { startSyncServer, type ServerOptions, type TestServer } from './sync-server';

/**
 * A real PocketBase and a sync server on it for one test file: started before its tests,
 * stopped after them. The returned server is usable once the tests run (it forwards to the
 * process started in beforeAll), so a file reads `server.url` as before.
 */
export interface UsedTestServer extends TestServer {
  readonly pb: TestPocketBase;
  /** Starts the server again (after `stop`) on the same PocketBase; `port` to keep the address. */
  start(more?: Pick<ServerOptions, 'port'>): Promise<void>;
}

export function useTestServer(opts: Omit<ServerOptions, 'pb'> = {}): UsedTestServer {
  let pb: TestPocketBase | undefined;
  let started: TestServer | undefined;
  const running = (): TestServer => {
    if (!started) throw new Error('the test server starts in beforeAll');
    return started;
  };
  beforeAll(async () => {
    pb = await startTestPocketBase();
    started = await startSyncServer({ ...opts, pb });
  });
  afterAll(async () => {
    await started?.stop();
    await pb?.dispose();
  });
  return {
    get pb() {
      if (!pb) throw new Error('PocketBase starts in beforeAll');
      return pb;
    },
    get url() {
      return running().url;
    },
    get origin() {
      return running().origin;
    },
    get port() {
      return running().port;
    },
    get proc() {
      return running().proc;
    },
    get exited() {
      return running().exited;
    },
    logs: () => running().logs(),
    stop: (signal) => running().stop(signal),
    async start(more = {}) {
      started = await startSyncServer({ ...opts, ...more, pb });
    },
  };
}
