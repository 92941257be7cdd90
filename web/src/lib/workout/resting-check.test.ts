import { describe, expect, it } from 'vitest';
import { restingCheckPlan, tabataPlan, type Profile } from '$core/workout';
import { EXECUTED_PROFILE } from '$core/workout/testing/executed-workout';
import { restingCheckRecording } from '$core/workout/testing/resting-check-recording';
import type { SettingsStore } from '$lib/storage';
import { isRestingCheck, restingCheckResult, useAsRestingHr } from './resting-check';

const record = (planId: string | null) => ({ plan: planId ? { planId, name: 'x' } : null }) as never;

describe('isRestingCheck', () => {
  it('by the synced record when there is one, else by the plan; never a class recording', () => {
    expect(isRestingCheck({ plan: restingCheckPlan() })).toBe(true);
    expect(isRestingCheck({ plan: tabataPlan() })).toBe(false);
    expect(isRestingCheck({ plan: tabataPlan(), record: record('resting-check') })).toBe(true);
    expect(isRestingCheck({ plan: restingCheckPlan(), record: record('intervals') })).toBe(false);
    expect(isRestingCheck({ plan: restingCheckPlan(), room: { id: 'r', name: 'Class' } as never })).toBe(false);
  });
});

describe('restingCheckResult', () => {
  it('measures over the work phase of the spans', () => {
    const rec = restingCheckRecording({ restingHr: 58 });
    expect(restingCheckResult(rec.readings, rec.spans)).toMatchObject({ ok: true, restingHr: 58 });
  });
});

describe('useAsRestingHr', () => {
  function fakeSettings(saved: Profile | null) {
    const writes: unknown[] = [];
    const store: Pick<SettingsStore, 'profile' | 'saveProfile'> = {
      profile: async () => saved,
      saveProfile: async (input) => {
        writes.push(input);
        return { ok: true, profile: input as Profile };
      },
    };
    return { store, writes };
  }

  it('changes only the resting HR of the saved profile', async () => {
    const saved: Profile = { ...EXECUTED_PROFILE, restingHr: 60, age: 44 };
    const { store, writes } = fakeSettings(saved);
    expect(await useAsRestingHr(store, 51, EXECUTED_PROFILE)).toBe(true);
    expect(writes).toEqual([{ ...saved, restingHr: 51 }]);
  });

  it('without a saved profile, the one the check was recorded with fills the rest', async () => {
    const { store, writes } = fakeSettings(null);
    expect(await useAsRestingHr(store, 49, EXECUTED_PROFILE)).toBe(true);
    expect(writes).toEqual([{ ...EXECUTED_PROFILE, restingHr: 49 }]);
  });
});
