/**
 * The strap connection as an explicit state machine: a pure reducer from (state, event, now,
 * random) to the next state and the commands the Bluetooth adapter must carry out.
 *
 *   idle ─user-select→ choosing ─device-chosen→ connecting ─connected→ streaming ⇄ silent
 *                         │                        │                       │         │
 *                  chooser-cancelled         timeout / error          disconnected / stale
 *                         ↓                        ↓                       ↓
 *                        lost ←──── gave-up ──── reconnecting ⇄ connecting (attempt n)
 *
 * Why each rule:
 * - A disconnect invalidates every GATT object (Web Bluetooth CG spec, "clean up the
 *   disconnected device"), so each attempt is a full 'connect' (the adapter looks the service
 *   and characteristics up again) followed by 'subscribe' to Heart Rate Measurement (HRS 1.0 §3.1,
 *   notify only).
 * - `connect()` can hang, so every attempt carries a deadline the machine also checks on tick.
 * - Straps drop often (sweat, distance, a pocketed phone) and come back: after a drop the machine
 *   retries with jittered exponential backoff, at most 30 s apart, and gives up after a bounded
 *   total time, saying so in the 'lost' state.
 * - A hidden Android tab gets throttled timers and may miss the disconnect event: becoming
 *   visible re-checks the link and makes a pending reconnect try at once; a long silence is
 *   treated as a dead link.
 * - Gaps (drop, silence, 0 bpm, no skin contact) are reported as start/end edges, never filled.
 */
import { DEFAULT_BACKOFF } from './backoff';
import {
  checkQuiet,
  connect,
  connectFailed,
  dropped,
  lose,
  reading,
  to,
  userDisconnect,
  type StateOf,
  type StepContext,
} from './connection-steps';
import { openGap } from './connection-gaps';
import type {
  ConnectionEvent,
  ConnectionOptions,
  ConnectionReducer,
  ConnectionState,
  ConnectionTransition,
  UnsupportedReason,
} from './connection-types';

export const SILENT_AFTER_MS = 5_000;

export const DEFAULT_CONNECTION_OPTIONS: ConnectionOptions = {
  silentAfterMs: SILENT_AFTER_MS,
  staleLinkAfterMs: 20_000,
  connectTimeoutMs: 15_000,
  giveUpAfterMs: 5 * 60_000,
  maxAttempts: Number.POSITIVE_INFINITY,
  backoff: DEFAULT_BACKOFF,
};

export interface Capabilities {
  /** `globalThis.isSecureContext`: Web Bluetooth exists only on https or localhost. */
  secureContext: boolean;
  /** `'bluetooth' in navigator`, read by the adapter. */
  webBluetooth: boolean;
}

export function initialConnectionState(capabilities: Capabilities): ConnectionState {
  const reason: UnsupportedReason | null = !capabilities.secureContext
    ? 'insecure-context'
    : !capabilities.webBluetooth
      ? 'no-web-bluetooth'
      : null;
  return reason === null ? { kind: 'idle', gap: null } : { kind: 'unsupported', reason, gap: null };
}

export function createConnectionReducer(overrides: Partial<ConnectionOptions> = {}): ConnectionReducer {
  const options: ConnectionOptions = { ...DEFAULT_CONNECTION_OPTIONS, ...overrides };
  return (state, event, now, random) => {
    const ctx: StepContext = { options, now, random };
    switch (state.kind) {
      case 'unsupported':
        return { state, effects: [] };
      case 'idle':
        return event.type === 'user-select' ? to({ kind: 'choosing' }, state.gap, [{ type: 'open-chooser' }]) : same(state);
      case 'choosing':
        return onChoosing(ctx, state, event);
      case 'connecting':
        return onConnecting(ctx, state, event);
      case 'streaming':
      case 'silent':
        return onLink(ctx, state, event);
      case 'reconnecting':
        return onReconnecting(ctx, state, event);
      case 'lost':
        return onLost(ctx, state, event);
    }
  };
}

/** The reducer with default options. */
export const reduceConnection: ConnectionReducer = createConnectionReducer();

function same(state: ConnectionState): ConnectionTransition {
  return { state, effects: [] };
}

function onChoosing(ctx: StepContext, state: StateOf<'choosing'>, event: ConnectionEvent): ConnectionTransition {
  switch (event.type) {
    case 'device-chosen':
      return connect(ctx, 0, null, state.gap);
    case 'chooser-cancelled':
      return lose('chooser-cancelled', 'No strap was chosen', state.gap);
    case 'user-disconnect':
      return userDisconnect(ctx, state, []);
    default:
      return same(state);
  }
}

function onConnecting(ctx: StepContext, state: StateOf<'connecting'>, event: ConnectionEvent): ConnectionTransition {
  switch (event.type) {
    case 'connected':
      return to({ kind: 'streaming', lastNotificationAt: ctx.now }, state.gap, [{ type: 'subscribe' }]);
    case 'tick':
    case 'visibility-visible':
      if (ctx.now < state.deadline) return same(state);
      return connectFailed(ctx, state, 'timeout', 'The strap did not answer the connect request', true);
    case 'timeout':
      return connectFailed(ctx, state, 'timeout', 'The strap did not answer the connect request', true);
    case 'disconnected':
      return connectFailed(ctx, state, 'gatt-error', 'The strap disconnected while connecting', true);
    case 'gatt-error':
      return connectFailed(ctx, state, 'gatt-error', event.message, event.retryable);
    case 'user-disconnect':
      return userDisconnect(ctx, state, [{ type: 'disconnect' }]);
    default:
      return same(state);
  }
}

/** Connected: streaming, or silent (connected but quiet). */
function onLink(
  ctx: StepContext,
  state: StateOf<'streaming'> | StateOf<'silent'>,
  event: ConnectionEvent,
): ConnectionTransition {
  switch (event.type) {
    case 'notification':
      return reading(ctx, state, event.measurement);
    case 'tick':
      return checkQuiet(ctx, state, []);
    case 'visibility-visible':
      return checkQuiet(ctx, state, [{ type: 'recheck-link' }]);
    case 'disconnected':
      return dropped(ctx, state, []);
    case 'gatt-error': {
      if (event.retryable) return dropped(ctx, state, [{ type: 'disconnect' }]);
      const step = openGap(state.gap, 'disconnected', ctx.now);
      return lose('gatt-error', event.message, step.gap, [{ type: 'disconnect' }, ...step.effects]);
    }
    case 'user-disconnect':
      return userDisconnect(ctx, state, [{ type: 'disconnect' }]);
    default:
      return same(state);
  }
}

function onReconnecting(ctx: StepContext, state: StateOf<'reconnecting'>, event: ConnectionEvent): ConnectionTransition {
  switch (event.type) {
    case 'retry':
      return connect(ctx, state.attempt, state.retry, state.gap);
    case 'tick':
      return ctx.now >= state.nextTryAt ? connect(ctx, state.attempt, state.retry, state.gap) : same(state);
    case 'visibility-visible':
      // Timers in a hidden tab are throttled; the user is looking now, so try at once.
      return connect(ctx, state.attempt, state.retry, state.gap, [{ type: 'cancel-retry' }]);
    case 'connected':
      // The platform restored the link itself; its GATT objects are new, so subscribe again.
      return to({ kind: 'streaming', lastNotificationAt: ctx.now }, state.gap, [
        { type: 'cancel-retry' },
        { type: 'subscribe' },
      ]);
    case 'user-disconnect':
      return userDisconnect(ctx, state, [{ type: 'cancel-retry' }]);
    default:
      return same(state);
  }
}

/** Lost keeps any gap open: there is still no data. Only the user moves it on. */
function onLost(ctx: StepContext, state: StateOf<'lost'>, event: ConnectionEvent): ConnectionTransition {
  switch (event.type) {
    case 'user-select':
      return to({ kind: 'choosing' }, state.gap, [{ type: 'open-chooser' }]);
    case 'retry':
      return state.reason === 'chooser-cancelled'
        ? to({ kind: 'choosing' }, state.gap, [{ type: 'open-chooser' }])
        : connect(ctx, 0, null, state.gap);
    case 'user-disconnect':
      return userDisconnect(ctx, state, []);
    default:
      return same(state);
  }
}
