/**
 * Many simulated people at once, for class mode and the room display: each member of the group
 * has its own parameters and random stream (core/heart-rate createSimulatedGroup) and emits the
 * the StrapEvents a real strap would, with intensity controllable for all or one. A lost
 * notification (dropProbability, dropouts) is simply absent, as on a real link: a consumer that
 * needs silence as a gap applies its own staleness TTL (the room display does).
 */
import {
  createSimulatedGroup,
  type GapReason,
  type HeartRateReading,
  type ReadingSink,
  type SimulatedHeartOptions,
  type SimulatedPerson,
  type StrapEventSource,
} from '$core/heart-rate';
import type { Clock, StrapTimers } from './timers';

export interface SimulatedParticipant extends StrapEventSource {
  readonly person: SimulatedPerson;
  readonly intensity: number;
  setIntensity(intensity: number): void;
}

export interface SimulatedClass {
  readonly participants: readonly SimulatedParticipant[];
  /** Sets every participant's intensity (e.g. from the shared interval timer). */
  setIntensity(intensity: number): void;
  start(): void;
  stop(): void;
}

export function createSimulatedClass(
  size: number,
  seed: number,
  deps: { timers: StrapTimers; clock: Clock },
  options: Omit<SimulatedHeartOptions, 'person' | 'random' | 'startAt'> = {},
): SimulatedClass {
  const notifyEveryMs = options.notifyEveryMs ?? 1_000;
  const hearts = createSimulatedGroup(size, seed, { ...options, startAt: deps.clock.now() });
  const participants = hearts.map((heart) => {
    const sinks = new Set<ReadingSink>();
    let intensity = 0.2;
    let openGap: GapReason | null = null;
    return {
      person: heart.person,
      get intensity() {
        return intensity;
      },
      setIntensity(next: number) {
        intensity = Math.min(1, Math.max(0, next));
      },
      subscribe(sink: ReadingSink) {
        sinks.add(sink);
        return () => sinks.delete(sink);
      },
      tick() {
        const step = heart.step(intensity);
        if (step === null) return;
        const t = deps.clock.now();
        const reading: HeartRateReading = { ...step.measurement, t };
        // The same rule as the connection machine: 0 bpm or no skin contact is a gap.
        const reason: GapReason | null =
          reading.contact === 'not-detected' ? 'no-contact' : reading.bpm === 0 ? 'no-reading' : null;
        if (reason !== null && openGap === null) {
          openGap = reason;
          sinks.forEach((s) => s({ type: 'gap-start', reason, at: t }));
        } else if (reason === null && openGap !== null) {
          const ended = openGap;
          openGap = null;
          sinks.forEach((s) => s({ type: 'gap-end', reason: ended, at: t }));
        }
        sinks.forEach((s) => s({ type: 'reading', reading }));
      },
    };
  });
  let timer: unknown = null;
  return {
    participants,
    setIntensity(next) {
      participants.forEach((p) => p.setIntensity(next));
    },
    start() {
      if (timer === null) timer = deps.timers.setInterval(() => participants.forEach((p) => p.tick()), notifyEveryMs);
    },
    stop() {
      if (timer !== null) deps.timers.clearInterval(timer);
      timer = null;
    },
  };
}
