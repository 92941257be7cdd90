/**
 * Server-clock offset, estimated NTP-style over the live channel (RFC 5905 §8, simplified for a
 * server that stamps a single time per reply).
 *
 * One exchange: the client sends `ping {id, t0}` at its clock t0; the server answers
 * `pong {id, t0, serverTime}` with its clock at receipt; the client receives it at t3.
 *   rtt    = t3 − t0
 *   offset = serverTime − (t0 + t3) / 2        (server clock − client clock)
 * If the two legs take d↑ and d↓, the true offset θ gives serverTime = t0 + θ + d↑ and
 * t3 = t0 + d↑ + d↓, so the estimate's error is (d↑ − d↓) / 2: at most rtt / 2, and zero for
 * symmetric paths. Like NTP's clock filter we keep the last samples and trust the one with the
 * smallest round trip (its asymmetry error bound is the tightest); a queued or retransmitted
 * packet inflates rtt, so it is never chosen over a quick one.
 *
 * Pure: the caller passes its clock readings; no timers, no global state.
 */

export interface ClockSample {
  offsetMs: number;
  rttMs: number;
  /** Client clock when the pong arrived; samples expire by age. */
  at: number;
}

export interface ClockEstimate {
  /** Add to the client's clock to get the server's. */
  offsetMs: number;
  /** Half the round trip of the chosen sample: the bound on the estimate's error. */
  errorMs: number;
  samples: number;
}

export interface ClockEstimator {
  /** Records a pong; returns false for nonsense (negative round trip). */
  addSample(t0: number, serverTime: number, t3: number): boolean;
  estimate(): ClockEstimate | null;
  /** Server time now, given the client's clock reading; null before the first sample. */
  serverNow(clientNow: number): number | null;
}

export interface ClockEstimatorOptions {
  /** Samples kept (default 8). */
  window?: number;
  /** Samples older than this (client ms) are dropped, so a clock step is followed (default 5 min). */
  maxAgeMs?: number;
}

export function sampleFrom(t0: number, serverTime: number, t3: number): ClockSample | null {
  const rttMs = t3 - t0;
  if (!Number.isFinite(rttMs) || rttMs < 0) return null;
  return { offsetMs: serverTime - (t0 + t3) / 2, rttMs, at: t3 };
}

export function createClockEstimator(options: ClockEstimatorOptions = {}): ClockEstimator {
  const window = options.window ?? 8;
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  let samples: ClockSample[] = [];

  const best = (): ClockSample | null => {
    let chosen: ClockSample | null = null;
    for (const s of samples) if (!chosen || s.rttMs < chosen.rttMs) chosen = s;
    return chosen;
  };

  return {
    addSample(t0, serverTime, t3) {
      const s = sampleFrom(t0, serverTime, t3);
      if (!s) return false;
      samples = [...samples.filter((x) => s.at - x.at <= maxAgeMs), s].slice(-window);
      return true;
    },
    estimate() {
      const s = best();
      return s ? { offsetMs: s.offsetMs, errorMs: s.rttMs / 2, samples: samples.length } : null;
    },
    serverNow(clientNow) {
      const s = best();
      return s ? clientNow + s.offsetMs : null;
    },
  };
}
