import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, renewalDue, RENEW_BEFORE_S, type Db } from '../../sync-server/src/pocketbase/admin-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';

// The sync server's superuser session against a real PocketBase (admin-client.ts): renewed
// before its token expires by signing in again once, however many requests are waiting; a
// token PocketBase stops accepting is replaced on the 401; requests between renewals sign in
// never.
let pb: TestPocketBase;
let db: Db;
let now = Date.now();
const signIns: string[] = [];

beforeAll(async () => {
  pb = await startTestPocketBase();
  db = createDb(pb.url, pb.superuser, { now: () => now });
  db.pb.beforeSend = (url, options) => {
    if (url.includes('/auth-with-password')) signIns.push(url);
    return { url, options };
  };
  await db.connect();
});

afterAll(async () => {
  await pb?.dispose();
});

const list = () => db.pb.collection('users').getList(1, 1);

describe('superuser session (admin-client.ts)', () => {
  it('reads the renewal time from the token PocketBase issued: RENEW_BEFORE_S before its exp', () => {
    const exp = JSON.parse(Buffer.from(db.pb.authStore.token.split('.')[1]!, 'base64url').toString()).exp as number;
    expect(exp * 1000).toBeGreaterThan(Date.now());
    expect(renewalDue(db.pb.authStore.token)).toBe((exp - RENEW_BEFORE_S) * 1000);
    expect(renewalDue('not-a-token')).toBe(Infinity);
  });

  it('requests before the renewal time do not sign in', async () => {
    signIns.length = 0;
    await Promise.all(Array.from({ length: 20 }, list));
    expect(signIns).toEqual([]);
  });

  it('at the renewal time, 50 concurrent requests share one sign-in and all succeed with the new token', async () => {
    signIns.length = 0;
    const before = renewalDue(db.pb.authStore.token);
    now = before;
    const results = await Promise.all(Array.from({ length: 50 }, list));
    expect(results).toHaveLength(50);
    expect(signIns).toHaveLength(1);
    // The clock is ours, the token's exp is PocketBase's: the new one is due later than our clock now.
    now = before - 1;
    signIns.length = 0;
    await list();
    expect(signIns).toEqual([]);
  });

  it('a token PocketBase no longer accepts is replaced on its 401 and the request retried', async () => {
    signIns.length = 0;
    const token = db.pb.authStore.token;
    db.pb.authStore.save('eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjB9.invalid', db.pb.authStore.record);
    expect((await list()).page).toBe(1);
    expect(signIns).toHaveLength(1);
    expect(db.pb.authStore.token).not.toBe('eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjB9.invalid');
    expect(token).toBeTruthy();
  });
});
