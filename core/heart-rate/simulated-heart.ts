/**
 * A deterministic simulated heart and strap, for the simulated-strap adapter, demos and tests.
 *
 * Model, per simulated person:
 * - Heart rate follows a target set by intensity (0 = rest, 1 = maximal) through the heart-rate
 *   reserve (Karvonen, Kentala & Mustala 1957): target = rest + intensity * (max - rest). It approaches the target as a
 *   first-order system, with the faster on-kinetics constant when rising and the slower recovery
 *   constant when falling, plus a slow Ornstein-Uhlenbeck wander.
 * - Beats are generated one by one: each RR interval is 60/HR s plus white noise whose SD is
 *   RMSSD/√2 (successive differences of white noise have variance 2σ²), with RMSSD shrinking as
 *   the rate rises toward max (vagal withdrawal during exercise).
 * - The strap notifies every `notifyEveryMs` (≈1 Hz, as real straps do) with the RR of the beats
 *   since the previous notification and a bpm averaged over the last few beats. Dropouts (no
 *   notification) and contact loss (0 bpm, contact not detected, no RR: HRS 1.0 §3.1) happen in
 *   given windows or, for single packets, with a given probability.
 *
 * All randomness comes from the `random` passed in; the same seed replays the same session.
 */
import type { HeartRateMeasurement, SensorContact } from './measurement';
import { gaussian, mulberry32 } from './prng';
import { clamp, randomPerson, type SimulatedPerson } from './simulated-person';

export interface TimeWindow {
  from: number;
  to: number;
}

export interface SimulatedHeartOptions {
  person: SimulatedPerson;
  random: () => number;
  /** Time of the simulation's start, ms; notifications are stamped from it. Default 0. */
  startAt?: number;
  /** Default 1000 ms. */
  notifyEveryMs?: number;
  /** What the strap reports while worn: most chest straps say 'detected', some 'unsupported'. */
  contact?: Exclude<SensorContact, 'not-detected'>;
  /** No notifications in these windows (link lost); their beats are lost too. */
  dropouts?: TimeWindow[];
  /** The strap is off the skin in these windows. */
  contactLoss?: TimeWindow[];
  /** Chance that any single notification is lost. Default 0. */
  dropProbability?: number;
}

export interface SimulatedNotification {
  at: number;
  measurement: HeartRateMeasurement;
  /** The model's heart rate at `at`, for tests and plots; a real strap does not send it. */
  trueBpm: number;
}

export interface SimulatedHeart {
  readonly person: SimulatedPerson;
  /** The time the next step ends at. */
  readonly now: number;
  /** Runs one notification interval at `intensity` (0..1); null when the notification is lost. */
  step(intensity: number): SimulatedNotification | null;
}

export interface IntensityCommand {
  /** Time the command takes effect, ms from the session start. */
  at: number;
  /** 0 = rest, 1 = maximal work. */
  intensity: number;
}

/** Beats averaged into the reported bpm, as straps smooth their displayed value. */
const BPM_AVERAGE_BEATS = 4;
/** Correlation time of the slow heart-rate wander. */
const WANDER_TAU_S = 30;
/** RMSSD at max heart rate as a fraction of the resting value. */
const RMSSD_AT_MAX = 0.15;

export function createSimulatedHeart(options: SimulatedHeartOptions): SimulatedHeart {
  const { person, random } = options;
  const notifyEveryMs = options.notifyEveryMs ?? 1_000;
  const contact = options.contact ?? 'detected';
  const dropouts = options.dropouts ?? [];
  const contactLoss = options.contactLoss ?? [];
  const dropProbability = options.dropProbability ?? 0;

  // Per-heart state lives in this closure; nothing is shared between hearts.
  let now = options.startAt ?? 0;
  let hr = person.restingBpm;
  let wander = 0;
  let lastBeatAt = now;
  let nextRrMs = drawRr();
  let pending: number[] = [];
  const recent: number[] = [];

  function rmssdAt(bpm: number): number {
    const reserve = clamp((bpm - person.restingBpm) / (person.maxBpm - person.restingBpm), 0, 1);
    return person.restRmssdMs * (1 - (1 - RMSSD_AT_MAX) * reserve);
  }

  function instantBpm(): number {
    return clamp(hr + wander, 30, person.maxBpm + 5);
  }

  function drawRr(): number {
    const bpm = instantBpm();
    const sd = rmssdAt(bpm) / Math.SQRT2;
    return clamp(60_000 / bpm + sd * gaussian(random), 250, 2_400);
  }

  /** Exact solution of the first-order kinetics and the OU wander over `dtMs`. */
  function advance(dtMs: number, intensity: number): void {
    const target = person.restingBpm + clamp(intensity, 0, 1) * (person.maxBpm - person.restingBpm);
    const tauS = target > hr ? person.tauOnS : person.tauOffS;
    hr += (target - hr) * (1 - Math.exp(-dtMs / 1000 / tauS));
    const decay = Math.exp(-dtMs / 1000 / WANDER_TAU_S);
    wander = wander * decay + person.wanderBpm * Math.sqrt(1 - decay * decay) * gaussian(random);
  }

  function step(intensity: number): SimulatedNotification | null {
    const end = now + notifyEveryMs;
    let t = now;
    while (lastBeatAt + nextRrMs <= end) {
      lastBeatAt += nextRrMs;
      advance(lastBeatAt - t, intensity);
      t = lastBeatAt;
      pending.push(nextRrMs);
      recent.push(nextRrMs);
      if (recent.length > BPM_AVERAGE_BEATS) recent.shift();
      nextRrMs = drawRr();
    }
    advance(end - t, intensity);
    now = end;

    const beats = pending;
    pending = [];
    const trueBpm = instantBpm();
    const lost = inside(dropouts, end) || random() < dropProbability;
    if (lost) return null;
    if (inside(contactLoss, end)) {
      recent.length = 0;
      // A strap without contact detection can only say "no reading" (0 bpm).
      const off: SensorContact = contact === 'unsupported' ? 'unsupported' : 'not-detected';
      return { at: end, trueBpm, measurement: { bpm: 0, contact: off, energyKj: null, rr1024: [] } };
    }
    const meanRr = recent.length > 0 ? recent.reduce((s, rr) => s + rr, 0) / recent.length : 60_000 / trueBpm;
    return {
      at: end,
      trueBpm,
      measurement: {
        bpm: Math.round(60_000 / meanRr),
        contact,
        energyKj: null,
        rr1024: beats.map((ms) => Math.round(ms * 1.024)),
      },
    };
  }

  return {
    person,
    get now() {
      return now;
    },
    step,
  };
}

/** Runs `heart` through an intensity plan for `durationMs`; lost notifications are absent. */
export function simulateSession(heart: SimulatedHeart, plan: IntensityCommand[], durationMs: number): SimulatedNotification[] {
  const start = heart.now;
  const sorted = [...plan].sort((a, b) => a.at - b.at);
  const out: SimulatedNotification[] = [];
  while (heart.now - start < durationMs) {
    const elapsed = heart.now - start;
    const current = sorted.filter((c) => c.at <= elapsed).at(-1);
    const notification = heart.step(current?.intensity ?? 0);
    if (notification !== null) out.push(notification);
  }
  return out;
}

/** N independent people, each with its own parameters and its own random stream from `seed`. */
export function createSimulatedGroup(
  n: number,
  seed: number,
  options: Omit<SimulatedHeartOptions, 'person' | 'random'> = {},
): SimulatedHeart[] {
  const master = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const person = randomPerson(master, `sim-${i + 1}`);
    const random = mulberry32(Math.floor(master() * 4_294_967_296));
    return createSimulatedHeart({ ...options, person, random });
  });
}

function inside(windows: TimeWindow[], at: number): boolean {
  return windows.some((w) => at >= w.from && at < w.to);
}
