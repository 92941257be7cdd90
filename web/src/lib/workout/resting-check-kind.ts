import { isRestingCheckPlan, RESTING_CHECK_PLAN_ID } from '$core/workout';
import type { SessionRow } from '$lib/storage';

/** A resting check: its sync record says so (any device), or its plan is the check's (this one). */
export function isRestingCheck(row: Pick<SessionRow, 'plan' | 'record' | 'room'>): boolean {
  if (row.room) return false;
  return row.record ? row.record.plan?.planId === RESTING_CHECK_PLAN_ID : isRestingCheckPlan(row.plan);
}
