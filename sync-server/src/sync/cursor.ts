/**
 * Pull cursors: `<epoch>.<seq>.<mark>`. Opaque to clients (docs/sync-protocol.md §3).
 * - epoch: the member's log epoch; a cursor from another epoch (or another member) is stale.
 * - seq: every change with a sequence number ≤ seq has been delivered.
 * - mark: the member's purged-tombstone sequence when the cursor was issued. A later purge of
 *   a tombstone above both seq and mark may hide a delete from this client, so it gets a reset.
 * - `.d` suffix (protocol 2): the pulls that issued it carried documents (§8). A protocol 1
 *   pull skips documents, so a metadata pull of protocol 2 with a cursor without the suffix
 *   (an app updated in place) starts over as a reset, and the documents come with it.
 * - `.x` suffix (protocol 3): documents as with `.d`, and sessions with their execution records
 *   (§9), which older pulls leave out; a protocol 3 metadata pull with any other cursor starts
 *   over the same way, so an updated app gets the records of sessions it already had.
 */
export interface Cursor {
  readonly epoch: string;
  readonly seq: number;
  readonly mark: number;
  /** Issued by a protocol 2 (or later) pull: every document up to seq was delivered. */
  readonly docs?: boolean;
  /** Issued by a protocol 3 pull: sessions up to seq were delivered with their execution records. */
  readonly executions?: boolean;
}

const CURSOR = /^([a-z0-9]{1,16})\.(\d{1,15})\.(\d{1,15})(\.[dx])?$/;

export function formatCursor(c: Cursor): string {
  return `${c.epoch}.${c.seq}.${c.mark}${c.executions ? '.x' : c.docs ? '.d' : ''}`;
}

export function parseCursor(text: string): Cursor | null {
  const m = CURSOR.exec(text);
  if (!m) return null;
  const flags = m[4] === '.x' ? { docs: true, executions: true } : m[4] === '.d' ? { docs: true } : {};
  return { epoch: m[1]!, seq: Number(m[2]), mark: Number(m[3]), ...flags };
}

/** True when tombstones this cursor's holder may not have seen were purged since it was issued. */
export function needsReset(c: Cursor, purgedSeq: number): boolean {
  return purgedSeq > c.seq && purgedSeq > c.mark;
}
