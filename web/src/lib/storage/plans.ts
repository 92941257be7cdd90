/** User-saved interval plans. Rows are validated with core/workout PlanSchema when read. */
import { parsePlan, type Plan } from '$core/workout';
import { newId, type HrmDatabase } from './database';
import type { PlanRow } from './schema';

export interface PlanStore {
  /** Most recently saved first; rows that fail validation are left out. */
  list(): Promise<PlanRow[]>;
  /** Saves a new plan, or replaces the plan with `id`. Returns the row written. */
  save(plan: Plan, id?: string): Promise<PlanRow>;
  delete(id: string): Promise<void>;
}

export function createPlanStore(db: () => HrmDatabase, now: () => number = Date.now): PlanStore {
  return {
    async list() {
      const rows = await db().plans.orderBy('updatedAt').reverse().toArray();
      return rows.flatMap((row) => {
        const parsed = parsePlan(row.plan);
        return parsed.ok ? [{ ...row, plan: parsed.plan }] : [];
      });
    },
    async save(plan, id) {
      const d = db();
      return d.transaction('rw', d.plans, async () => {
        const t = now();
        const existing = id ? await d.plans.get(id) : undefined;
        const row: PlanRow = { id: existing?.id ?? newId(), name: plan.name, plan, createdAt: existing?.createdAt ?? t, updatedAt: t };
        await d.plans.put(row);
        return row;
      });
    },
    async delete(id) {
      await db().plans.delete(id);
    },
  };
}
