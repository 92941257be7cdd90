/**
 * Class results (issue 14, "After class"): each participant's phone posts its result of a run
 * (core/rooms/class-result.ts) with its participant token; the room's coaches read a report of
 * the latest classes, as JSON for the app and as CSV. The result is the phone's own, worked out
 * from the readings and the points the tiles showed, so report and screen agree.
 */
import type { ClassResult } from '../../../core/rooms';
import type { RoomReport } from '../../../core/api/rooms';
import { AppError } from '../http/errors';
import type { ResultStore } from './result-store';
import type { RoomService } from './service';

/** Classes in a report. */
export const REPORT_CLASSES = 16;
/** A result may be posted this long after its run started (a phone that was offline at the end). */
const LATE_POST_MS = 7 * 24 * 3600_000;

export function createClassResults(deps: { rooms: Pick<RoomService, 'authenticateParticipant' | 'coachRoom'>; results: ResultStore; now: () => number }) {
  const { rooms, results, now } = deps;
  return {
    async submit(roomId: string, token: string, result: ClassResult): Promise<void> {
      const p = await rooms.authenticateParticipant(roomId, token);
      if (!p) throw new AppError('unauthenticated', 'Not a participant of this room.');
      const t = now();
      if (result.runStartedAt > t + 60_000 || result.runStartedAt < t - LATE_POST_MS) {
        throw new AppError('invalid_body', 'runStartedAt: not a class of this week');
      }
      await results.put({ room: roomId, participant: p.id, user: p.user, name: p.name, result }, t);
    },

    async report(roomId: string, userId: string): Promise<RoomReport> {
      const room = await rooms.coachRoom(roomId, userId);
      const rows = await results.forRoom(roomId, REPORT_CLASSES);
      const runs = [...new Set(rows.map((r) => r.runStartedAt))];
      return {
        room: { id: room.id, name: room.name },
        classes: runs.map((run) => {
          const mine = rows.filter((r) => r.runStartedAt === run);
          const participants = mine
            .map(({ participant, name, user, result: { runStartedAt: _run, ...r } }) => ({ participantId: participant, name, member: user !== '', ...r }))
            .sort((a, b) => b.points - a.points || a.name.localeCompare(b.name));
          const withHr = participants.filter((p) => p.avgBpm !== null);
          return {
            runStartedAt: run,
            attendance: participants.length,
            averages: {
              points: Math.round((participants.reduce((s, p) => s + p.points, 0) / participants.length) * 10) / 10,
              avgBpm: withHr.length ? Math.round(withHr.reduce((s, p) => s + p.avgBpm!, 0) / withHr.length) : null,
            },
            participants,
          };
        }),
      };
    },
  };
}

export type ClassResults = ReturnType<typeof createClassResults>;

/** The report as CSV (RFC 4180): one line per participant and class; times in whole seconds. */
export function reportCsv(report: RoomReport): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    // A leading =, +, - or @ would be a formula in a spreadsheet (OWASP CSV injection).
    const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const head = ['class_start_utc', 'room', 'name', 'member', 'points', 'avg_bpm', 'peak_bpm', 'kcal', 'active_s', 's_0pt', 's_1pt', 's_2pt', 's_3pt', 's_4pt'];
  const lines = [head.join(',')];
  for (const c of report.classes) {
    for (const p of c.participants) {
      lines.push(
        [
          new Date(c.runStartedAt).toISOString(),
          report.room.name,
          p.name,
          p.member ? 'yes' : 'no',
          p.points,
          p.avgBpm,
          p.peakBpm,
          p.kcal,
          Math.round(p.activeMs / 1000),
          ...p.bandMs.map((ms) => Math.round(ms / 1000)),
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
