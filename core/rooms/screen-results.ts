/**
 * The class's results as the gym screen shows them at the end: a points ranking, each person's
 * average and peak heart rate and time in each zone, and the class's averages. The screen builds
 * them from the readings it receives during the class (`tallyReading`), so they cover what this
 * screen saw (a screen switched on mid-class starts from then); the points are the phones' own
 * (core/workout/effort-points.ts, sent with every reading), so the ranking matches the phones.
 *
 * Time in a zone: the time from one reading to the next is credited to the earlier reading's zone,
 * at most `maxGapMs` (a phone that went quiet does not fill the gap with its last zone).
 */
export interface PersonTally {
  name: string;
  sumBpm: number;
  readings: number;
  peakBpm: number;
  /** Milliseconds in zones 0–5. */
  zoneMs: number[];
  last: { at: number; zone: number | null } | null;
  points: number | null;
  kcal: number | null;
  /** false: opted out of rankings. */
  ranked: boolean;
}

export type ClassTally = Record<string, PersonTally>;

export interface Reading {
  id: string;
  name: string;
  bpm: number;
  zone: number | null;
  points: number | null;
  kcal: number | null;
  at: number;
  ranked?: boolean;
}

export const DEFAULT_MAX_GAP_MS = 5_000;

export function tallyReading(tally: ClassTally, r: Reading, maxGapMs = DEFAULT_MAX_GAP_MS): ClassTally {
  const old = tally[r.id];
  if (old?.last && r.at <= old.last.at) return tally;
  const zoneMs = old ? [...old.zoneMs] : [0, 0, 0, 0, 0, 0];
  if (old?.last && old.last.zone !== null) zoneMs[old.last.zone]! += Math.min(r.at - old.last.at, maxGapMs);
  return {
    ...tally,
    [r.id]: {
      name: r.name,
      sumBpm: (old?.sumBpm ?? 0) + r.bpm,
      readings: (old?.readings ?? 0) + 1,
      peakBpm: Math.max(old?.peakBpm ?? 0, r.bpm),
      zoneMs,
      last: { at: r.at, zone: r.zone },
      points: r.points ?? old?.points ?? null,
      kcal: r.kcal ?? old?.kcal ?? null,
      ranked: r.ranked ?? old?.ranked ?? true,
    },
  };
}

export interface ResultRow {
  /** 1 for the most points (shared when equal); 0 for someone who opted out of rankings. */
  rank: number;
  id: string;
  name: string;
  points: number | null;
  avgBpm: number;
  peakBpm: number;
  zoneMs: number[];
  kcal: number | null;
}

export interface ClassResults {
  rows: ResultRow[];
  averages: { people: number; points: number | null; avgBpm: number | null; kcal: number | null };
}

const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

/**
 * Ranked by points (most first; equal points share a rank), then by name. Who opted out of
 * rankings comes after, by name, with rank 0 and no points shown (but in the class averages).
 */
export function classResults(tally: ClassTally): ClassResults {
  const people = Object.entries(tally).filter(([, p]) => p.readings > 0);
  const all = people.map(([id, p]) => ({ id, name: p.name, points: p.points, avgBpm: Math.round(p.sumBpm / p.readings), peakBpm: p.peakBpm, zoneMs: p.zoneMs, kcal: p.kcal, ranked: p.ranked }));
  const byName = (a: { name: string; id: string }, b: { name: string; id: string }) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  const sorted = all.filter((r) => r.ranked).sort((a, b) => (b.points ?? -1) - (a.points ?? -1) || byName(a, b));
  const ranked: ResultRow[] = sorted.map(({ ranked: _r, ...r }, i) => ({ ...r, rank: i > 0 && sorted[i - 1]!.points === r.points ? 0 : i + 1 }));
  for (let i = 1; i < ranked.length; i++) if (ranked[i]!.rank === 0) ranked[i]!.rank = ranked[i - 1]!.rank;
  const unranked: ResultRow[] = all
    .filter((r) => !r.ranked)
    .sort(byName)
    .map(({ ranked: _r, ...r }) => ({ ...r, rank: 0, points: null }));
  const averagePoints = mean(all.flatMap((r) => (r.points === null ? [] : [r.points])));
  const rows = [...ranked, ...unranked];
  const withKcal = rows.flatMap((r) => (r.kcal === null ? [] : [r.kcal]));
  return {
    rows,
    averages: { people: rows.length, points: averagePoints, avgBpm: mean(rows.map((r) => r.avgBpm)), kcal: mean(withKcal) },
  };
}
