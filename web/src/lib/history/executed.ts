/**
 * What a session's stored execution record (core/workout execution.ts, docs/sync-protocol.md §9)
 * says ran and what its figures were computed with. Detail, chart, interval table and exports
 * read it first, on every device, so they show and write the recording's numbers; sessions
 * without one (recorded by an older version) fall back to what the row has.
 */
import { executedSpans, executedSummary, type PhaseSpan, type Plan, type Profile, type WorkoutSummary } from '$core/workout';
import type { SessionRow } from '$lib/storage/schema';

export interface ExecutedView {
  plan: Plan;
  spans: PhaseSpan[];
  summary: WorkoutSummary;
  profile: Profile;
  profileIsDefault: boolean;
  tzOffsetMinutes: number;
}

export function executedView(session: SessionRow): ExecutedView | null {
  const e = session.record?.execution;
  if (!e) return null;
  return {
    plan: e.timer.plan,
    spans: executedSpans(e),
    summary: executedSummary(e),
    profile: e.profile,
    profileIsDefault: e.profileSource === 'default',
    tzOffsetMinutes: e.tzOffsetMinutes,
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
