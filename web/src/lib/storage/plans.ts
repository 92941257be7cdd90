/**
 * User-saved interval plans. Rows are validated with core/workout PlanSchema when read. Plans
 * sync as documents (storage/docs.ts, docs/sync-protocol.md §8): a save writes the row, the
 * document and its outbox row in one transaction; a delete leaves a tombstone, so the plan stays
 * deleted on every device.
 */
import { planValues } from '$core/sync';
import { parsePlan, type Plan } from '$core/workout';
import { newId, type HrmDatabase } from './database';
import { deletePlanDoc, docTables, editDoc, isDeletedDoc } from './docs';
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
      return d.transaction('rw', docTables(d), async () => {
        const t = now();
        // An editor still open on a plan deleted meanwhile (here or, pulled, elsewhere) saves
        // a new plan: the deleted one stays deleted, and the edit is not lost.
        const deleted = id ? await isDeletedDoc(d, 'plan', id) : false;
        const existing = id && !deleted ? await d.plans.get(id) : undefined;
        const row: PlanRow = { id: existing?.id ?? newId(), name: plan.name, plan, createdAt: existing?.createdAt ?? t, updatedAt: t };
        await d.plans.put(row);
        await editDoc(d, 'plan', row.id, { ...planValues(plan) }, t);
        return row;
      });
    },
    async delete(id) {
      const d = db();
      await d.transaction('rw', docTables(d), async () => {
        await d.plans.delete(id);
        await deletePlanDoc(d, id, now());
      });
    },
  };
}
