/**
 * "Power songs": a member's tracks ranked by the average heart rate while they played, across
 * every workout. Pure: takes the stored plays, returns the ranking.
 *
 * A track's average is weighted by readings (a 4-minute play counts more than 20 seconds of
 * one); plays without heart rate (no strap) are counted as plays but carry no weight.
 */
export interface PlayWithHeartRate {
  trackId: string;
  uri: string;
  name: string;
  artists: string[];
  album: string | null;
  albumArtUrl: string | null;
  sessionId: string;
  playedAt: number;
  avgBpm: number | null;
  peakBpm: number | null;
  samples: number;
}

export interface PowerSong {
  trackId: string;
  uri: string;
  name: string;
  artists: string[];
  album: string | null;
  albumArtUrl: string | null;
  plays: number;
  sessions: number;
  avgBpm: number;
  peakBpm: number;
  lastPlayedAt: number;
}

/** Fewer readings than this (about 20 s at 1 Hz) say little about a song. */
export const MIN_SAMPLES = 20;

export function rankPowerSongs(plays: readonly PlayWithHeartRate[], limit = 50): PowerSong[] {
  const by = new Map<string, { first: PlayWithHeartRate; plays: number; sessions: Set<string>; sum: number; n: number; peak: number; last: number }>();
  for (const p of plays) {
    const g = by.get(p.trackId) ?? { first: p, plays: 0, sessions: new Set<string>(), sum: 0, n: 0, peak: 0, last: 0 };
    g.plays += 1;
    g.sessions.add(p.sessionId);
    if (p.avgBpm !== null && p.samples > 0) {
      g.sum += p.avgBpm * p.samples;
      g.n += p.samples;
      g.peak = Math.max(g.peak, p.peakBpm ?? 0);
    }
    if (p.playedAt > g.last) {
      g.last = p.playedAt;
      g.first = p; // the newest play's names and art
    }
    by.set(p.trackId, g);
  }
  const ranked: PowerSong[] = [];
  for (const [trackId, g] of by) {
    if (g.n < MIN_SAMPLES) continue;
    const f = g.first;
    ranked.push({
      trackId,
      uri: f.uri,
      name: f.name,
      artists: f.artists,
      album: f.album,
      albumArtUrl: f.albumArtUrl,
      plays: g.plays,
      sessions: g.sessions.size,
      avgBpm: Math.round((g.sum / g.n) * 10) / 10,
      peakBpm: g.peak,
      lastPlayedAt: g.last,
    });
  }
  return ranked.sort((a, b) => b.avgBpm - a.avgBpm || b.plays - a.plays || a.name.localeCompare(b.name)).slice(0, limit);
}
