import type PocketBase from 'pocketbase';
import type { ExportSession } from '../../../core/export/types';
import { workoutPowerSongs } from '../../../core/upload/power-songs';

/**
 * The power songs of a workout for its Strava description (issue 16), read from what the Spotify
 * job stored (`spotify_session_tracks`, sync-server/src/spotify). 'pending' while the member's
 * Spotify is connected and that job has not finished the workout yet: the upload worker then
 * waits a little (a bounded time) so that the songs make it into the description.
 */
export type PowerSongsOf = (memberId: string, sessionId: string, session: ExportSession) => Promise<string[] | 'pending'>;

type TrackRow = { name: string; artists: string[] | null; start_at: number; played_at: number; avg_bpm: number; samples: number };

export function createPbPowerSongs(pb: PocketBase): PowerSongsOf {
  const col = (n: string) => pb.collection(n);
  const filter = (m: string, s: string) => pb.filter('member = {:m} && session_id = {:s}', { m, s });
  return async (memberId, sessionId, session) => {
    const [grant, job] = await Promise.all([
      col('spotify_grants').getList<{ status: string }>(1, 1, { filter: pb.filter('id = {:m}', { m: memberId }), fields: 'status', skipTotal: true }),
      col('spotify_track_jobs').getList<{ state: string }>(1, 1, { filter: filter(memberId, sessionId), fields: 'state', skipTotal: true }),
    ]);
    const connected = grant.items[0]?.status === 'ok';
    const jobState = job.items[0]?.state;
    if (connected && (jobState === undefined || jobState === 'pending')) return 'pending';
    const rows = await col('spotify_session_tracks').getFullList<TrackRow>({ filter: filter(memberId, sessionId), sort: 'played_at', fields: 'name,artists,start_at,played_at,avg_bpm,samples' });
    const tracks = rows.map((r) => ({ name: r.name, artists: r.artists ?? [], startAt: r.start_at, playedAt: r.played_at, avgBpm: r.samples > 0 && r.avg_bpm > 0 ? r.avg_bpm : null }));
    return workoutPowerSongs(session.phases, tracks);
  };
}
