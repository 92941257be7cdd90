import { describe, expect, it } from 'vitest';
import { PROFILE_STEP_KEY, shouldAskProfile, storedProfileStepMemory } from './profile-step';

function memoryStore(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

describe('storedProfileStepMemory', () => {
  it('remembers a skip per account, guests included', () => {
    const store = memoryStore();
    const memory = storedProfileStepMemory(store);
    expect(memory.skipped('u1')).toBe(false);
    memory.skip('u1');
    memory.skip('u1');
    memory.skip('');
    expect(memory.skipped('u1')).toBe(true);
    expect(memory.skipped('')).toBe(true);
    expect(memory.skipped('u2')).toBe(false);
    expect(JSON.parse(store.data.get(PROFILE_STEP_KEY)!)).toEqual(['u1', '']);
  });

  it('reads damaged or missing storage as nothing skipped', () => {
    expect(storedProfileStepMemory(memoryStore({ [PROFILE_STEP_KEY]: '{not json' })).skipped('u1')).toBe(false);
    expect(storedProfileStepMemory(memoryStore({ [PROFILE_STEP_KEY]: '{"u1":true}' })).skipped('u1')).toBe(false);
    const none = storedProfileStepMemory(null);
    none.skip('u1');
    expect(none.skipped('u1')).toBe(false);
    const throwing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    expect(() => storedProfileStepMemory(throwing).skip('u1')).not.toThrow();
  });
});

describe('shouldAskProfile', () => {
  const base = { profileSaved: false, skipped: false, member: false, synced: false };

  it('asks a guest or a synced member who never set a profile', () => {
    expect(shouldAskProfile(base)).toBe(true);
    expect(shouldAskProfile({ ...base, member: true, synced: true })).toBe(true);
  });

  it('does not ask once a profile exists, after a skip, before the profile was read, or before a member first synced', () => {
    expect(shouldAskProfile({ ...base, profileSaved: true })).toBe(false);
    expect(shouldAskProfile({ ...base, profileSaved: null })).toBe(false);
    expect(shouldAskProfile({ ...base, skipped: true })).toBe(false);
    expect(shouldAskProfile({ ...base, member: true, synced: false })).toBe(false);
  });
});
