/**
 * The app-wide objects, made once in the root layout and handed to screens through Svelte
 * context (no module-level singletons): tests and future screens build their own.
 */
import { createContext } from 'svelte';
import type { HrmApi } from '$lib/api';
import type { Connectivity } from '$lib/connectivity/connectivity.svelte';
import type { UpdateGate } from '$lib/pwa/update-gate.svelte';
import type { Session } from '$lib/session/session.svelte';

export interface AppContext {
  api: HrmApi;
  session: Session;
  connectivity: Connectivity;
  /** Hold back the "new version" prompt, e.g. `const release = updates.hold('workout')`. */
  updates: UpdateGate;
}

export const [getAppContext, setAppContext] = createContext<AppContext>();
