/**
 * The last strap used, remembered across reloads so the app can offer "Reconnect Polar H10"
 * (or reconnect by itself where `getDevices()` allows). Only the browser's opaque per-origin
 * device id and the advertised name are kept: nothing secret.
 */
export interface RememberedStrap {
  id: string;
  name: string;
}

export interface LastStrapMemory {
  load(): RememberedStrap | null;
  save(strap: RememberedStrap): void;
  forget(): void;
}

export const LAST_STRAP_KEY = 'hrm.strap.last';

export function createLastStrapMemory(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null): LastStrapMemory {
  return {
    load() {
      try {
        const raw = storage?.getItem(LAST_STRAP_KEY);
        if (!raw) return null;
        const value: unknown = JSON.parse(raw);
        if (typeof value !== 'object' || value === null) return null;
        const { id, name } = value as Record<string, unknown>;
        if (typeof id !== 'string' || typeof name !== 'string' || id === '' || id.length > 200 || name.length > 200) return null;
        return { id, name };
      } catch {
        return null;
      }
    },
    save(strap) {
      try {
        storage?.setItem(LAST_STRAP_KEY, JSON.stringify({ id: strap.id, name: strap.name }));
      } catch {
        // Storage full or blocked: remembering is a convenience, not a requirement.
      }
    },
    forget() {
      try {
        storage?.removeItem(LAST_STRAP_KEY);
      } catch {
        // as above
      }
    },
  };
}

/** An in-memory memory for tests. */
export function memoryLastStrap(initial: RememberedStrap | null = null): LastStrapMemory {
  let value = initial;
  return {
    load: () => value,
    save: (strap) => (value = { ...strap }),
    forget: () => (value = null),
  };
}
