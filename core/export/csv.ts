/**
 * CSV, one row per reading inside the session (RFC 4180: CRLF line ends, a header row):
 *   time_iso,elapsed_s,bpm,rr_ms
 * - `elapsed_s`: seconds since the session start, 3 decimals.
 * - `bpm`: empty for a gap (0 bpm or no skin contact): it is never written as a heart rate.
 * - `rr_ms`: all RR intervals the reading carried, in ms (from 1/1024 s, 3 decimals at most),
 *   separated by `;` in one field (so a row stays one reading); empty for none or for a gap.
 */
import { isGap, rr1024ToMs } from '../workout';
import { sessionReadings } from './laps';
import type { ExportSession } from './types';

export const CSV_HEADER = 'time_iso,elapsed_s,bpm,rr_ms';

const decimals = (value: number, digits: number) => String(Number(value.toFixed(digits)));

export function toCsv(session: ExportSession): string {
  const rows = [CSV_HEADER];
  for (const r of sessionReadings(session)) {
    const gap = isGap(r);
    const rr = gap ? '' : r.rr1024.map((x) => decimals(rr1024ToMs(x), 3)).join(';');
    rows.push(`${new Date(r.t).toISOString()},${decimals((r.t - session.startedAt) / 1000, 3)},${gap ? '' : r.bpm},${rr}`);
  }
  return rows.join('\r\n') + '\r\n';
}
