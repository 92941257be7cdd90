/**
 * FIT activity file (Garmin FIT SDK, @garmin/fitsdk Encoder), in the order the FIT "Activity
 * File" description recommends: file_id, a timer start event, the creator's device_info (the
 * required messages are file_id, activity, session, lap and record; device_info and the timer
 * events are recommended, and we write all seven), then the data as it happened
 * (record messages with heart_rate, hrv messages with that beat's RR intervals, a lap message
 * as each phase ends), a timer stop event, the session and the activity.
 *
 * Resolution: date_time is whole seconds since the FIT epoch, so a record carries its reading's
 * second (two readings in one second: the later one wins); hrv.time is seconds with scale 1000
 * (1 ms), up to 5 values per message. Gaps (0 bpm, no contact) write no record and no RR.
 */
import {
  Encoder,
  Profile,
  type ActivityMesg,
  type DeviceInfoMesg,
  type EventMesg,
  type FileIdMesg,
  type HrvMesg,
  type LapMesg,
  type Mesg,
  type RecordMesg,
  type SessionMesg,
} from '@garmin/fitsdk';
import { heldSegments, hrStats, rr1024ToMs, type PhaseKind } from '../workout';
import { exportLaps, MAX_EXPORT_BPM, sessionReadings, type ExportLap } from './laps';
import type { ExportSession } from './types';

/** hrv.time is an array of at most 5 values per message (FIT profile). */
export const HRV_VALUES_PER_MESG = 5;
/** The message numbers we write (Profile.MesgNum is typed as an open record). */
const MESG = Profile.MesgNum as Record<'FILE_ID' | 'DEVICE_INFO' | 'EVENT' | 'RECORD' | 'HRV' | 'LAP' | 'SESSION' | 'ACTIVITY', number>;

/**
 * Who made the file, for file_id and the creator's device_info. Manufacturer `development`
 * (255) is the FIT profile's value for software without a Garmin-assigned manufacturer id, and
 * its product ids are ours to pick (0). software_version is uint16 with scale 100 (1.23 is
 * version 1, minor 23), so package.json's 0.1.x is 0.01 (fit.test.ts holds them equal).
 */
export const FIT_CREATOR = { manufacturer: 'development', product: 0, productName: 'HRM', softwareVersion: 0.01 } as const;

type Intensity = 'active' | 'rest' | 'warmup' | 'cooldown';

export function fitIntensity(kind: PhaseKind | 'session'): Intensity {
  switch (kind) {
    case 'rest':
    case 'prepare':
      return 'rest';
    case 'warmup':
      return 'warmup';
    case 'cooldown':
      return 'cooldown';
    default:
      return 'active';
  }
}

const seconds = (ms: number) => ms / 1000;
const byte = (bpm: number | null) => (bpm === null ? undefined : Math.min(MAX_EXPORT_BPM, Math.round(bpm)));

/** The RR intervals in seconds, rounded to FIT's 1 ms, in messages of up to 5. */
export function hrvTimes(rr1024: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < rr1024.length; i += HRV_VALUES_PER_MESG) {
    out.push(rr1024.slice(i, i + HRV_VALUES_PER_MESG).map((rr) => Math.round(rr1024ToMs(rr)) / 1000));
  }
  return out;
}

/** The FIT date_time (whole seconds since the FIT epoch) of a wall time in ms. */
export function fitSecond(ms: number): number {
  return Math.floor((ms - FIT_EPOCH_MS) / 1000);
}

/** Writes one message; absent fields are left out (the encoder does not take undefined). */
function write<T extends Mesg>(encoder: Encoder, mesgNum: number, mesg: T): void {
  encoder.onMesg(mesgNum, Object.fromEntries(Object.entries(mesg).filter(([, v]) => v !== undefined)) as T);
}

function writeLap(encoder: Encoder, lap: ExportLap, index: number) {
  write<LapMesg>(encoder, MESG.LAP, {
    messageIndex: index,
    timestamp: fitSecond(lap.end),
    event: 'lap',
    eventType: 'stop',
    startTime: fitSecond(lap.start),
    totalElapsedTime: seconds(lap.end - lap.start),
    totalTimerTime: seconds(lap.activeMs),
    totalCalories: lap.calories,
    avgHeartRate: byte(lap.avgBpm),
    maxHeartRate: byte(lap.maxBpm),
    minHeartRate: byte(lap.minBpm),
    intensity: fitIntensity(lap.kind),
    lapTrigger: 'manual',
    sport: 'training',
    subSport: 'cardioTraining',
  });
}

export function toFit(session: ExportSession): Uint8Array {
  const { startedAt, endedAt } = session;
  const laps = exportLaps(session);
  const encoder = new Encoder();
  const { manufacturer, product, productName, softwareVersion } = FIT_CREATOR;
  write<FileIdMesg>(encoder, MESG.FILE_ID, { type: 'activity', manufacturer, product, productName, timeCreated: fitSecond(startedAt) });
  write<EventMesg>(encoder, MESG.EVENT, { timestamp: fitSecond(startedAt), event: 'timer', eventType: 'start', timerTrigger: 'manual' });
  // device_index 0 is "creator" (FIT profile: the creator of the file is always index 0).
  write<DeviceInfoMesg>(encoder, MESG.DEVICE_INFO, {
    timestamp: fitSecond(startedAt),
    deviceIndex: 'creator',
    manufacturer,
    product,
    productName,
    softwareVersion,
    sourceType: 'local',
  });

  laps.forEach((lap, index) => {
    lap.readings.forEach((r, i) => {
      const next = lap.readings[i + 1];
      // Whole seconds: only the last reading of a second becomes a record; every RR is kept.
      if (!next || fitSecond(next.t) !== fitSecond(r.t)) write<RecordMesg>(encoder, MESG.RECORD, { timestamp: fitSecond(r.t), heartRate: r.bpm });
      for (const time of hrvTimes(r.rr1024)) write<HrvMesg>(encoder, MESG.HRV, { time });
    });
    writeLap(encoder, lap, index);
  });

  write<EventMesg>(encoder, MESG.EVENT, { timestamp: fitSecond(endedAt), event: 'timer', eventType: 'stopAll', timerTrigger: 'manual' });
  const stats = hrStats(heldSegments(sessionReadings(session), startedAt, endedAt));
  const activeMs = laps.reduce((sum, l) => sum + l.activeMs, 0);
  write<SessionMesg>(encoder, MESG.SESSION, {
    messageIndex: 0,
    timestamp: fitSecond(endedAt),
    event: 'session',
    eventType: 'stop',
    startTime: fitSecond(startedAt),
    sport: 'training',
    subSport: 'cardioTraining',
    totalElapsedTime: seconds(endedAt - startedAt),
    totalTimerTime: seconds(activeMs),
    // The laps' calories are this total apportioned (laps.ts), so they add up to it.
    totalCalories: laps.reduce((sum, l) => sum + l.calories, 0),
    avgHeartRate: byte(stats ? stats.avgBpm : null),
    maxHeartRate: byte(stats ? stats.maxBpm : null),
    minHeartRate: byte(stats ? stats.minBpm : null),
    firstLapIndex: 0,
    numLaps: laps.length,
    trigger: 'activityEnd',
  });
  write<ActivityMesg>(encoder, MESG.ACTIVITY, {
    timestamp: fitSecond(endedAt),
    totalTimerTime: seconds(activeMs),
    numSessions: 1,
    type: 'manual',
    event: 'activity',
    eventType: 'stop',
    // FIT profile, activity.local_timestamp (local_date_time): "timestamp epoch expressed in
    // local time, used to convert activity timestamps to local time", i.e. timestamp + offset.
    // One offset for the file, the one at the start (a workout across a DST change keeps it).
    localTimestamp: fitSecond(endedAt) + Math.round(session.tzOffsetMinutes * 60),
  });
  return encoder.close();
}

/** 1989-12-31T00:00:00Z, the FIT epoch. */
export const FIT_EPOCH_MS = 631_065_600_000;
