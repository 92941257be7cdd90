import { describe, expect, it } from 'vitest';
import { CSV_HEADER, toCsv } from './csv';
import { sampleSession } from './sample-session';

describe('toCsv', () => {
  const session = sampleSession({ rounds: 2 });
  const lines = toCsv(session).split('\r\n');

  it('has the header and one row per reading inside the session', () => {
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 2).toBe(session.readings.length);
  });

  it('writes time, elapsed seconds, bpm and RR in ms separated by ";"', () => {
    const r = session.readings[0]!;
    const ms = r.rr1024.map((x) => String(Number(((x * 1000) / 1024).toFixed(3))));
    expect(lines[1]).toBe(`${new Date(r.t).toISOString()},0,${r.bpm},${ms.join(';')}`);
    expect(lines[4]).toMatch(/^[^,]+,3\.25,\d+,[\d.]+$/); // the 250 ms late reading
  });

  it('writes a gap (0 bpm, no contact) with empty bpm and RR', () => {
    expect(lines[13]).toMatch(/^[^,]+,12,,$/);
    expect(lines[41]).toMatch(/^[^,]+,40,,$/);
  });
});
