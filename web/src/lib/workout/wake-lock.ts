/**
 * Keeps the screen on during a workout (Screen Wake Lock API). The browser releases the lock
 * whenever the tab is hidden, so it is taken again when the tab becomes visible while wanted.
 */
export interface ScreenWakeLock {
  readonly supported: boolean;
  /** Whether a lock is currently held. */
  readonly active: boolean;
  acquire(): Promise<void>;
  release(): Promise<void>;
}

export function browserWakeLock(nav: Navigator | undefined = globalThis.navigator, doc: Document | undefined = globalThis.document): ScreenWakeLock {
  const supported = !!nav && 'wakeLock' in nav;
  let sentinel: WakeLockSentinel | null = null;
  let wanted = false;

  async function request(): Promise<void> {
    if (!supported || !wanted || sentinel || doc?.visibilityState === 'hidden') return;
    try {
      sentinel = await nav!.wakeLock.request('screen');
      sentinel.addEventListener('release', () => {
        sentinel = null;
      });
    } catch {
      // Denied (battery saver, no user activation): the workout goes on without it.
      sentinel = null;
    }
  }

  const onVisibility = () => {
    if (doc?.visibilityState === 'visible') void request();
  };

  return {
    supported,
    get active() {
      return sentinel !== null;
    },
    async acquire() {
      if (!wanted) doc?.addEventListener('visibilitychange', onVisibility);
      wanted = true;
      await request();
    },
    async release() {
      wanted = false;
      doc?.removeEventListener('visibilitychange', onVisibility);
      const held = sentinel;
      sentinel = null;
      await held?.release().catch(() => {});
    },
  };
}

export function fakeWakeLock(): ScreenWakeLock & { acquires: number } {
  let active = false;
  let acquires = 0;
  return {
    supported: true,
    get active() {
      return active;
    },
    get acquires() {
      return acquires;
    },
    async acquire() {
      acquires++;
      active = true;
    },
    async release() {
      active = false;
    },
  };
}
