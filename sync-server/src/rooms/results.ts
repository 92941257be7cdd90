/**
 * Class results (issue 14, "After class"): each participant's phone posts its result of a run
 * (core/rooms/class-result.ts) with its participant token; the room's coaches read a report of
 * the latest classes, as JSON for the app and as CSV. The result is the phone's own, worked out
 * from the readings and the points the tiles showed, so report and screen agree.
 */
import { randomBytes } from 'node:crypto';
import type { ClassResult } from '../../../core/rooms';
import type { ClaimedResult, RoomReport } from '../../../core/api/rooms';
import { AppError } from '../http/errors';
import { secretMatches, sha256 } from './credentials';
import type { ResultStore } from './result-store';
import type { RoomService } from './service';

/** Classes in a report. */
export const REPORT_CLASSES = 16;
/** A result may be posted this long after its run started (a phone that was offline at the end). */
const LATE_POST_MS = 7 * 24 * 3600_000;
/** A guest's claim link works this long after the class started. */
export const CLAIM_VALID_MS = 7 * 24 * 3600_000;

/**
 * A guest's claim link token: `<participant id>.<run start>.<secret>`. The result row keeps only
 * the secret's SHA-256 (as for every token, credentials.ts); a later post replaces it.
 */
function newClaim(participantId: string, runStartedAt: number) {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${participantId}.${runStartedAt}.${secret}`, hash: sha256(secret) };
}
function splitClaim(token: string) {
  const m = /^([a-z0-9]{15})\.(\d{1,16})\.([A-Za-z0-9_-]{40,60})$/.exec(token);
  return m ? { participant: m[1]!, runStartedAt: Number(m[2]), secret: m[3]! } : null;
}

export function createClassResults(deps: {
  rooms: Pick<RoomService, 'authenticateParticipant' | 'coachRoom'>;
  results: ResultStore;
  now: () => number;
  /** A member's phone says it recorded the run as a workout (the hub's copy then goes: hubs/after-class.ts). */
  phoneRecorded?: (userId: string, roomId: string, runStartedAt: number) => Promise<void>;
  /** A guest's result was claimed: what else the class left for them follows (a hub's workout). */
  claimed?: (participantId: string, runStartedAt: number, userId: string) => Promise<void>;
}) {
  const { rooms, results, now } = deps;
  /** Stores a participant's result; a guest gets the token of a link that attaches it to an account later. */
  async function submitFor(roomId: string, p: { id: string; user: string; name: string }, result: ClassResult): Promise<{ claimToken: string | null }> {
    const t = now();
    if (result.runStartedAt > t + 60_000 || result.runStartedAt < t - LATE_POST_MS) {
      throw new AppError('invalid_body', 'runStartedAt: not a class of this week');
    }
    const claim = p.user ? null : newClaim(p.id, result.runStartedAt);
    await results.put({ room: roomId, participant: p.id, user: p.user, name: p.name, result, claimHash: claim?.hash ?? '' }, t);
    return { claimToken: claim?.token ?? null };
  }
  return {
    submitFor,
    /** The participant's phone posts its result (with its participant token). */
    async submit(roomId: string, token: string, result: ClassResult, opts: { recordedOnPhone?: boolean } = {}): Promise<{ claimToken: string | null }> {
      const p = await rooms.authenticateParticipant(roomId, token);
      if (!p) throw new AppError('unauthenticated', 'Not a participant of this room.');
      const posted = await submitFor(roomId, p, result);
      if (p.user && opts.recordedOnPhone && deps.phoneRecorded) await deps.phoneRecorded(p.user, roomId, result.runStartedAt);
      return posted;
    },

    /** Attaches a guest's result to the signed-in member, with the link's token, once. */
    async claim(token: string, userId: string): Promise<ClaimedResult> {
      const c = splitClaim(token);
      const row = c ? await results.result(c.participant, c.runStartedAt) : null;
      if (!c || !row || !row.claimHash || !secretMatches(c.secret, row.claimHash)) throw new AppError('not_found', 'This link does not belong to a class result.');
      if (now() - row.runStartedAt > CLAIM_VALID_MS) throw new AppError('not_found', 'This link has expired: it works for a week after the class.');
      const outcome = await results.claim(row.id, userId);
      if (outcome === 'gone') throw new AppError('not_found', 'This class result no longer exists.');
      if (outcome === 'taken') throw new AppError('conflict', 'This class result is already on another account.');
      await deps.claimed?.(row.participant, row.runStartedAt, userId);
      return { runStartedAt: row.runStartedAt, name: row.name, points: row.result.points };
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
            .map(({ participant, name, user, claimedBy, result: { runStartedAt: _run, ...r } }) => ({ participantId: participant, name, member: user !== '' || claimedBy !== '', ...r }))
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
