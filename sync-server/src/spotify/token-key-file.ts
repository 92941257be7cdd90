import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseTokenKey } from './token-cipher';

/**
 * For a local run without SPOTIFY_TOKEN_KEY (embedded PocketBase only): generate the token key
 * once and keep it next to the data it protects, mode 0600, like pocketbase/local-superuser.ts.
 * Back it up with PB_DATA_DIR: without it the stored grants cannot be opened (members reconnect).
 */
export const LOCAL_TOKEN_KEY_FILE = '.hrm-spotify-token-key';

export async function localTokenKey(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, LOCAL_TOKEN_KEY_FILE);
  try {
    const key = parseTokenKey(await readFile(file, 'utf8'));
    if (!key) throw new Error(`${file} does not hold a 32-byte key`);
    await chmod(file, 0o600);
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return localTokenKey(dataDir);
}
