import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * For a local run without PB_SUPERUSER_EMAIL/PASSWORD: generate the embedded PocketBase's
 * superuser once and keep it in the data directory with mode 0600. It is never printed.
 */
export const LOCAL_SUPERUSER_FILE = '.hrm-superuser.json';

export async function localSuperuser(dataDir: string): Promise<{ email: string; password: string }> {
  const file = path.join(dataDir, LOCAL_SUPERUSER_FILE);
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as { email?: unknown; password?: unknown };
    if (typeof saved.email === 'string' && typeof saved.password === 'string') {
      await chmod(file, 0o600);
      return { email: saved.email, password: saved.password };
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const creds = { email: 'hrm-sync-server@hrm.localhost', password: randomBytes(24).toString('base64url') };
  // 'wx' fails if another process wrote it first; then read theirs.
  try {
    await writeFile(file, JSON.stringify(creds), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return localSuperuser(dataDir);
    throw e;
  }
  return creds;
}
