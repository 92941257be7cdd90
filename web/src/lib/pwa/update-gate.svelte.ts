/**
 * When a new service worker is waiting, the app may reload into it, but not in the middle of
 * something that must not be interrupted (a running workout). Anything can hold the update back:
 *
 *   const release = updates.hold('workout');   // at workout start
 *   release();                                  // at workout end: the prompt shows again
 *
 * Holds are counted per call, so two holders need two releases; release() is idempotent.
 */
export interface UpdateGate {
  /** A new version is installed and waiting. */
  readonly available: boolean;
  /** The app finished precaching and works offline from now on. */
  readonly offlineReady: boolean;
  /** Someone holds the update back. */
  readonly held: boolean;
  readonly holdReasons: string[];
  /** available, not held, and not dismissed: what the prompt shows. */
  readonly showPrompt: boolean;
  hold(reason: string): () => void;
  /** Reload into the new version (no-op while held). */
  apply(): Promise<void>;
  /** Hide the prompt until the next new version. */
  dismiss(): void;
  dismissOfflineReady(): void;
  /** Wiring from the service-worker registration. */
  setAvailable(available: boolean): void;
  setOfflineReady(ready: boolean): void;
  setApplier(applier: () => Promise<void>): void;
}

export function createUpdateGate(): UpdateGate {
  let available = $state(false);
  let offlineReady = $state(false);
  let dismissed = $state(false);
  let holds = $state<Array<{ token: symbol; reason: string }>>([]);
  let applier: () => Promise<void> = async () => {};

  return {
    get available() {
      return available;
    },
    get offlineReady() {
      return offlineReady;
    },
    get held() {
      return holds.length > 0;
    },
    get holdReasons() {
      return holds.map((h) => h.reason);
    },
    get showPrompt() {
      return available && !dismissed && holds.length === 0;
    },
    hold(reason) {
      const token = Symbol(reason);
      holds = [...holds, { token, reason }];
      return () => {
        holds = holds.filter((h) => h.token !== token);
      };
    },
    async apply() {
      if (holds.length > 0 || !available) return;
      await applier();
    },
    dismiss() {
      dismissed = true;
    },
    dismissOfflineReady() {
      offlineReady = false;
    },
    setAvailable(next) {
      if (next && !available) dismissed = false;
      available = next;
    },
    setOfflineReady(next) {
      offlineReady = next;
    },
    setApplier(next) {
      applier = next;
    },
  };
}
