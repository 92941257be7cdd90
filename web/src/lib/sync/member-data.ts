/**
 * Whose data is on this device. At sign-in the member becomes the owner of new recordings and
 * is offered this device's guest workouts, profile, settings and plans; at sign-out every row of
 * theirs (sessions, readings, documents, outbox, rejected list, tombstones, cursor) is removed,
 * after a sync or an explicit discard, so a shared gym tablet keeps nothing of the member.
 * Guest workouts stay; on a shared device the profile, settings and plans go whoever made them.
 */
import {
  chunkCursorKey,
  cursorKey,
  currentOwner,
  GUEST,
  lastSyncedKey,
  META_DEVICE,
  META_OWNER,
  META_SHARED,
  resetKey,
  setMeta,
  getMeta,
  type HrmDatabase,
} from '$lib/storage';

/** Records who is signed in; a different member than last time first clears the previous one. */
export async function setOwner(d: HrmDatabase, owner: string, shared?: boolean): Promise<void> {
  const previous = await d.transaction('r', d.syncMeta, () => currentOwner(d));
  if (previous !== GUEST && previous !== owner) await forgetMember(d, previous);
  await d.transaction('rw', d.syncMeta, async () => {
    await setMeta(d, META_OWNER, owner);
    if (shared !== undefined) await setMeta(d, META_SHARED, shared);
  });
}

export async function isSharedDevice(d: HrmDatabase): Promise<boolean> {
  return (await getMeta<boolean>(d, META_SHARED)) === true;
}

/** Mutations of `owner` not yet accepted by the server. */
export async function unsyncedCount(d: HrmDatabase, owner: string): Promise<number> {
  return d.outbox.where('owner').equals(owner).count();
}

/**
 * Removes everything of `owner` from this device in one transaction. On a device marked
 * shared, the athlete profile, cue settings and saved plans go too.
 */
export async function forgetMember(d: HrmDatabase, owner: string): Promise<void> {
  await d.transaction('rw', [d.sessions, d.chunks, d.outbox, d.rejected, d.tombstones, d.syncMeta, d.settings, d.plans, d.docs], async () => {
    const rows = await d.sessions.where('owner').equals(owner).toArray();
    for (const row of rows) {
      await d.chunks.where('sessionId').equals(row.id).delete();
      if (row.syncId && row.syncId !== row.id) await d.chunks.where('sessionId').equals(row.syncId).delete();
    }
    await d.sessions.bulkDelete(rows.map((r) => r.id));
    await d.outbox.where('owner').equals(owner).delete();
    await d.rejected.where('owner').equals(owner).delete();
    await d.tombstones.where('owner').equals(owner).delete();
    await d.docs.where('owner').equals(owner).delete();
    await d.syncMeta.bulkDelete([cursorKey(owner), chunkCursorKey(owner), resetKey(owner), lastSyncedKey(owner)]);
    // A device that drops a member's data becomes a new device: pulls leave out the chunks a
    // device pushed itself (docs/sync-protocol.md §3), and this one no longer has them.
    await d.syncMeta.delete(META_DEVICE);
    if (await isSharedDevice(d)) {
      await d.settings.clear();
      await d.plans.clear();
      await d.docs.clear();
      await d.syncMeta.delete(META_SHARED);
    }
    if ((await currentOwner(d)) === owner) await setMeta(d, META_OWNER, GUEST);
  });
}
