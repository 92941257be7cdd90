/**
 * Heart-rate pacing on the server, decided by the *sender's* clock and sequence, not by when
 * frames happen to arrive. A phone sends at an honest ~1 Hz; when the server (or the network)
 * stalls for a few seconds, those readings arrive bunched. Pacing them by receive time would
 * drop most of the bunch (issue 11, defect 8), so the spacing rule reads the sender's own
 * monotonic time `t` and its sequence number `seq` instead.
 *
 * A sender can lie about `t`, so a second, server-time budget bounds what it can get through:
 * a token bucket of `burst` readings refilled at one per `minIntervalMs` of server time. An
 * honest 1 Hz sender never empties it (it refills faster than it is spent), a stall of up to
 * `burst` seconds loses nothing, and a flood with fake timestamps gets at most `burst` readings
 * plus 1000 / minIntervalMs per second.
 *
 * Rules, per socket:
 * 1. `seq` must grow (a repeat or a reordered frame is dropped);
 * 2. `t` must be at least `minIntervalMs` after the last accepted reading's `t`;
 * 3. a token must be left in the bucket.
 * Old clients send neither `seq` nor `t`: their receive time stands in for `t` (the v1 rule).
 *
 * The accepted reading's server time `at` maps the sender's `t` onto the server clock with the
 * smallest (receive time − t) seen so far (the least-delayed frame), so bunched readings keep
 * their real spacing; it never runs ahead of the server's clock nor behind the last `at`.
 *
 * The sync server's live hub runs these rules in place on a socket's Float64Array
 * (sync-server/src/live/pace-slots.ts `paceInSlots`, no objects per reading); its property test
 * holds it to this function, so a change of rule here must be made there too.
 */
export interface HrPaceRule {
  minIntervalMs: number;
  /** Readings the server-time budget holds (= seconds of stall at 1 Hz that lose nothing). */
  burst: number;
}

export interface HrPaceState {
  lastSeq: number;
  lastT: number;
  lastAt: number;
  /** Smallest (server receive time − sender t) seen; null before the first reading. */
  offset: number | null;
  tokens: number;
  tokensAt: number;
}

export type HrPaceOutcome = { accept: true; at: number; state: HrPaceState } | { accept: false; reason: 'sequence' | 'too-soon' | 'budget'; state: HrPaceState };

export const DEFAULT_HR_BURST = 10;

export function initialHrPace(rule: HrPaceRule, serverNow: number): HrPaceState {
  return { lastSeq: -1, lastT: -Infinity, lastAt: -Infinity, offset: null, tokens: rule.burst, tokensAt: serverNow };
}

export function paceHr(state: HrPaceState, msg: { seq?: number; t?: number }, serverNow: number, rule: HrPaceRule): HrPaceOutcome {
  const refilled = Math.min(rule.burst, state.tokens + Math.max(0, serverNow - state.tokensAt) / rule.minIntervalMs);
  const base = { ...state, tokens: refilled, tokensAt: serverNow };
  if (msg.seq !== undefined && msg.seq <= state.lastSeq) return { accept: false, reason: 'sequence', state: base };
  const t = msg.t ?? serverNow;
  if (t - state.lastT < rule.minIntervalMs) return { accept: false, reason: 'too-soon', state: base };
  if (refilled < 1) return { accept: false, reason: 'budget', state: base };
  const offset = msg.t === undefined ? 0 : Math.min(state.offset ?? Infinity, serverNow - t);
  const at = Math.round(Math.max(Math.min(serverNow, t + offset), state.lastAt === -Infinity ? -Infinity : state.lastAt));
  return {
    accept: true,
    at,
    state: { lastSeq: msg.seq ?? state.lastSeq, lastT: t, lastAt: at, offset: msg.t === undefined ? state.offset : offset, tokens: refilled - 1, tokensAt: serverNow },
  };
}
