import type { BackoffPolicy } from './backoff';
import type { HeartRateMeasurement } from './measurement';

/** Why no data is arriving. A gap is reported, never filled with invented samples. */
export type GapReason =
  | 'disconnected'
  /** Connected but no notification for `silentAfterMs` (e.g. a throttled background tab). */
  | 'silence'
  /** 0 bpm: HRS 1.0 uses it for "no reading", not a heart rate. */
  | 'no-reading'
  /** Sensor Contact Status says the strap is not touching skin. */
  | 'no-contact';

export interface OpenGap {
  reason: GapReason;
  since: number;
}

export type UnsupportedReason = 'no-web-bluetooth' | 'insecure-context';
export type LostReason = 'gave-up' | 'chooser-cancelled' | 'gatt-error' | 'timeout';

/** Time left for reconnecting after a drop. */
export interface RetryBudget {
  /** When the link dropped. */
  since: number;
  giveUpAt: number;
  /** Delay chosen before the latest attempt, the input to decorrelated jitter. */
  lastDelayMs: number;
}

export type LinkState =
  | { kind: 'unsupported'; reason: UnsupportedReason }
  | { kind: 'idle' }
  | { kind: 'choosing' }
  /** `retry` is null for the connect the user asked for; a failure then is final. */
  | { kind: 'connecting'; attempt: number; deadline: number; retry: RetryBudget | null }
  | { kind: 'streaming'; lastNotificationAt: number }
  | { kind: 'silent'; lastNotificationAt: number }
  | { kind: 'reconnecting'; attempt: number; nextTryAt: number; retry: RetryBudget }
  | { kind: 'lost'; reason: LostReason; message: string };

/** The link state plus the data gap open at the moment, which can outlive several link states. */
export type ConnectionState = LinkState & { gap: OpenGap | null };

export type ConnectionEvent =
  /** The user asked to pick a strap. */
  | { type: 'user-select' }
  /** The chooser returned a device. */
  | { type: 'device-chosen' }
  | { type: 'chooser-cancelled' }
  /** GATT connected; the machine then asks for the subscription. */
  | { type: 'connected' }
  | { type: 'notification'; measurement: Pick<HeartRateMeasurement, 'bpm' | 'contact'> }
  /** gattserverdisconnected that the user did not ask for. */
  | { type: 'disconnected' }
  /**
   * A GATT call failed. `retryable` is for failures that another connect may cure (NetworkError);
   * a missing Heart Rate Service is not.
   */
  | { type: 'gatt-error'; message: string; retryable: boolean }
  | { type: 'user-disconnect' }
  /** The adapter's connect deadline fired (the machine also checks deadlines on tick). */
  | { type: 'timeout' }
  /** Time passed; the reducer reads the clock from its `now` argument. */
  | { type: 'tick' }
  | { type: 'visibility-visible' }
  /** The scheduled retry is due, or the user tapped "try again" on a lost link. */
  | { type: 'retry' };

/** Commands for the Bluetooth adapter; the machine itself does no IO. */
export type ConnectionEffect =
  | { type: 'open-chooser' }
  /** Connect, look up the service and characteristics anew; give up at `deadline`. */
  | { type: 'connect'; attempt: number; deadline: number }
  | { type: 'subscribe' }
  /** Drop the link (or abandon a connect in progress). */
  | { type: 'disconnect' }
  | { type: 'schedule-retry'; at: number }
  | { type: 'cancel-retry' }
  /** Check `gatt.connected`; report 'disconnected' if the link is gone without having said so. */
  | { type: 'recheck-link' }
  | { type: 'report-gap'; edge: 'start' | 'end'; reason: GapReason; at: number };

export interface ConnectionOptions {
  /** No notification for this long while connected → 'silent' and a gap. */
  silentAfterMs: number;
  /** Silent for this long → treat the link as dead and reconnect. */
  staleLinkAfterMs: number;
  /** `connect()` can hang forever (stack-notes): abandon an attempt after this long. */
  connectTimeoutMs: number;
  /** Stop reconnecting this long after the drop. */
  giveUpAfterMs: number;
  /** Stop reconnecting after this many attempts. */
  maxAttempts: number;
  backoff: BackoffPolicy;
}

export interface ConnectionTransition {
  state: ConnectionState;
  effects: ConnectionEffect[];
}

export type ConnectionReducer = (
  state: ConnectionState,
  event: ConnectionEvent,
  now: number,
  random: () => number,
) => ConnectionTransition;
