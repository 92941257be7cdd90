/**
 * After class on the hub (issue 15, "After class"): one strap's recording over one class run
 * becomes that participant's class workout, built exactly as a phone builds its own class
 * recording, so history, FIT export and figures are the same on every device:
 * - the recording's timer is the room's run seen on this device's clock (core/rooms
 *   recordingTimer, as the phone's class recorder follows it), stopped where the run ended;
 * - the summary is recording/session-summary `finishRecording` with the profile the participant
 *   joined with (rooms/join-profile: their member profile given with auto-join, or what the
 *   coach gave a guest), recorded as `class-join` in the execution record;
 * - the session record is storage/outbox `buildRecord` of a finished row carrying the room, and
 *   the readings are sample-codec chunks of CHUNK_READINGS, as the phone's recorder writes them;
 * - the class result is core/rooms `classResult`, as the phone posts it.
 * The server (sync-server/src/hubs/after-class.ts) gives the session its id and owner.
 */
import type { HubWorkoutBody, HubWorkoutChunk } from '$core/api';
import { classResult, recordingTimer, type ParticipantView } from '$core/rooms';
import { bytesToBase64, encodeChunk, formatHlc, hashChunk } from '$core/sync';
import { stopTimer, type TimerState } from '$core/workout';
import { pointsProfileOf } from '$lib/rooms/class-points';
import { joinProfile } from '$lib/rooms/join-profile';
import { finishRecording } from '$lib/recording/session-summary';
import { CHUNK_READINGS, type RecordedReading, type SessionRow } from '$lib/storage';
import { buildRecord, deviceTzOffsetMinutes } from '$lib/storage/outbox';

export interface StrapRun {
  /** The key the room knows the strap by (`ant:…`, `ble:…`). */
  strap: string;
  participant: ParticipantView;
  /** Every reading the hub recorded of the strap (any order; outside the run is left out). */
  readings: readonly RecordedReading[];
}

export interface RunContext {
  room: { id: string; name: string };
  /** The room's timer (server clock) with the run that is over. */
  timer: TimerState;
  /** Server clock − this device's clock. */
  offsetMs: number;
  /** This device's id for HLC stamps. */
  deviceId: string;
  now: number;
  tzOffsetMinutes?: (ms: number) => number;
}

/** Readings a workout needs at least (a strap heard for a moment before leaving is no workout). */
export const MIN_WORKOUT_READINGS = 5;

/** A placeholder wire id: the server replaces it with the participant's own (one per run). */
const PLACEHOLDER_ID = '00000000-0000-8000-8000-000000000000';

/** The run of `ctx.timer` on this device's clock, stopped where it ended (the coach's stop, or the plan running out). */
export function runOnThisDevice(ctx: RunContext): TimerState | null {
  const room = ctx.timer;
  if (room.startedAt === null) return null;
  const local = recordingTimer(room, ctx.offsetMs, Math.round(room.startedAt - ctx.offsetMs));
  return local.stoppedAt === null ? stopTimer(local, ctx.now).state : local;
}

/** The upload for one strap's run, or null when it has too few readings in the run. */
export async function buildHubWorkout(run: StrapRun, ctx: RunContext): Promise<HubWorkoutBody | null> {
  const timer = runOnThisDevice(ctx);
  if (!timer || ctx.timer.startedAt === null) return null;
  const startedAt = timer.startedAt!;
  const profile = joinProfile(null, run.participant);
  const inRun = [...run.readings].filter((r) => r.t >= startedAt && r.t <= timer.stoppedAt!).sort((a, b) => a.t - b.t);
  if (inRun.length < MIN_WORKOUT_READINGS) return null;
  const { endedAt, phases, summary } = finishRecording(timer, inRun, profile);
  const readings = inRun.filter((r) => r.t <= endedAt);
  const row: SessionRow = {
    id: PLACEHOLDER_ID,
    v: 1,
    status: 'finished',
    startedAt,
    endedAt,
    lastWriteAt: endedAt,
    title: ctx.room.name,
    notes: '',
    plan: timer.plan,
    timer,
    phases,
    gaps: [],
    source: 'strap',
    readingCount: readings.length,
    chunkCount: Math.ceil(readings.length / CHUNK_READINGS),
    profile,
    profileIsDefault: false,
    summary,
    updatedAt: ctx.now,
    room: { id: ctx.room.id, name: ctx.room.name, runStartedAt: ctx.timer.startedAt, profile },
    tzOffsetMinutes: (ctx.tzOffsetMinutes ?? deviceTzOffsetMinutes)(startedAt),
  };
  const session = buildRecord(row, PLACEHOLDER_ID, readings.length, formatHlc({ ms: ctx.now, counter: 0, deviceId: ctx.deviceId }));
  const chunks: HubWorkoutChunk[] = [];
  for (let i = 0; i < readings.length; i += CHUNK_READINGS) {
    const part = readings.slice(i, i + CHUNK_READINGS);
    const bytes = encodeChunk(part);
    chunks.push({
      index: chunks.length,
      sealed: true,
      payload: bytesToBase64(bytes),
      sha256: await hashChunk(bytes),
      readingCount: part.length,
      firstT: part[0]!.t,
      lastT: part[part.length - 1]!.t,
    });
  }
  const p = run.participant;
  const knowsPerson = !!(p.sex && p.weightKg && p.age);
  const result = classResult(readings, pointsProfileOf(p), timer, ctx.now, ctx.timer.startedAt, knowsPerson ? summary.calories.kcal : null);
  if (!result) return null;
  return { strap: run.strap, result, session, chunks };
}
