/**
 * When to ask for the profile (the short step after sign-up and before a first workout), and
 * remembering a "Skip" per account on this device (localStorage, '' for a guest), so a member
 * who said no is not asked again. The profile itself stays in the one settings store.
 */
export const PROFILE_STEP_KEY = 'hrm.profileStep.skipped';

type KeyValue = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

export interface ProfileStepMemory {
  skipped(account: string): boolean;
  skip(account: string): void;
}

function readList(store: KeyValue | null): string[] {
  try {
    const parsed: unknown = JSON.parse(store?.getItem(PROFILE_STEP_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function storedProfileStepMemory(store: KeyValue | null): ProfileStepMemory {
  return {
    skipped: (account) => readList(store).includes(account),
    skip(account) {
      const list = readList(store);
      if (list.includes(account)) return;
      try {
        store?.setItem(PROFILE_STEP_KEY, JSON.stringify([...list, account]));
      } catch {
        // Private mode or a full quota: asked again next time, which is harmless.
      }
    },
  };
}

export function browserProfileStepMemory(): ProfileStepMemory {
  let store: KeyValue | null = null;
  try {
    store = globalThis.localStorage ?? null;
  } catch {
    store = null;
  }
  return storedProfileStepMemory(store);
}

export interface ProfileStepFacts {
  /** A profile is saved on this device (null: none, or not read yet). */
  profileSaved: boolean | null;
  /** The member (or guest) skipped the step before. */
  skipped: boolean;
  /** A signed-in member: their profile may still be on its way from another device. */
  member: boolean;
  /** For a member: this device synced at least once, so a profile saved elsewhere is here. */
  synced: boolean;
}

/** Ask only when no profile was ever set here (or pulled), and the step was never skipped. */
export function shouldAskProfile(f: ProfileStepFacts): boolean {
  if (f.profileSaved !== false || f.skipped) return false;
  return !f.member || f.synced;
}
