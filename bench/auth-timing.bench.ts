/**
 * Auth timing: how long PocketBase takes to answer a password check for a registered and
 * for an unknown email (bcrypt only runs for the first), and the response times of
 * /auth/login through the sync server with its timing floor. The floor (450 ms) must exceed
 * the slowest honest path. Run: node --import tsx bench/auth-timing.bench.ts
 */
import PocketBase from 'pocketbase';
import { client, newMember } from '../tests/support/http-client';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { startSyncServer } from '../tests/support/sync-server';

const N = Number(process.env.N ?? 20);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms  p99 ${pct(xs, 99).toFixed(0)} ms  max ${Math.max(...xs).toFixed(0)} ms`;

const pb = await startTestPocketBase();
const server = await startSyncServer({ pb });
try {
  const m = newMember();
  const c = client(server.url);
  await c.post('/api/v1/auth/register', m);
  const direct = new PocketBase(pb.url);
  direct.autoCancellation(false);
  const time = async (f: () => Promise<unknown>) => {
    const t = performance.now();
    await f().catch(() => undefined);
    return performance.now() - t;
  };
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < N; i++) {
    known.push(await time(() => direct.collection('users').authWithPassword(m.email, 'wrong password here')));
    unknown.push(await time(() => direct.collection('users').authWithPassword(`nobody${i}@example.com`, 'wrong password here')));
  }
  console.log(`PocketBase password check, registered email: ${fmt(known)}`);
  console.log(`PocketBase password check, unknown email:    ${fmt(unknown)}`);
  const viaKnown: number[] = [];
  const viaUnknown: number[] = [];
  for (let i = 0; i < Math.min(N, 4); i++) {
    // At most 4 wrong tries per account: a fifth would lock it.
    viaKnown.push(await time(() => c.post('/api/v1/auth/login', { email: m.email, password: `wrong password ${i}` })));
    viaUnknown.push(await time(() => c.post('/api/v1/auth/login', { email: `nobody${i}@example.com`, password: 'wrong password here' })));
  }
  console.log(`/auth/login with floor, registered email:    ${fmt(viaKnown)}`);
  console.log(`/auth/login with floor, unknown email:       ${fmt(viaUnknown)}`);
} finally {
  await server.stop();
  await pb.dispose();
}
