import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Listening {
  event: string;
  accountsUrl: string;
  apiUrl: string;
  controlUrl: string;
  clientId: string;
}

let child: ChildProcess;
let info: Listening;

beforeAll(async () => {
  child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/spotify-emulator/main.ts', '--port', '0', '--client-id', 'cli-id', '--client-secret', 'cli-secret', '--redirect-uri', 'http://127.0.0.1/cb'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  info = await new Promise<Listening>((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line) as Listening));
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}, 30_000);

afterAll(() => {
  child.kill('SIGTERM');
});

describe('main.ts on a real socket', () => {
  it('prints its base URLs, and the demo user can log in and see a track playing', async () => {
    expect(info).toMatchObject({ event: 'listening', clientId: 'cli-id' });
    expect(info.accountsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/accounts$/);
    const q = new URLSearchParams({ client_id: 'cli-id', response_type: 'code', redirect_uri: 'http://127.0.0.1:3456/cb', scope: 'user-read-currently-playing' });
    const auth = await fetch(`${info.accountsUrl}/authorize?${q}`, { redirect: 'manual' });
    const code = new URL(auth.headers.get('location')!).searchParams.get('code')!;
    const tokenRes = await fetch(`${info.accountsUrl}/api/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('cli-id:cli-secret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:3456/cb' }),
    });
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const playing = await fetch(`${info.apiUrl}/v1/me/player/currently-playing`, { headers: { Authorization: `Bearer ${access_token}` } });
    expect(playing.status).toBe(200);
    expect(((await playing.json()) as { is_playing: boolean }).is_playing).toBe(true);
  });

  it('drops the connection when a fault says so', async () => {
    await fetch(`${info.controlUrl}/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ route: 'POST /api/token', sequence: ['drop'] }),
    });
    await expect(fetch(`${info.accountsUrl}/api/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token' }) })).rejects.toThrow();
    const calls = (await (await fetch(`${info.controlUrl}/calls?route=POST%20/api/token`)).json()) as { byStatus: Record<string, Record<string, number>> };
    expect(calls.byStatus['POST /api/token']).toMatchObject({ dropped: 1 });
  });
});
