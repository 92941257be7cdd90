/**
 * The member's documents on this device (docs/sync-protocol.md §8): the profile, the personal
 * settings and the saved plans, each a core/sync DocRecord in the `docs` table. The `settings`
 * and `plans` tables stay the view screens read; these helpers keep both in step:
 * - a local edit stamps only the registers it changes with this device's HLC, writes the view
 *   row, the document and (for a signed-in member) its outbox row in ONE transaction;
 * - a pulled document is merged (mergeDoc) into the local one and the view rows rewritten.
 * A guest's documents have owner '' and no outbox rows until they are added to an account
 * (adoptGuestDocs); rows are keyed by owner and document, so a member's pulled profile never
 * replaces the guest's before the guest chose. Every helper runs inside the caller's
 * transaction over docTables.
 */
import {
  changedValues,
  deleteDoc,
  docKey,
  docValues,
  emptyDoc,
  mergeDoc,
  patchDoc,
  planFromValues,
  profileFromValues,
  settingsFromValues,
  type DocRecord,
  type DocType,
  type Mutation,
  type PersonalSettings,
} from '$core/sync';
import type { HrmDatabase } from './database';
import { GUEST, type OutboxRow, type PlanRow } from './schema';
import { currentOwner, stampHlc } from './sync-meta';

export type NewMutationId = () => string;
const randomUuid: NewMutationId = () => crypto.randomUUID();

/** DocRow.key: the owner's copy of a document. */
export const docRowKey = (owner: string, type: DocType, id: string) => `${owner}/${docKey(type, id)}`;

/** Tables a document write touches, for `db.transaction('rw', [...])`. */
export const docTables = (d: HrmDatabase) => [d.docs, d.settings, d.plans, d.outbox, d.syncMeta];

/** Settings rows the personal settings are kept in (the view). */
export const PERSONAL_SETTING_KEYS = ['cues', 'units', 'defaultPlan', 'firstDayOfWeek'] as const;

async function queue(d: HrmDatabase, owner: string, key: string, mutation: Exclude<Mutation, { type: 'chunk.put' | 'session.upsert' | 'session.patch' | 'session.delete' }>, newId: NewMutationId) {
  await d.outbox.add({ id: newId(), owner, sessionId: key, attempts: 0, type: mutation.type, mutation } as OutboxRow);
}

/**
 * One local edit of a document: only the registers that differ from the document are stamped
 * and queued. Returns the merged record.
 */
export async function editDoc(
  d: HrmDatabase,
  type: DocType,
  id: string,
  values: Readonly<Record<string, unknown>>,
  now: number,
  newId: NewMutationId = randomUuid,
): Promise<DocRecord> {
  const key = docKey(type, id);
  const owner = await currentOwner(d);
  const row = await d.docs.get(docRowKey(owner, type, id));
  const current = row ? row.record : emptyDoc(type, id);
  const changed = changedValues(docValues(current), values);
  if (Object.keys(changed).length === 0 || current.deletedAt !== undefined) return current;
  const hlc = await stampHlc(d, now);
  const record = patchDoc(current, changed, hlc);
  await d.docs.put({ key: docRowKey(owner, type, id), owner, record });
  if (owner !== GUEST) {
    await queue(d, owner, key, { id: '', type: 'doc.patch', doc: type, docId: id, values: changed, hlc } as Extract<Mutation, { type: 'doc.patch' }>, newId);
  }
  return record;
}

/** A plan deleted on this device: its tombstone stays, so a pull cannot bring the plan back. */
export async function deletePlanDoc(d: HrmDatabase, id: string, now: number, newId: NewMutationId = randomUuid): Promise<void> {
  const key = docKey('plan', id);
  const owner = await currentOwner(d);
  const row = await d.docs.get(docRowKey(owner, 'plan', id));
  const hlc = await stampHlc(d, now);
  await d.docs.put({ key: docRowKey(owner, 'plan', id), owner, record: deleteDoc(row ? row.record : emptyDoc('plan', id), hlc) });
  if (owner !== GUEST) await queue(d, owner, key, { id: '', type: 'doc.delete', doc: 'plan', docId: id, hlc }, newId);
}

/** Merges a pulled document for `owner` and rewrites the view rows it describes. */
export async function applyRemoteDoc(d: HrmDatabase, remote: DocRecord, owner: string, now: number): Promise<void> {
  const key = docRowKey(owner, remote.type, remote.id);
  const row = await d.docs.get(key);
  const merged = row ? mergeDoc(row.record, remote) : remote;
  await d.docs.put({ key, owner, record: merged });
  await writeView(d, merged, now);
}

/** Whether this document is deleted for the signed-in owner (or the guest). */
export async function isDeletedDoc(d: HrmDatabase, type: DocType, id: string): Promise<boolean> {
  const row = await d.docs.get(docRowKey(await currentOwner(d), type, id));
  return row?.record.deletedAt !== undefined;
}

export interface GuestDocs {
  profile: boolean;
  settings: boolean;
  plans: number;
}

/** What a guest made on this device before signing in (profile, settings, plans), offered to the account. */
export async function guestDocs(d: HrmDatabase): Promise<GuestDocs> {
  const rows = (await d.docs.where('owner').equals(GUEST).toArray()).filter((r) => r.record.deletedAt === undefined);
  return {
    profile: rows.some((r) => r.record.type === 'profile'),
    settings: rows.some((r) => r.record.type === 'settings'),
    plans: rows.filter((r) => r.record.type === 'plan').length,
  };
}

/**
 * Adds the guest's documents to the signed-in member's: each guest register is an edit of the
 * member's document now (the guest chose to add them, so they win over the account's older
 * values), queued like any edit; the guest rows go. One transaction.
 */
export async function adoptGuestDocs(d: HrmDatabase, now: number, newId: NewMutationId = randomUuid): Promise<number> {
  return d.transaction('rw', docTables(d), async () => {
    const owner = await currentOwner(d);
    if (owner === GUEST) return 0;
    const rows = await d.docs.where('owner').equals(GUEST).toArray();
    let n = 0;
    for (const row of rows) {
      await d.docs.delete(row.key);
      if (row.record.deletedAt !== undefined) continue;
      const merged = await editDoc(d, row.record.type, row.record.id, docValues(row.record), now, newId);
      await writeView(d, merged, now);
      n++;
    }
    return n;
  });
}

/** The `settings` / `plans` rows a document describes (incomplete documents leave them alone). */
export async function writeView(d: HrmDatabase, record: DocRecord, now: number): Promise<void> {
  const values = docValues(record);
  switch (record.type) {
    case 'profile': {
      const profile = profileFromValues(values);
      if (profile) await d.settings.put({ key: 'profile', value: profile });
      return;
    }
    case 'settings': {
      const s = settingsFromValues(values, await viewSettings(d));
      await d.settings.bulkPut([
        { key: 'cues', value: { muted: s.cueMuted, vibrate: s.cueVibrate, speech: s.cueSpeech } },
        { key: 'units', value: s.units },
        { key: 'defaultPlan', value: s.defaultPlan },
        { key: 'firstDayOfWeek', value: s.firstDayOfWeek },
      ]);
      return;
    }
    case 'plan': {
      if (record.deletedAt !== undefined) {
        await d.plans.delete(record.id);
        return;
      }
      const plan = planFromValues(values);
      if (!plan) return;
      const existing = await d.plans.get(record.id);
      const next: PlanRow = { id: record.id, name: plan.name, plan, createdAt: existing?.createdAt ?? now, updatedAt: now };
      await d.plans.put(next);
      return;
    }
  }
}

/** The personal settings as the view rows hold them (defaults for rows never written). */
export async function viewSettings(d: HrmDatabase): Promise<PersonalSettings> {
  const [cues, units, defaultPlan, firstDayOfWeek] = await d.settings.bulkGet([...PERSONAL_SETTING_KEYS]);
  const c = cues?.value as { muted?: unknown; vibrate?: unknown; speech?: unknown } | undefined;
  return settingsFromValues({
    cueMuted: c?.muted,
    cueVibrate: c?.vibrate,
    cueSpeech: c?.speech,
    units: units?.value,
    ...(defaultPlan ? { defaultPlan: defaultPlan.value } : {}),
    ...(firstDayOfWeek ? { firstDayOfWeek: firstDayOfWeek.value } : {}),
  });
}
