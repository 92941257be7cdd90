/**
 * What the outbox still holds, in the member's words: how many workouts have not reached the
 * server yet (a finished session is one session.upsert plus a chunk.put per chunk, all under
 * its wire id), and how many other changes (edits of profile, settings, plans) wait with them.
 */
import type { OutboxRow } from '$lib/storage';

export interface Waiting {
  workouts: number;
  otherChanges: number;
}

export function waitingToSync(rows: readonly Pick<OutboxRow, 'type' | 'sessionId'>[]): Waiting {
  const workouts = new Set<string>();
  let otherChanges = 0;
  for (const row of rows) {
    if (row.type === 'session.upsert' || row.type === 'chunk.put') workouts.add(row.sessionId);
    else otherChanges += 1;
  }
  return { workouts: workouts.size, otherChanges };
}
