/**
 * What a workout needs from a heart-rate strap: its events (core/heart-rate StrapEventSource)
 * and, for a simulated strap, a way to follow the plan's intensity. The app's strap controller
 * (lib/strap) is adapted to this by `workoutStrapFrom`; `fakeWorkoutStrap` drives tests by hand.
 */
import type { ReadingSink, StrapEvent, StrapEventSource } from '$core/heart-rate';
import type { PhaseKind } from '$core/workout';
import type { StrapController } from '$lib/strap/strap-controller.svelte';

export interface WorkoutStrap extends StrapEventSource {
  readonly kind: 'strap' | 'simulated';
  readonly name: string;
  /** Simulated straps only: 0 = rest, 1 = maximal work. */
  setIntensity?(intensity: number): void;
  /** Stop streaming (a simulated strap) or let go of it; optional. */
  close?(): void;
}

/** Intensity a simulated athlete follows in each kind of phase. */
export const PHASE_INTENSITY: Record<PhaseKind | 'stopwatch', number> = {
  prepare: 0.15,
  warmup: 0.4,
  work: 0.9,
  rest: 0.2,
  cooldown: 0.25,
  stopwatch: 0.6,
};

/** The app's strap controller (lib/strap) as a WorkoutStrap: same events, simulated intensity. */
export function workoutStrapFrom(strap: StrapController): WorkoutStrap {
  return {
    get kind() {
      return strap.source === 'simulated' ? 'simulated' : 'strap';
    },
    get name() {
      return strap.device?.name ?? 'Heart-rate strap';
    },
    subscribe: (sink) => strap.subscribe(sink),
    setIntensity: (intensity) => strap.simulated?.setIntensity(intensity),
  };
}

export interface FakeWorkoutStrap extends WorkoutStrap {
  emit(event: StrapEvent): void;
  readonly intensities: number[];
  readonly subscribers: number;
}

export function fakeWorkoutStrap(kind: WorkoutStrap['kind'] = 'simulated'): FakeWorkoutStrap {
  const sinks = new Set<ReadingSink>();
  const intensities: number[] = [];
  return {
    kind,
    name: 'Fake strap',
    intensities,
    get subscribers() {
      return sinks.size;
    },
    subscribe(sink) {
      sinks.add(sink);
      return () => void sinks.delete(sink);
    },
    emit(event) {
      for (const sink of [...sinks]) sink(event);
    },
    setIntensity(i) {
      intensities.push(i);
    },
  };
}
