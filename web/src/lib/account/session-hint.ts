/**
 * Whether this device may hold a session cookie. The cookie is httpOnly, so the page cannot
 * see it; asking /me to find out costs a signed-out visitor a 401 on every page load. The
 * session writes down what it learnt (signed in, signed out) and asks /me at start only when
 * the last word was "signed in" (or when nothing was ever written, see Session.start).
 */
export interface SessionHint {
  /** true: may be signed in; false: signed out when last seen; null: never written. */
  read(): boolean | null;
  write(signedIn: boolean): void;
}

export const SESSION_HINT_KEY = 'hrm.session';

type KeyValue = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

/** The hint in localStorage (or any key-value store). A store that throws counts as unknown. */
export function storedSessionHint(store: KeyValue | null): SessionHint {
  return {
    read() {
      try {
        const value = store?.getItem(SESSION_HINT_KEY);
        return value === 'signed-in' ? true : value === 'signed-out' ? false : null;
      } catch {
        return null;
      }
    },
    write(signedIn) {
      try {
        store?.setItem(SESSION_HINT_KEY, signedIn ? 'signed-in' : 'signed-out');
      } catch {
        // Private mode or a full quota: we shall ask /me next time, as before.
      }
    },
  };
}

/** The browser's localStorage, when it has one that works. */
export function browserSessionHint(): SessionHint {
  let store: KeyValue | null = null;
  try {
    store = globalThis.localStorage ?? null;
  } catch {
    store = null;
  }
  return storedSessionHint(store);
}
