/**
 * Which cut-off recording goes on by itself when the app opens again. A reload, a renderer crash
 * or a tab the phone killed in the background leaves a session 'recording' (recorder.ts); if the
 * member is plainly still in that workout, asking them to tap Resume only loses readings.
 */
import type { SessionRow } from '$lib/storage';

/**
 * A cut-off session written this recently is resumed without asking: long enough for a crashed
 * tab to be reopened, short enough that a workout abandoned earlier is not revived.
 */
export const AUTO_RESUME_WINDOW_MS = 10 * 60_000;

/**
 * The session to resume without a tap, or null. Only a workout of this phone's own (a class
 * recording is resumed by its class page, which re-attaches it to the room), only one the member
 * had not stopped (a Stop cut off in its undo window is theirs to take back on the banner), and
 * of several the one written last. The others stay on the banner.
 */
export function sessionToAutoResume(cutOff: readonly SessionRow[], now: number, windowMs: number = AUTO_RESUME_WINDOW_MS): SessionRow | null {
  let best: SessionRow | null = null;
  for (const s of cutOff) {
    if (s.status !== 'recording' || s.room || s.timer.startedAt === null || s.timer.stoppedAt !== null) continue;
    if (now - s.lastWriteAt >= windowMs) continue;
    if (!best || s.lastWriteAt > best.lastWriteAt) best = s;
  }
  return best;
}
