/**
 * The per-interval table's rows: one per round, pairing a work bout with the rest that follows
 * it in the same block round (core/workout intervalStats gives them separately). A rest with no
 * work before it (or a work bout without rest, as the plan's last) gets a row of its own.
 */
import type { IntervalStats, RestStats, WorkBoutStats } from '$core/workout';

export interface IntervalRow {
  key: number;
  label: string;
  work: WorkBoutStats | null;
  rest: RestStats | null;
}

function roundLabel(i: IntervalStats, blocks: number): string {
  const { blockName, round, roundsInBlock } = i.phase;
  if (round === null || roundsInBlock === null) return i.phase.label;
  return `${blocks > 1 && blockName ? `${blockName} ` : ''}${round}/${roundsInBlock}`;
}

export function intervalRows(intervals: readonly IntervalStats[]): IntervalRow[] {
  const blocks = new Set(intervals.map((i) => i.phase.blockIndex)).size;
  const rows: IntervalRow[] = [];
  for (const i of intervals) {
    const last = rows.at(-1);
    const sameRound = last?.work && !last.rest && last.work.phase.blockIndex === i.phase.blockIndex && last.work.phase.round === i.phase.round;
    if (i.kind === 'rest' && last && sameRound) last.rest = i;
    else rows.push({ key: i.phaseIndex, label: roundLabel(i, blocks), work: i.kind === 'work' ? i : null, rest: i.kind === 'rest' ? i : null });
  }
  return rows;
}
