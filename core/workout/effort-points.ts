/**
 * Effort points for class mode: one number a gym can rank by that a fit member cannot lose by
 * being fit. Pure; the tiles, the participant's phone and the stored class result all call
 * `effortPoints` on the same readings, so they show the same number.
 *
 * The model
 * - Intensity is the share of **heart-rate reserve** (HRR, Karvonen, Kentala & Mustala 1957,
 *   Ann Med Exp Biol Fenn 35(3):307-315): %HRR = (HR − HRrest) / (HRmax − HRrest), from the
 *   person's own resting and maximum HR (measured maximum when known, else Tanaka's
 *   208 − 0.7 × age). At one %HRR two people work equally hard relative to their capacity
 *   (%HRR tracks %VO2 reserve: Swain & Leutholtz 1997, Med Sci Sports Exerc 29(3):410-414),
 *   so a member with a low resting HR earns what anyone earns at the same %HRR.
 * - Points per minute by band, with ACSM's intensity classes as the edges (Garber et al. 2011,
 *   Med Sci Sports Exerc 43(7):1334-1359: light < 40 %, moderate 40–59 %, vigorous 60–89 %HRR):
 *   below 30 %HRR 0 · 30–44 % 1 · 45–59 % 2 · 60–74 % 3 · 75 % and above 4. The top band is
 *   open: minutes near the maximum earn no more than hard minutes, so suffering is not what
 *   wins (F45's and OTF's users' complaint that points reward the least fit, who reach high
 *   %HRmax earliest).
 * - A recovery bonus, because fitness shows in how fast HR falls: in each rest phase, the fall
 *   from the peak of the work phase before it to the HR at the rest's end, as a share of the
 *   reserve; 1 point per 10 % of reserve, at most 1 point per rest, and all of them together at
 *   most a quarter of the effort points (a bonus for recovering from effort, never instead of it).
 * - Time comes from held readings (readings.ts): each reading holds until the next, for at most
 *   5 s, so a dropped strap earns nothing. Points accrue in integer point-milliseconds and are
 *   shown rounded down, so every device adds them up the same way.
 *
 * Compared with the peers
 * - MyZone MEPs: 1–4 points a minute at 50–59, 60–69, 70–79 and 80+ % of HRmax. Same 1–4 scale
 *   and the same open top band; but % of HRmax ignores resting HR, so a member with HRrest 45
 *   needs a higher share of their reserve than one with HRrest 75 for the same MEPs.
 * - Orangetheory splat points: 1 a minute at ≥ 84 % of HRmax (zones 4–5). Rewards only the top
 *   zones, i.e. the hardest effort; our 75 %HRR edge is about 84 % of HRmax at a typical
 *   HRrest/HRmax of 0.32, but the lower bands still count.
 */
import { phaseHistory } from './phase-history';
import { heldSegments, heldSegmentsIn, sortedReadings, type Reading } from './readings';
import type { TimerState } from './timer-state';

/** Lower %HRR edges of the 1-, 2-, 3- and 4-point-per-minute bands. */
export const POINT_BANDS = [0.3, 0.45, 0.6, 0.75] as const;
export const RECOVERY_POINTS_PER_RESERVE = 10; // 1 point per 10 % of reserve
export const RECOVERY_MAX_PER_REST = 1;
export const RECOVERY_MAX_SHARE = 0.25;

export interface PointsProfile {
  restingHr: number;
  maxHr: number;
}

export interface PointsPhase {
  kind: 'work' | 'rest' | 'other';
  /** Wall time, ms; inclusive. */
  start: number;
  /** Wall time, ms; exclusive. */
  end: number;
}

export interface EffortPoints {
  /** What screens show: effort + recovery, rounded down. */
  total: number;
  /** Point-milliseconds from effort (divide by 60 000 for points). */
  effortPointMs: number;
  /** Recovery bonus in points (fractional), after its caps. */
  recovery: number;
  /** Time (ms) spent in each points band, index = points per minute (0–4). */
  bandMs: [number, number, number, number, number];
}

/** %HRR of a heart rate; HRmax must be above HRrest. */
export function reserveShare(bpm: number, p: PointsProfile): number {
  return (bpm - p.restingHr) / (p.maxHr - p.restingHr);
}

/** Points per minute (0–4) at a heart rate. */
export function pointsPerMinute(bpm: number, p: PointsProfile): 0 | 1 | 2 | 3 | 4 {
  const share = reserveShare(bpm, p);
  let band = 0;
  for (const edge of POINT_BANDS) if (share >= edge) band += 1;
  return band as 0 | 1 | 2 | 3 | 4;
}

/**
 * Effort points of `readings` up to `until` (the class's end, or now on a live screen).
 * `phases` (the executed timeline) bound the counted time and give the rests for the recovery
 * bonus; without them, every reading before `until` counts and there is no bonus.
 */
export function effortPoints(readings: readonly Reading[], profile: PointsProfile, until: number, phases: readonly PointsPhase[] = []): EffortPoints {
  if (!(profile.maxHr > profile.restingHr)) throw new RangeError('maxHr must be above restingHr');
  const sorted = sortedReadings(readings);
  const bandMs: EffortPoints['bandMs'] = [0, 0, 0, 0, 0];
  let effortPointMs = 0;
  // With a timeline, only its phases count (not a pause, not the wait for the coach).
  const counted = phases.length > 0 ? heldSegmentsIn(sorted, phases.map((p) => ({ start: p.start, end: Math.min(p.end, until) }))) : heldSegments(sorted, -Infinity, until);
  for (const s of counted) {
    const band = pointsPerMinute(s.bpm, profile);
    const ms = s.to - s.from;
    bandMs[band] += ms;
    effortPointMs += band * ms;
  }
  const effort = effortPointMs / 60_000;
  let recovery = 0;
  phases.forEach((phase, i) => {
    if (phase.kind !== 'rest' || phase.end > until) return;
    const work = phases.slice(0, i).reverse().find((p) => p.kind === 'work');
    if (!work) return;
    const peak = Math.max(0, ...heldSegments(sorted, work.start, work.end).map((s) => s.bpm));
    const atEnd = heldSegments(sorted, phase.start, phase.end).at(-1)?.bpm;
    if (!peak || atEnd === undefined) return;
    const fall = Math.max(0, (peak - atEnd) / (profile.maxHr - profile.restingHr));
    recovery += Math.min(RECOVERY_MAX_PER_REST, fall * RECOVERY_POINTS_PER_RESERVE);
  });
  recovery = Math.min(recovery, effort * RECOVERY_MAX_SHARE);
  return { total: Math.floor(effort + recovery + 1e-9), effortPointMs, recovery, bandMs };
}

/**
 * Points of a run of `timer` (a class recording's timer is the room's, core/rooms
 * recording-timer.ts) at `now`, from its executed phases: what the participant's phone sends
 * with each heart rate, and what the stored result says at the end. Null before the start.
 */
export function pointsForRun(readings: readonly Reading[], profile: PointsProfile, timer: TimerState, now: number): EffortPoints | null {
  if (timer.startedAt === null) return null;
  const until = Math.min(now, timer.stoppedAt ?? Infinity);
  const phases: PointsPhase[] = phaseHistory(timer, until).map((s) => ({
    kind: s.phase.kind === 'work' || s.phase.kind === 'rest' ? s.phase.kind : 'other',
    start: s.start,
    end: s.end,
  }));
  if (phases.length === 0) return effortPoints([], profile, until);
  return effortPoints(readings, profile, until, phases);
}
