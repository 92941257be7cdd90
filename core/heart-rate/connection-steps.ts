/**
 * The transitions several states share (start a connect, drop, schedule a retry, give up), as
 * pure functions of a context holding the options, the clock reading and the random source.
 */
import { backoffDelay } from './backoff';
import { closeGap, gapAfterReading, openGap } from './connection-gaps';
import type {
  ConnectionEffect,
  ConnectionOptions,
  ConnectionState,
  ConnectionTransition,
  LinkState,
  LostReason,
  OpenGap,
  RetryBudget,
} from './connection-types';
import type { HeartRateMeasurement } from './measurement';

export interface StepContext {
  options: ConnectionOptions;
  now: number;
  random: () => number;
}

export type StateOf<K extends ConnectionState['kind']> = Extract<ConnectionState, { kind: K }>;

export function to(link: LinkState, gap: OpenGap | null, effects: ConnectionEffect[] = []): ConnectionTransition {
  return { state: { ...link, gap }, effects };
}

export function lose(reason: LostReason, message: string, gap: OpenGap | null, effects: ConnectionEffect[] = []) {
  return to({ kind: 'lost', reason, message }, gap, effects);
}

/** Every attempt is a full connect with its own deadline, since `connect()` can hang. */
export function connect(
  ctx: StepContext,
  attempt: number,
  retry: RetryBudget | null,
  gap: OpenGap | null,
  pre: ConnectionEffect[] = [],
): ConnectionTransition {
  const timeout = ctx.now + ctx.options.connectTimeoutMs;
  // A reconnect attempt never outlives the budget, so the total time to 'gave-up' is bounded.
  const deadline = retry === null ? timeout : Math.min(timeout, retry.giveUpAt);
  return to({ kind: 'connecting', attempt, deadline, retry }, gap, [...pre, { type: 'connect', attempt, deadline }]);
}

/** Plans reconnect attempt `attempt`, or gives up when attempts or time are spent. */
export function scheduleRetry(
  ctx: StepContext,
  attempt: number,
  retry: RetryBudget,
  gap: OpenGap | null,
  pre: ConnectionEffect[],
): ConnectionTransition {
  const tried = attempt - 1;
  const elapsedS = Math.round((ctx.now - retry.since) / 1000);
  if (attempt > ctx.options.maxAttempts) {
    return lose('gave-up', `Strap did not come back after ${tried} attempts (${elapsedS} s)`, gap, pre);
  }
  const delay = backoffDelay(ctx.options.backoff, attempt, retry.lastDelayMs, ctx.random);
  const nextTryAt = ctx.now + delay;
  if (nextTryAt > retry.giveUpAt) {
    return lose('gave-up', `Strap did not come back within ${elapsedS} s (${tried} attempts)`, gap, pre);
  }
  return to({ kind: 'reconnecting', attempt, nextTryAt, retry: { ...retry, lastDelayMs: delay } }, gap, [
    ...pre,
    { type: 'schedule-retry', at: nextTryAt },
  ]);
}

/** An established link went away without the user asking: open a gap and start the budget. */
export function dropped(ctx: StepContext, state: ConnectionState, pre: ConnectionEffect[]): ConnectionTransition {
  const step = openGap(state.gap, 'disconnected', ctx.now);
  const retry: RetryBudget = {
    since: ctx.now,
    giveUpAt: ctx.now + ctx.options.giveUpAfterMs,
    lastDelayMs: ctx.options.backoff.baseMs,
  };
  return scheduleRetry(ctx, 1, retry, step.gap, [...pre, ...step.effects]);
}

/**
 * A connect attempt failed. The connect the user asked for fails at once, as they are looking at
 * the screen; a reconnect attempt moves on to the next one unless the error is permanent.
 */
export function connectFailed(
  ctx: StepContext,
  state: StateOf<'connecting'>,
  reason: 'timeout' | 'gatt-error',
  message: string,
  retryable: boolean,
): ConnectionTransition {
  // Abandon the attempt: gatt.disconnect() also cancels a connect() still pending.
  const abandon: ConnectionEffect[] = [{ type: 'disconnect' }];
  if (state.retry === null || !retryable) return lose(reason, message, state.gap, abandon);
  return scheduleRetry(ctx, state.attempt + 1, state.retry, state.gap, abandon);
}

/** The user ended the link; a gap still open ends with it, so every gap has an end. */
export function userDisconnect(ctx: StepContext, state: ConnectionState, pre: ConnectionEffect[]): ConnectionTransition {
  const step = closeGap(state.gap, ctx.now);
  return to({ kind: 'idle' }, step.gap, [...pre, ...step.effects]);
}

export function reading(
  ctx: StepContext,
  state: ConnectionState,
  measurement: Pick<HeartRateMeasurement, 'bpm' | 'contact'>,
): ConnectionTransition {
  const step = gapAfterReading(state.gap, measurement, ctx.now);
  return to({ kind: 'streaming', lastNotificationAt: ctx.now }, step.gap, step.effects);
}

/** Streaming or silent: has the quiet gone on long enough to be silence, or a dead link? */
export function checkQuiet(
  ctx: StepContext,
  state: StateOf<'streaming'> | StateOf<'silent'>,
  extra: ConnectionEffect[],
): ConnectionTransition {
  const quietFor = ctx.now - state.lastNotificationAt;
  if (quietFor >= ctx.options.staleLinkAfterMs) return dropped(ctx, state, [{ type: 'disconnect' }]);
  if (state.kind === 'streaming' && quietFor >= ctx.options.silentAfterMs) {
    // The data stopped at the last notification, not when we noticed.
    const step = openGap(state.gap, 'silence', state.lastNotificationAt);
    return to({ kind: 'silent', lastNotificationAt: state.lastNotificationAt }, step.gap, [
      ...step.effects,
      { type: 'recheck-link' },
    ]);
  }
  return { state, effects: extra };
}
