/**
 * A strap that is not there: the same StrapLink interface, fed by core/heart-rate's simulated
 * heart (realistic HR and RR, optional dropouts and contact loss). Its notifications are encoded
 * as real Heart Rate Measurement bytes, so they take the same parse path as a real strap's.
 * The workout engine drives it through `setIntensity` (0 = rest, 1 = maximal work).
 */
import {
  createSimulatedHeart,
  encodeHeartRateMeasurement,
  mulberry32,
  randomPerson,
  type SimulatedPerson,
  type TimeWindow,
} from '$core/heart-rate';
import type { LinkListener, StrapLink } from './strap-link';
import type { Clock, StrapTimers } from './timers';

export interface SimulatedStrapOptions {
  seed?: number;
  person?: SimulatedPerson;
  /** Starting intensity, 0..1; default 0.2 (easy moving about). */
  intensity?: number;
  /** Default 1000 ms, as real straps notify about once a second. */
  notifyEveryMs?: number;
  /** Windows in ms from when the strap starts streaming: no notifications (link lost). */
  dropouts?: TimeWindow[];
  /** Windows in ms from when the strap starts streaming: off the skin (0 bpm, contact lost). */
  contactLoss?: TimeWindow[];
  /** Chance that any single notification is lost. */
  dropProbability?: number;
  /** Shown as the battery level; default 87. */
  batteryPercent?: number;
}

/** What the UI and the workout engine control on a simulated strap. */
export interface SimulatedStrap {
  readonly intensity: number;
  /** 0 = rest, 1 = maximal work; clamped. Takes effect from the next notification. */
  setIntensity(intensity: number): void;
  readonly person: SimulatedPerson;
}

export interface SimulatedLink extends StrapLink, SimulatedStrap {}

export const SIMULATED_DEVICE = { id: 'simulated', name: 'Simulated strap' } as const;

export function createSimulatedLink(options: SimulatedStrapOptions, deps: { timers: StrapTimers; clock: Clock }): SimulatedLink {
  const { timers, clock } = deps;
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  const person = options.person ?? randomPerson(mulberry32(seed), 'simulated');
  const notifyEveryMs = options.notifyEveryMs ?? 1_000;
  let intensity = clamp01(options.intensity ?? 0.2);
  let listener: LinkListener | null = null;
  let connected = false;
  let timer: unknown = null;
  let heart: ReturnType<typeof createSimulatedHeart> | null = null;

  function stop(): void {
    if (timer !== null) timers.clearInterval(timer);
    timer = null;
    connected = false;
  }

  function notify(): void {
    if (!heart) return;
    const step = heart.step(intensity);
    if (step === null) return; // a lost notification: silence, as from a real strap
    const bytes = encodeHeartRateMeasurement({ ...step.measurement, rr1024: step.measurement.rr1024.slice(0, 9) });
    listener?.measurement(new DataView(bytes.buffer), clock.now());
  }

  return {
    kind: 'simulated',
    knowsDevices: true,
    person,
    get intensity() {
      return intensity;
    },
    setIntensity(next) {
      intensity = clamp01(next);
    },
    setListener(next) {
      listener = next;
    },
    findKnown: async (id) => id === SIMULATED_DEVICE.id,
    choose: async () => ({ type: 'chosen', device: { ...SIMULATED_DEVICE } }),
    async connect() {
      connected = true;
      return { ok: true };
    },
    async subscribe() {
      if (!connected) return { ok: false, message: 'Not connected', retryable: true };
      const startAt = clock.now();
      const shift = (w: TimeWindow) => ({ from: startAt + w.from, to: startAt + w.to });
      heart = createSimulatedHeart({
        person,
        random: mulberry32(seed ^ 0x5eed),
        startAt,
        notifyEveryMs,
        dropouts: options.dropouts?.map(shift),
        contactLoss: options.contactLoss?.map(shift),
        dropProbability: options.dropProbability,
      });
      if (timer !== null) timers.clearInterval(timer);
      timer = timers.setInterval(notify, notifyEveryMs);
      listener?.location('chest');
      listener?.battery(options.batteryPercent ?? 87);
      return { ok: true };
    },
    isConnected: () => connected,
    disconnect: stop,
  };
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
