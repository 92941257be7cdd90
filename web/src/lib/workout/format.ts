/** Zone colours for the workout screens; durations and figures are formatted in $lib/figures. */

/** Zone colours (background) with dark text on top; zones are always labelled in text too. */
export const ZONE_COLORS: Record<number, string> = {
  0: '#aab3bf',
  1: '#8cc4ff',
  2: '#6fdca6',
  3: '#f6d26b',
  4: '#ffae5c',
  5: '#ff7b7b',
};
