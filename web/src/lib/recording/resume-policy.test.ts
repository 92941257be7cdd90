import { describe, expect, it } from 'vitest';
import { createTimer, startTimer, stopTimer, stopwatchPlan } from '$core/workout';
import type { SessionRow } from '$lib/storage';
import { AUTO_RESUME_WINDOW_MS, sessionToAutoResume } from './resume-policy';

const NOW = 1_700_000_000_000;
const running = startTimer(createTimer(stopwatchPlan()), NOW - 600_000).state;

function row(id: string, over: Partial<SessionRow> = {}): SessionRow {
  return { id, status: 'recording', lastWriteAt: NOW - 2_000, timer: running, ...over } as SessionRow;
}

describe('sessionToAutoResume', () => {
  it('resumes a workout cut off moments ago (a reload or a crash)', () => {
    expect(sessionToAutoResume([row('a')], NOW)?.id).toBe('a');
  });

  it('leaves one written longer ago than the window to the banner', () => {
    expect(sessionToAutoResume([row('a', { lastWriteAt: NOW - AUTO_RESUME_WINDOW_MS })], NOW)).toBeNull();
    expect(sessionToAutoResume([row('a', { lastWriteAt: NOW - AUTO_RESUME_WINDOW_MS + 1 })], NOW)?.id).toBe('a');
    expect(sessionToAutoResume([row('a')], NOW, 0)).toBeNull();
  });

  it('never resumes a class recording (its class page does), one the member stopped, or one never started', () => {
    const room = { id: 'room00000000001', name: 'Class', runStartedAt: NOW - 60_000, pastRunStartedAt: null };
    expect(sessionToAutoResume([row('class', { room })], NOW)).toBeNull();
    expect(sessionToAutoResume([row('stopped', { timer: stopTimer(running, NOW - 3_000).state })], NOW)).toBeNull();
    expect(sessionToAutoResume([row('new', { timer: createTimer(stopwatchPlan()) })], NOW)).toBeNull();
    expect(sessionToAutoResume([row('done', { status: 'finished' })], NOW)).toBeNull();
  });

  it('of several, takes the one written last', () => {
    const picked = sessionToAutoResume([row('old', { lastWriteAt: NOW - 60_000 }), row('new', { lastWriteAt: NOW - 1_000 }), row('mid', { lastWriteAt: NOW - 5_000 })], NOW);
    expect(picked?.id).toBe('new');
  });
});
