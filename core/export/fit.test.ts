import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isGap, type WorkoutSummary } from '../workout';
import { FIT_CREATOR, FIT_EPOCH_MS, fitSecond, hrvTimes, toFit } from './fit';
import { sampleSession } from './sample-session';
import { decodeFit } from './testing';
import type { ExportSession } from './types';

const ms = (d: unknown) => (d as Date).getTime();

describe('toFit', () => {
  const session: ExportSession = sampleSession();
  const { messages, errors, integrity } = decodeFit(toFit(session));
  const valid = session.readings.filter((r) => !isGap(r));

  it('decodes without errors and passes the integrity check', () => {
    expect(errors).toEqual([]);
    expect(integrity).toBe(true);
    expect(messages.fileIdMesgs![0]).toMatchObject({ type: 'activity', manufacturer: 'development' });
  });

  it('records every valid reading: heart rate and timestamp (whole seconds), no gap', () => {
    const records = messages.recordMesgs!;
    expect(records.map((r) => r.heartRate)).toEqual(valid.map((r) => r.bpm));
    expect(records.map((r) => ms(r.timestamp))).toEqual(valid.map((r) => Math.floor(r.t / 1000) * 1000));
    expect(records.some((r) => r.heartRate === 0)).toBe(false);
  });

  it('keeps every RR interval of valid readings, in order, to the millisecond', () => {
    const decoded = messages.hrvMesgs!.flatMap((m) => m.time as number[]);
    const expected = valid.flatMap((r) => r.rr1024.map((rr) => Math.round((rr * 1000) / 1024) / 1000));
    expect(decoded).toHaveLength(expected.length);
    decoded.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    expect(messages.hrvMesgs!.every((m) => (m.time as number[]).length <= 5)).toBe(true);
  });

  it('writes one lap per phase with its times and intensity, then session and activity', () => {
    const laps = messages.lapMesgs!;
    expect(laps).toHaveLength(session.phases.length);
    laps.forEach((lap, i) => {
      const p = session.phases[i]!;
      expect(ms(lap.startTime)).toBe(Math.floor(p.start / 1000) * 1000);
      expect(ms(lap.timestamp)).toBe(Math.floor(p.end / 1000) * 1000);
      expect(lap.totalTimerTime).toBeCloseTo((p.end - p.start) / 1000, 3);
      expect(lap.intensity).toBe(p.kind === 'work' ? 'active' : 'rest');
    });
    const s = messages.sessionMesgs![0]!;
    expect(s).toMatchObject({ numLaps: session.phases.length, maxHeartRate: Math.max(...valid.map((r) => r.bpm)) });
    expect(ms(s.startTime)).toBe(Math.floor(session.startedAt / 1000) * 1000);
    expect(messages.activityMesgs![0]).toMatchObject({ numSessions: 1, type: 'manual' });
    const timer = messages.eventMesgs!.filter((e) => e.event === 'timer').map((e) => e.eventType);
    expect(timer).toEqual(['start', 'stopAll']);
  });

  it('two readings in one second give one record (the later) and keep both RR', () => {
    const t = session.startedAt;
    const two: ExportSession = {
      ...session,
      phases: [],
      endedAt: t + 2000,
      readings: [
        { t: t + 100, bpm: 100, rr1024: [600], contact: 'detected' },
        { t: t + 900, bpm: 101, rr1024: [610, 620, 630, 640, 650, 660], contact: 'detected' },
      ],
    };
    const d = decodeFit(toFit(two)).messages;
    expect(d.recordMesgs!.map((r) => r.heartRate)).toEqual([101]);
    expect(d.hrvMesgs!.map((m) => (m.time as number[]).length)).toEqual([1, 5, 1]);
  });

  it('hrvTimes rounds 1/1024 s to FIT 1 ms and splits by 5', () => {
    expect(hrvTimes([1024, 512, 1, 2, 3, 4])).toEqual([[1, 0.5, 0.001, 0.002, 0.003], [0.004]]);
    expect(fitSecond(631_065_601_999)).toBe(1);
  });
});

/** The zone's offset from UTC at `ms`, minutes, as the IANA database has it ("GMT+5:30" → 330). */
function zoneOffsetMinutes(timeZone: string, ms: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(ms).find((p) => p.type === 'timeZoneName')!.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

describe('toFit activity.local_timestamp', () => {
  // FIT profile, activity.local_timestamp: "timestamp epoch expressed in local time, used to
  // convert activity timestamps to local time"; so local_timestamp − timestamp is the offset.
  const winter = Date.UTC(2026, 0, 15, 7, 30);
  const summer = Date.UTC(2026, 6, 15, 7, 30);
  it.each([
    ['Europe/Berlin', 'January', winter, 60],
    ['Europe/Berlin', 'July', summer, 120],
    ['America/New_York', 'January', winter, -300],
    ['Asia/Kolkata', 'January', winter, 330],
  ])('%s in %s: local_timestamp − timestamp = offset', (zone, _month, startedAt, expected) => {
    const tzOffsetMinutes = zoneOffsetMinutes(zone, startedAt);
    expect(tzOffsetMinutes).toBe(expected);
    const { messages, errors } = decodeFit(toFit({ ...sampleSession({ startedAt }), tzOffsetMinutes }));
    expect(errors).toEqual([]);
    const activity = messages.activityMesgs![0]!;
    const utcSeconds = (ms(activity.timestamp) - FIT_EPOCH_MS) / 1000;
    expect((activity.localTimestamp as number) - utcSeconds).toBe(expected * 60);
  });
});

describe('toFit messages Garmin lists for an activity file', () => {
  const session = sampleSession();
  const { messages } = decodeFit(toFit(session));

  it('has every required message (file_id, activity, session, lap, record) and the recommended ones', () => {
    // FIT SDK "Activity File": required file_id, activity, session, lap, record;
    // recommended device_info (at least the creator's) and event (timer start/stop).
    for (const key of ['fileIdMesgs', 'activityMesgs', 'sessionMesgs', 'lapMesgs', 'recordMesgs', 'deviceInfoMesgs', 'eventMesgs']) {
      expect(messages[key]?.length ?? 0, key).toBeGreaterThan(0);
    }
  });

  it('device_info names the app as the creator (device index 0), at the start', () => {
    const infos = messages.deviceInfoMesgs!;
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({
      deviceIndex: 'creator',
      manufacturer: 'development',
      product: 0,
      productName: 'HRM',
      softwareVersion: FIT_CREATOR.softwareVersion,
      sourceType: 'local',
    });
    expect(ms(infos[0]!.timestamp)).toBe(Math.floor(session.startedAt / 1000) * 1000);
    expect(messages.fileIdMesgs![0]).toMatchObject({ manufacturer: 'development', product: 0, productName: 'HRM' });
  });

  it("the software version is the app's (package.json major.minor, FIT scale 100)", () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const [major, minor] = version.split('.').map(Number);
    expect(FIT_CREATOR.softwareVersion).toBe(major! + minor! / 100);
  });
});

describe('toFit calories', () => {
  it("the laps' total_calories add up to the session's", () => {
    const summary = { calories: { kcal: 3.4 } } as unknown as WorkoutSummary;
    const { messages } = decodeFit(toFit({ ...sampleSession(), summary }));
    const laps = messages.lapMesgs!.map((l) => l.totalCalories as number);
    expect(laps.reduce((a, b) => a + b, 0)).toBe(3);
    expect(messages.sessionMesgs![0]!.totalCalories).toBe(3);
  });
});
