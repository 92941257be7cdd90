import { describe, expect, it } from 'vitest';
import type { ApiResult, HrmApi, User } from '$lib/api';
import { createSession } from '$lib/session/session.svelte';
import { SESSION_HINT_KEY, storedSessionHint } from './session-hint';

function memoryStore() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), map };
}

const ada: User = { id: 'u1', email: 'ada@example.com', name: 'Ada', verified: true };
const unauthenticated: ApiResult<never> = { ok: false, error: { status: 401, code: 'unauthenticated', message: 'Sign in to continue.', requestId: null } };

/** An HrmApi whose /me answers `me` and counts the calls; login and logout succeed. */
function fakeApi(me: () => ApiResult<User>) {
  const calls = { me: 0 };
  const api = {
    me: async () => {
      calls.me++;
      return me();
    },
    login: async () => ({ ok: true, value: ada }),
    logout: async () => ({ ok: true, value: undefined }),
  } as unknown as HrmApi;
  return { api, calls };
}

describe('storedSessionHint', () => {
  it('reads what was written, null before that or from a store that throws', () => {
    const store = memoryStore();
    const hint = storedSessionHint(store);
    expect(hint.read()).toBeNull();
    hint.write(true);
    expect(store.map.get(SESSION_HINT_KEY)).toBe('signed-in');
    expect(hint.read()).toBe(true);
    hint.write(false);
    expect(hint.read()).toBe(false);
    const broken = storedSessionHint({
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    });
    expect(broken.read()).toBeNull();
    expect(() => broken.write(true)).not.toThrow();
  });
});

describe('session start with a hint', () => {
  it('a device never signed in does not ask /me, and says signed out', async () => {
    const { api, calls } = fakeApi(() => unauthenticated);
    const session = createSession(api, storedSessionHint(memoryStore()));
    expect(await session.start(async () => false)).toBe('signed-out');
    expect(calls.me).toBe(0);
    // Reconnecting or a server that did not answer: still nothing to ask.
    expect(await session.recheck()).toBe('signed-out');
    expect(calls.me).toBe(0);
  });

  it('a device signed out when last seen does not ask, even if the fallback would', async () => {
    const store = memoryStore();
    storedSessionHint(store).write(false);
    const { api, calls } = fakeApi(() => unauthenticated);
    const session = createSession(api, storedSessionHint(store));
    expect(await session.start(async () => true)).toBe('signed-out');
    expect(calls.me).toBe(0);
  });

  it('a device signed in when last seen asks /me; a 401 there writes signed out for next time', async () => {
    const store = memoryStore();
    storedSessionHint(store).write(true);
    const { api, calls } = fakeApi(() => unauthenticated);
    const session = createSession(api, storedSessionHint(store));
    expect(await session.start(async () => false)).toBe('signed-out');
    expect(calls.me).toBe(1);
    expect(storedSessionHint(store).read()).toBe(false);
  });

  it('with no hint yet the fallback decides (a member owns this device’s data: ask)', async () => {
    const store = memoryStore();
    const { api, calls } = fakeApi(() => ({ ok: true, value: ada }));
    const session = createSession(api, storedSessionHint(store));
    expect(await session.start(async () => true)).toBe('signed-in');
    expect(calls.me).toBe(1);
    expect(storedSessionHint(store).read()).toBe(true);
    expect(await session.recheck()).toBe('signed-in');
    expect(calls.me).toBe(2);
  });

  it('signing in and out here writes the hint', async () => {
    const store = memoryStore();
    const { api } = fakeApi(() => unauthenticated);
    const session = createSession(api, storedSessionHint(store));
    await session.start(async () => false);
    await session.signIn({ email: ada.email, password: 'x'.repeat(12) });
    expect(session.status).toBe('signed-in');
    expect(storedSessionHint(store).read()).toBe(true);
    await session.signOut();
    expect(storedSessionHint(store).read()).toBe(false);
  });
});
