import PocketBase, { ClientResponseError } from 'pocketbase';
import type { NowPlaying } from './now-playing';
import type { NowPlayingCache } from './now-playing-cache';

/**
 * The now-playing cache in PocketBase: `spotify_now_playing` (id = member id) written only by
 * fetchers, `spotify_player_commands` (id = member id) written only by player commands. One
 * record held both before, and since PocketBase writes every column on update, a fetcher's put
 * could write back the `settle_until` a concurrent command had just set.
 */
type Row = { id: string; state: NowPlaying | null; fetched_at: number; none_since: number };
type CommandRow = { invalidated_at: number; settle_until: number };

const COL = 'spotify_now_playing';
const COMMANDS = 'spotify_player_commands';
const isStatus = (e: unknown, s: number) => e instanceof ClientResponseError && e.status === s;

/** Update, or create when missing (record id = member id); a concurrent create means update again. */
async function upsert(pb: PocketBase, col: string, memberId: string, fields: Record<string, unknown>) {
  try {
    await pb.collection(col).update(memberId, fields);
  } catch (e) {
    if (!isStatus(e, 404)) throw e;
    await pb
      .collection(col)
      .create({ id: memberId, member: memberId, ...fields })
      .catch(async () => pb.collection(col).update(memberId, fields));
  }
}

export function createPbNowPlayingCache(pb: PocketBase): NowPlayingCache {
  const one = async <T>(col: string, memberId: string) =>
    (await pb.collection(col).getList<T>(1, 1, { filter: pb.filter('id = {:id}', { id: memberId }), skipTotal: true })).items[0] ?? null;
  return {
    async get(memberId) {
      const [row, cmd] = await Promise.all([one<Row>(COL, memberId), one<CommandRow>(COMMANDS, memberId)]);
      if (!row || !row.state) return null;
      return { state: row.state, fetchedAt: row.fetched_at, noneSince: row.none_since, invalidatedAt: cmd?.invalidated_at ?? 0, settleUntil: cmd?.settle_until ?? 0 };
    },
    put: (memberId, v) => upsert(pb, COL, memberId, { state: v.state, fetched_at: v.fetchedAt, none_since: v.noneSince }),
    invalidate: (memberId, at, settleUntil) => upsert(pb, COMMANDS, memberId, { invalidated_at: at, settle_until: settleUntil }).catch(() => undefined),
    async remove(memberId) {
      await Promise.all([
        pb.collection(COL).delete(memberId).catch(() => undefined),
        pb.collection(COMMANDS).delete(memberId).catch(() => undefined),
      ]);
    },
  };
}
