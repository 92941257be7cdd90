import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';

/** The routes HRM adds inside PocketBase (pb_hooks/, loaded with --hooksDir; superusers only). */
export const HRM_ROUTES = {
  /** POST {rows: [{id, at}]}: presence rows in one SQL statement (pb_hooks/room_presence.pb.js). */
  roomPresence: '/api/hrm/room-presence',
} as const;

/**
 * Rejects unless PocketBase serves HRM's routes: a PocketBase started without our pb_hooks/
 * (an operator's PB_URL without --hooksDir) would otherwise fail every class's presence
 * writes, and only in the logs. Checked once at start, with a write of no rows.
 */
export async function assertHrmRoutes(pb: PocketBase, hooksDir: string): Promise<void> {
  try {
    await pb.send(HRM_ROUTES.roomPresence, { method: 'POST', body: { rows: [] }, requestKey: null });
  } catch (e) {
    if (e instanceof ClientResponseError && e.status === 404) {
      throw new Error(`PocketBase does not serve ${HRM_ROUTES.roomPresence}: start it with --hooksDir=${hooksDir}`);
    }
    throw e;
  }
}
