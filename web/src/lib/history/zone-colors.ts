/**
 * Zone colours for the history chart and bars. Zones are never shown by colour alone: every
 * use has the zone number and name as text too. The CSS custom property `--zone-N` wins when
 * the app defines it, so these are fallbacks chosen for contrast on light and dark surfaces.
 */
import type { ZoneNumber } from '$core/workout';

export const ZONE_COLORS: Record<ZoneNumber, string> = {
  0: '#8a94a6',
  1: '#3b82f6',
  2: '#16a34a',
  3: '#eab308',
  4: '#f97316',
  5: '#dc2626',
};

/** CSS value for a zone: the app's token if defined, else the fallback. */
export function zoneCss(n: ZoneNumber): string {
  return `var(--zone-${n}, ${ZONE_COLORS[n]})`;
}

/** Resolved colours for canvas drawing (canvas cannot use var()). */
export function resolvedZoneColors(el: Element): Record<ZoneNumber, string> {
  const style = getComputedStyle(el);
  const out = { ...ZONE_COLORS };
  for (const n of [0, 1, 2, 3, 4, 5] as const) {
    const v = style.getPropertyValue(`--zone-${n}`).trim();
    if (v) out[n] = v;
  }
  return out;
}
