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
    },
  };
}

export interface ResultRow {
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

/** Ranked by points (most first; equal points share a rank), then by name. */
export function classResults(tally: ClassTally): ClassResults {
  const people = Object.entries(tally).filter(([, p]) => p.readings > 0);
  const sorted = people
    .map(([id, p]) => ({ id, name: p.name, points: p.points, avgBpm: Math.round(p.sumBpm / p.readings), peakBpm: p.peakBpm, zoneMs: p.zoneMs, kcal: p.kcal }))
    .sort((a, b) => (b.points ?? -1) - (a.points ?? -1) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const rows: ResultRow[] = sorted.map((r, i) => ({ ...r, rank: i > 0 && sorted[i - 1]!.points === r.points ? 0 : i + 1 }));
  for (let i = 1; i < rows.length; i++) if (rows[i]!.rank === 0) rows[i]!.rank = rows[i - 1]!.rank;
  const withPoints = rows.flatMap((r) => (r.points === null ? [] : [r.points]));
  const withKcal = rows.flatMap((r) => (r.kcal === null ? [] : [r.kcal]));
  return {
    rows,
    averages: { people: rows.length, points: mean(withPoints), avgBpm: mean(rows.map((r) => r.avgBpm)), kcal: mean(withKcal) },
  };
}
