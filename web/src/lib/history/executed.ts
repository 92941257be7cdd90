/**
 * What a session's stored execution record (core/workout execution.ts, docs/sync-protocol.md §9)
 * says ran and what its figures were computed with. Detail, chart, interval table and exports
 * read it first, on every device, so they show and write the recording's numbers; sessions
 * without one (recorded by an older version) fall back to what the row has.
 */
import { executedSpans, executedSummary, recomputedSummary, type PhaseSpan, type Plan, type Profile, type WorkoutSummary } from '$core/workout';
import type { SessionRow } from '$lib/storage/schema';

export interface ExecutedView {
  plan: Plan;
  spans: PhaseSpan[];
  /** The figures shown and exported: the member's recomputation when there is one, else the recording's. */
  summary: WorkoutSummary;
  profile: Profile;
  profileIsDefault: boolean;
  /** A class recording computed with the details given when joining the class. */
  profileFromClassJoin: boolean;
  tzOffsetMinutes: number;
  /** Set when the figures were recomputed: the recording's own, and when (HLC ms) it was asked. */
  recorded: { summary: WorkoutSummary; profile: Profile; recomputedAt: number } | null;
}

export function executedView(session: SessionRow): ExecutedView | null {
  const e = session.record?.execution;
  if (!e) return null;
  const r = session.record?.recomputed;
  const recorded = executedSummary(e);
  return {
    plan: e.timer.plan,
    spans: executedSpans(e),
    summary: r ? recomputedSummary(e, r.value) : recorded,
    profile: r ? r.value.profile : e.profile,
    profileIsDefault: r ? false : e.profileSource === 'default',
    profileFromClassJoin: !r && e.profileSource === 'class-join',
    tzOffsetMinutes: e.tzOffsetMinutes,
    recorded: r ? { summary: recorded, profile: e.profile, recomputedAt: Number(r.hlc.slice(0, 15)) } : null,
  };
}

/**
 * A finished workout pulled from another device without an execution record: recorded by an
 * older version, so its intervals are unknown and its zones, calories and TRIMP were worked out
 * here with this device's profile.
 */
export function lacksExecution(session: SessionRow): boolean {
  return session.origin === 'remote' && !session.record?.execution;
}
