import { describe, expect, it } from 'vitest';
import { HubWorkoutBodySchema } from '$core/api';
import type { ParticipantView } from '$core/rooms';
import { base64ToBytes, decodeChunk, hashChunk } from '$core/sync';
import { createTimer, startTimer, stopTimer, tabataPlan } from '$core/workout';
import type { RecordedReading } from '$lib/storage';
import { buildHubWorkout, MIN_WORKOUT_READINGS } from './after-class';

const T0 = 1_764_700_000_000;
const OFFSET = 1_500; // server clock − hub clock
const plan = tabataPlan(2);
const started = startTimer(createTimer(plan), T0).state;
const roomTimer = stopTimer(started, T0 + 120_000).state;
const participant: ParticipantView = { id: 'p1234567890abcd', name: 'Ann Member', age: 40, sex: 'female', weightKg: 60, maxHr: 180, restingHr: 55, member: true, joinedAt: T0 - 60_000 };
/** 4 Hz readings on the hub's clock, from before the run to after it. */
const readings: RecordedReading[] = Array.from({ length: 4 * 200 }, (_, i) => ({ t: T0 - OFFSET - 30_000 + i * 250, bpm: 120 + (i % 40), rr1024: [500], contact: 'unsupported', energyKj: null }));
const ctx = { room: { id: 'r1234567890abcd', name: 'Tuesday HIIT' }, timer: roomTimer, offsetMs: OFFSET, deviceId: 'hub-test', now: T0 + 200_000, tzOffsetMinutes: () => 60 };

describe('a strap’s class workout built on the hub', () => {
  it('is the class recording a phone would sync: the room’s intervals, the join profile, the run’s readings in sealed chunks', async () => {
    const body = (await buildHubWorkout({ strap: 'ant:4821', participant, readings }, ctx))!;
    expect(HubWorkoutBodySchema.safeParse(body).success).toBe(true);
    const { session } = body;
    expect(session.startedAt).toBe(T0 - OFFSET);
    expect(session.plan).toEqual({ planId: 'room:r1234567890abcd', name: plan.name });
    expect(session.title.value).toBe('Tuesday HIIT');
    expect(session.execution).toMatchObject({ profileSource: 'class-join', profile: { age: 40, sex: 'female', weightKg: 60, maxHr: 180, restingHr: 55 }, tzOffsetMinutes: 60 });
    expect(session.execution!.timer.stoppedAt).toBe(T0 + 120_000 - OFFSET);
    // Work and rest intervals of the room's plan, as on the phone.
    expect(session.execution!.summary.intervals.map((i) => i.kind)).toContain('rest');

    // Only the run's readings (up to the plan's end: it ran out before the coach's stop, as on
    // the phone), in order, 60 a chunk, every chunk's hash right.
    const endedAt = session.summary!.endedAt;
    expect(endedAt).toBeLessThan(T0 + 120_000 - OFFSET);
    const inRun = readings.filter((r) => r.t >= T0 - OFFSET && r.t <= endedAt);
    const decoded = body.chunks.flatMap((c) => {
      const d = decodeChunk(base64ToBytes(c.payload));
      return d.ok ? d.readings : [];
    });
    expect(decoded.map((r) => r.t)).toEqual(inRun.map((r) => r.t));
    expect(body.chunks.every((c) => c.sealed && c.readingCount <= 60)).toBe(true);
    for (const c of body.chunks) expect(c.sha256).toBe(await hashChunk(base64ToBytes(c.payload)));
    expect(session.summary).toMatchObject({ readingCount: inRun.length });

    // The class result as the phone posts it: same run, points, calories known from the profile.
    expect(body.result.runStartedAt).toBe(T0);
    expect(body.result.points).toBeGreaterThan(0);
    expect(body.result.kcal).not.toBeNull();
  });

  it('leaves out a strap heard only for a moment, and a guest without a profile gets no calorie figure', async () => {
    expect(await buildHubWorkout({ strap: 'ant:1', participant, readings: readings.slice(200, 200 + MIN_WORKOUT_READINGS - 1) }, ctx)).toBeNull();
    const guest = { ...participant, name: 'Strap 4821', age: null, sex: null, weightKg: null, maxHr: null, restingHr: null, member: false };
    const body = (await buildHubWorkout({ strap: 'ant:4821', participant: guest, readings }, ctx))!;
    expect(body.result.kcal).toBeNull();
    expect(body.session.execution?.profileSource).toBe('class-join');
  });
});
