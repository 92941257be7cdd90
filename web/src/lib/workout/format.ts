/** Zone and phase colours for the workout screens; durations and figures are formatted in $lib/figures. */
import type { PhaseKind } from '$core/workout';

/** Zone colours (background) with dark text on top; zones are always labelled in text too. */
export const ZONE_COLORS: Record<number, string> = {
  0: '#aab3bf',
  1: '#8cc4ff',
  2: '#6fdca6',
  3: '#f6d26b',
  4: '#ffae5c',
  5: '#ff7b7b',
};

export type LivePhaseKind = PhaseKind | 'stopwatch';

/**
 * The live screen's full-screen phase colours, light and dark (CSS light-dark(), the app
 * declares `color-scheme: light dark`). Every pair keeps text at ≥ 6.4:1 (WCAG AA needs 4.5:1).
 * Colour is never the only cue: each phase also has its label and its own icon and pattern.
 */
export const PHASE_COLORS: Record<LivePhaseKind, { bg: string; fg: string }> = {
  work: { bg: 'light-dark(#b3261e, #7a1518)', fg: '#ffffff' },
  rest: { bg: 'light-dark(#0f6b3f, #0b4d2e)', fg: '#ffffff' },
  prepare: { bg: 'light-dark(#f2c037, #5c4500)', fg: 'light-dark(#1a1400, #fff6da)' },
  warmup: { bg: 'light-dark(#f2c037, #5c4500)', fg: 'light-dark(#1a1400, #fff6da)' },
  cooldown: { bg: 'light-dark(#1d5fa6, #153e6e)', fg: '#ffffff' },
  stopwatch: { bg: 'light-dark(#3b4656, #262d38)', fg: '#ffffff' },
};

/** 24×24 icon paths, one per phase kind, so phases differ in shape as well as colour. */
export const PHASE_ICONS: Record<LivePhaseKind, string> = {
  // A bolt.
  work: 'M13.5 2 4 13.5h6.2L9 22l10-12.5h-6.3L13.5 2Z',
  // A circle with a pause bar pair.
  rest: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm-3.5 5.5h2.5v9H8.5v-9Zm4.5 0h2.5v9H13v-9Z',
  // An hourglass.
  prepare: 'M6 2h12v5.5L13.5 12l4.5 4.5V22H6v-5.5l4.5-4.5L6 7.5V2Zm2 2v2.7l4 4 4-4V4H8Z',
  // An arrow up.
  warmup: 'M12 3 4.5 11H9v10h6V11h4.5L12 3Z',
  // An arrow down.
  cooldown: 'M12 21 4.5 13H9V3h6v10h4.5L12 21Z',
  // A stopwatch.
  stopwatch: 'M9 1h6v2H9V1Zm3 4a8.5 8.5 0 1 0 0 17 8.5 8.5 0 0 0 0-17Zm-1 3h2v6h-2V8Z',
};
