/**
 * The app-wide objects, made once in the root layout and handed to screens through Svelte
 * context (no module-level singletons): tests and future screens build their own.
 */
import { createContext } from 'svelte';
import type { HrmApi } from '$lib/api';
import type { Connectivity } from '$lib/connectivity/connectivity.svelte';
import type { ClassRecorder } from '$lib/rooms/class-recorder.svelte';
import type { RoomApi } from '$lib/rooms/room-api';
import type { UpdateGate } from '$lib/pwa/update-gate.svelte';
import type { Session } from '$lib/session/session.svelte';
import type { StrapController } from '$lib/strap/strap-controller.svelte';
import type { Storage } from '$lib/storage';
import type { SyncController } from '$lib/sync/sync.svelte';
import type { WorkoutController } from '$lib/workout/controller.svelte';

export interface AppContext {
  api: HrmApi;
  session: Session;
  connectivity: Connectivity;
  /** Hold back the "new version" prompt, e.g. `const release = updates.hold('workout')`. */
  updates: UpdateGate;
  /** The one heart-rate strap (real or simulated); a StrapEventSource for the recorder. */
  strap: StrapController;
  /** Local IndexedDB stores (sessions, plans, settings); the database opens on first use. */
  storage: Storage;
  /** The workout on this device (timer, cues, recording); survives route changes. */
  workout: WorkoutController;
  /** Class mode's HTTP calls (rooms, joining, display pairing). */
  rooms: RoomApi;
  /** The participant's own recording of a class (follows the room's timer); survives route changes. */
  classRecorder: ClassRecorder;
  /** Sync of the signed-in member's workouts (status, triggers, sign-in/out data handling). */
  sync: SyncController;
}

export const [getAppContext, setAppContext] = createContext<AppContext>();
