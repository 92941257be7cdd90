/** Vibration (where the device has it) as a silent cue. */
export interface Vibrator {
  readonly supported: boolean;
  vibrate(pattern: number | number[]): void;
}

export function browserVibrator(nav: Navigator | undefined = globalThis.navigator): Vibrator {
  const supported = typeof nav?.vibrate === 'function';
  return {
    supported,
    vibrate(pattern) {
      if (supported) nav!.vibrate(pattern);
    },
  };
}

export function fakeVibrator(): Vibrator & { calls: Array<number | number[]> } {
  const calls: Array<number | number[]> = [];
  return {
    supported: true,
    calls,
    vibrate(pattern) {
      calls.push(pattern);
    },
  };
}

export const SHORT_VIBRATION = 80;
export const LONG_VIBRATION = [300];
/** Leaving the heart-rate target: two pulses, unlike any timer cue. */
export const TARGET_VIBRATION = [150, 100, 150];
