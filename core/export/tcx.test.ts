import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isGap, type Profile, type WorkoutSummary } from '../workout';
import { sampleSession } from './sample-session';
import { toTcx } from './tcx';

const XSD = path.resolve(import.meta.dirname, '../../tests/fixtures/TrainingCenterDatabasev2.xsd');
const dir = mkdtempSync(path.join(tmpdir(), 'hrm-tcx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** xmllint's verdict against the official schema: '' when valid, its messages otherwise. */
function schemaErrors(xml: string): string {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.tcx`);
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: 'pipe' });
    return '';
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  }
}

const values = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}>(.*?)</${tag}>`, 'g'))].map((m) => m[1]!);

describe('toTcx', () => {
  const session = sampleSession();
  const xml = toTcx(session);

  it('validates against TrainingCenterDatabasev2.xsd', () => {
    expect(schemaErrors(xml)).toBe('');
  });

  it('writes one Activity with Sport "Other" and one Lap per phase, with the right intensity', () => {
    expect(xml.match(/<Activity Sport="Other">/g)).toHaveLength(1);
    expect(xml.match(/<Lap StartTime=/g)).toHaveLength(session.phases.length);
    const expected = session.phases.map((p) => (p.kind === 'work' ? 'Active' : 'Resting'));
    expect(values(xml, 'Intensity')).toEqual(expected);
    expect(values(xml, 'TriggerMethod').every((m) => m === 'Manual')).toBe(true);
    expect(values(xml, 'DistanceMeters').every((d) => d === '0')).toBe(true);
    expect(values(xml, 'TotalTimeSeconds')).toEqual(session.phases.map((p) => ((p.end - p.start) / 1000).toFixed(3)));
  });

  it('writes every valid reading as a Trackpoint and never a gap (0 bpm, no contact)', () => {
    const valid = session.readings.filter((r) => !isGap(r));
    expect(valid.length).toBeLessThan(session.readings.length - 4);
    expect(values(xml, 'Time')).toEqual(valid.map((r) => new Date(r.t).toISOString()));
    const trackpointHr = [...xml.matchAll(/<HeartRateBpm><Value>(\d+)<\/Value>/g)].map((m) => Number(m[1]));
    expect(trackpointHr).toEqual(valid.map((r) => r.bpm));
    expect(trackpointHr).not.toContain(0);
  });

  it('lap heart rates are the time-weighted average and the peak of the lap', () => {
    const work = session.phases[1]!;
    const inWork = session.readings.filter((r) => !isGap(r) && r.t >= work.start && r.t < work.end).map((r) => r.bpm);
    const firstWork = xml.split('<Lap ')[2]!;
    expect(firstWork).toContain(`<MaximumHeartRateBpm><Value>${Math.max(...inWork)}</Value>`);
    const avg = Number(/<AverageHeartRateBpm><Value>(\d+)/.exec(firstWork)![1]);
    expect(Math.abs(avg - inWork.reduce((a, b) => a + b, 0) / inWork.length)).toBeLessThan(1.5);
  });

  it('escapes the title and notes', () => {
    expect(xml).toContain('<Notes>Tabata &lt;test&gt; &amp; &quot;quotes&quot;\n\nFelt good</Notes>');
  });

  it('a stopwatch session with no readings is one lap without a Track and still valid', () => {
    const empty = toTcx({ ...session, phases: [], readings: [], notes: '' });
    expect(empty.match(/<Lap /g)).toHaveLength(1);
    expect(empty).not.toContain('<Track>');
    expect(schemaErrors(empty)).toBe('');
  });

  it('a lap whose readings are all gaps has no heart-rate elements and stays valid', () => {
    const gaps = session.readings.map((r) => ({ ...r, contact: 'not-detected' as const }));
    const out = toTcx({ ...session, readings: gaps });
    expect(out).not.toContain('HeartRateBpm');
    expect(schemaErrors(out)).toBe('');
  });

  it("the laps' Calories add up to the session's calories (rounded once, apportioned)", () => {
    const calories = (out: string) => values(out, 'Calories').map(Number);
    const summary = { calories: { kcal: 3.4, estimate: true, method: 'keytel-2005' } } as unknown as WorkoutSummary;
    // Shared by covered time: 15 laps of ~0.2 kcal each rounded on their own would give 0.
    const shared = calories(toTcx({ ...session, summary }));
    expect(shared.reduce((a, b) => a + b, 0)).toBe(3);
    // Keytel per lap with the profile: the laps still add up to the summary's figure.
    const profile: Profile = { age: 30, sex: 'male', weightKg: 75, restingHr: 60, maxHrMethod: 'fox', zoneModel: 'percent-max' };
    const withProfile = { ...session, profile, summary: { calories: { kcal: 10.6 } } as unknown as WorkoutSummary };
    expect(calories(toTcx(withProfile)).reduce((a, b) => a + b, 0)).toBe(11);
  });
});
