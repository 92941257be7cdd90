/**
 * Are we online? Two signals: the browser's online/offline events (which only know about the
 * network interface) and whether our own server answered the last API call. Either one failing
 * means the app shows itself as offline.
 */

/** Where online/offline events come from; a fake in tests, `window` in the app. */
export interface NetworkSignal {
  isOnline(): boolean;
  /** Calls back with the new state on each online/offline event; returns an unsubscribe. */
  subscribe(onChange: (online: boolean) => void): () => void;
}

export function browserNetworkSignal(target: Window = window): NetworkSignal {
  return {
    isOnline: () => target.navigator.onLine,
    subscribe(onChange) {
      const online = () => onChange(true);
      const offline = () => onChange(false);
      target.addEventListener('online', online);
      target.addEventListener('offline', offline);
      return () => {
        target.removeEventListener('online', online);
        target.removeEventListener('offline', offline);
      };
    },
  };
}

export interface Connectivity {
  /** The network is up and the server answered the last call. */
  readonly online: boolean;
  readonly networkUp: boolean;
  readonly serverReachable: boolean;
  /** Fed by the API client after every call. */
  reportServerReachable(reachable: boolean): void;
  destroy(): void;
}

export function createConnectivity(signal: NetworkSignal): Connectivity {
  let networkUp = $state(signal.isOnline());
  let serverReachable = $state(true);
  const unsubscribe = signal.subscribe((up) => {
    networkUp = up;
    // Optimistic: the next API call (the session re-checks on reconnect) corrects it.
    if (up) serverReachable = true;
  });

  return {
    get online() {
      return networkUp && serverReachable;
    },
    get networkUp() {
      return networkUp;
    },
    get serverReachable() {
      return serverReachable;
    },
    reportServerReachable(reachable) {
      serverReachable = reachable;
    },
    destroy: unsubscribe,
  };
}
