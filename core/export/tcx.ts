/**
 * Garmin Training Center Database v2 (TCX), validated against TrainingCenterDatabasev2.xsd
 * (tests/fixtures). One Activity (Sport "Other": the schema knows only Running, Biking and
 * Other), one Lap per phase run, Trackpoints with Time and HeartRateBpm.
 *
 * Schema constraints that shape the output:
 * - ActivityLap_t requires TotalTimeSeconds, DistanceMeters, Calories (xsd:unsignedShort),
 *   Intensity (Active | Resting) and TriggerMethod, in that order, with optional heart-rate
 *   elements between Calories and Intensity.
 * - HeartRateInBeatsPerMinute_t/Value is a positiveByte (1-255): a gap (0 bpm, no skin
 *   contact) has no valid value, so its Trackpoint is left out rather than written without HR.
 * - Track_t needs at least one Trackpoint, so a lap without valid readings has no Track.
 */
import type { PhaseKind } from '../workout';
import { exportLaps, MAX_EXPORT_BPM, type ExportLap } from './laps';
import type { ExportSession } from './types';
import { escapeXml, isoTime } from './xml';

const NS = 'http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2';

/** Rest, prepare (standing still before the start) are "Resting"; everything else "Active". */
export function tcxIntensity(kind: PhaseKind | 'session'): 'Active' | 'Resting' {
  return kind === 'rest' || kind === 'prepare' ? 'Resting' : 'Active';
}

const hr = (tag: string, bpm: number, indent: string) =>
  `${indent}<${tag}><Value>${Math.min(MAX_EXPORT_BPM, Math.max(1, Math.round(bpm)))}</Value></${tag}>`;

function lapXml(lap: ExportLap): string {
  const lines = [
    `      <Lap StartTime="${isoTime(lap.start)}">`,
    `        <TotalTimeSeconds>${(lap.activeMs / 1000).toFixed(3)}</TotalTimeSeconds>`,
    `        <DistanceMeters>0</DistanceMeters>`,
    `        <Calories>${lap.calories}</Calories>`,
  ];
  if (lap.avgBpm !== null) lines.push(hr('AverageHeartRateBpm', lap.avgBpm, '        '));
  if (lap.maxBpm !== null) lines.push(hr('MaximumHeartRateBpm', lap.maxBpm, '        '));
  lines.push(`        <Intensity>${tcxIntensity(lap.kind)}</Intensity>`, `        <TriggerMethod>Manual</TriggerMethod>`);
  if (lap.readings.length > 0) {
    lines.push('        <Track>');
    for (const r of lap.readings) {
      lines.push(`          <Trackpoint><Time>${isoTime(r.t)}</Time><HeartRateBpm><Value>${r.bpm}</Value></HeartRateBpm></Trackpoint>`);
    }
    lines.push('        </Track>');
  }
  lines.push(`        <Notes>${escapeXml(lap.label)}</Notes>`, '      </Lap>');
  return lines.join('\n');
}

export function toTcx(session: ExportSession): string {
  const notes = [session.title, session.notes ?? ''].filter((t) => t.trim() !== '').join('\n\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<TrainingCenterDatabase xmlns="${NS}">`,
    '  <Activities>',
    '    <Activity Sport="Other">',
    `      <Id>${isoTime(session.startedAt)}</Id>`,
    ...exportLaps(session).map(lapXml),
    ...(notes ? [`      <Notes>${escapeXml(notes)}</Notes>`] : []),
    '    </Activity>',
    '  </Activities>',
    '</TrainingCenterDatabase>',
    '',
  ].join('\n');
}
