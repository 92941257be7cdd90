import { describe, expect, it } from 'vitest';
import type { SpokenCue } from './cues';
import { CUE_TTL_MS, EMPTY_CUE_QUEUE, clearQueue, ended, enqueue, speechEstimateMs, step, type BeepWindow, type CueAction, type CueQueue } from './cue-queue';

const cue = (kind: SpokenCue['kind'], at: number, text: string = kind): SpokenCue => ({ id: `${kind}@${at}`, kind, at, text });
const said = (actions: CueAction[]) => actions.map((a) => `${a.type}:${a.cue.id}${a.type === 'cancel' ? `(${a.reason})` : ''}`);

/** Runs the queue like the controller: a tick every 100 ms, each utterance lasting its estimate. */
function run(cues: SpokenCue[], until: number, beeps: BeepWindow[] = [], speakMs: (c: SpokenCue) => number = (c) => speechEstimateMs(c.text)) {
  let queue: CueQueue = enqueue(EMPTY_CUE_QUEUE, cues);
  const log: Array<{ id: string; start: number; end: number }> = [];
  let current = null as { id: string; endsAt: number } | null;
  for (let now = 0; now <= until; now += 100) {
    if (current && now >= current.endsAt) {
      queue = ended(queue, current.id);
      current = null;
    }
    const r = step(queue, now, beeps);
    queue = r.queue;
    for (const a of r.actions) {
      if (a.type === 'cancel' && current?.id === a.cue.id) {
        log.at(-1)!.end = now;
        current = null;
      }
      if (a.type === 'speak') {
        expect(current, `${a.cue.id} started while ${current?.id} was speaking`).toBeNull();
        current = { id: a.cue.id, endsAt: now + speakMs(a.cue) };
        log.push({ id: a.cue.id, start: now, end: now + speakMs(a.cue) });
      }
    }
  }
  return log;
}

describe('cue queue', () => {
  it('says one cue at a time, in time order, the next only after the last ended', () => {
    const log = run([cue('halfway', 0, 'Halfway'), cue('countdown', 200, '10 seconds'), cue('target', 300, 'Speed up')], 10_000);
    expect(log.map((l) => l.id)).toEqual(['halfway@0', 'countdown@200', 'target@300']);
    for (let i = 1; i < log.length; i++) expect(log[i]!.start).toBeGreaterThanOrEqual(log[i - 1]!.end);
  });

  it('says the higher priority first among due cues', () => {
    const log = run([cue('halfway', 0), cue('phase', 0, 'Work'), cue('countdown', 0)], 10_000);
    expect(log.map((l) => l.id)).toEqual(['phase@0', 'countdown@0', 'halfway@0']);
  });

  it('a phase change pre-empts a countdown being said, and drops the cues due before it', () => {
    let q = enqueue(EMPTY_CUE_QUEUE, [cue('countdown', 0, '10 seconds'), cue('halfway', 100)]);
    let r = step(q, 0);
    expect(said(r.actions)).toEqual(['speak:countdown@0']);
    q = enqueue(r.queue, [cue('phase', 200, 'Rest')]);
    expect(q.pending.map((c) => c.id)).toEqual(['phase@200']);
    r = step(q, 200);
    expect(said(r.actions)).toEqual(['cancel:countdown@0(pre-empted)', 'speak:phase@200']);
  });

  it('an equal or lower priority never interrupts: it waits', () => {
    const q = enqueue(EMPTY_CUE_QUEUE, [cue('target', 0, 'Speed up')]);
    const first = step(q, 0);
    const r = step(enqueue(first.queue, [cue('countdown', 100), cue('halfway', 100)]), 100);
    expect(r.actions).toEqual([]);
    expect(r.queue.speaking?.cue.id).toBe('target@0');
  });

  it('a newer target hint replaces a waiting one; a cue listed twice is said once', () => {
    let q = enqueue(EMPTY_CUE_QUEUE, [cue('phase', 0, 'Work')]);
    q = step(q, 0).queue;
    q = enqueue(q, [cue('target', 100, 'Speed up'), cue('target', 200, 'On target'), cue('phase', 0, 'Work')]);
    expect(q.pending.map((c) => c.text)).toEqual(['On target']);
  });

  it('drops a cue it could not say within its time to live', () => {
    const q = enqueue(EMPTY_CUE_QUEUE, [cue('phase', 0, 'x'.repeat(200)), cue('countdown', 100)]);
    const log = run(q.pending as SpokenCue[], 30_000);
    expect(log.map((l) => l.id)).toEqual(['phase@0']);
    expect(speechEstimateMs('x'.repeat(200))).toBeGreaterThan(CUE_TTL_MS.countdown);
  });

  it('never starts inside a beep or when it would run into the next one; cancels one a beep catches', () => {
    // A long beep at 1000-1700 ms; "On target" (~930 ms) is due at 500 ms: it would run into it.
    const beeps = [{ start: 1_000, end: 1_700 }];
    const log = run([cue('target', 500, 'On target')], 5_000, beeps);
    expect(log).toEqual([{ id: 'target@500', start: 1_700, end: 1_700 + speechEstimateMs('On target') }]);
    // An utterance far longer than its estimate is cut when the beep comes.
    const slow = run([cue('target', 0, 'Ease off')], 5_000, beeps, () => 3_000);
    expect(slow).toEqual([{ id: 'target@0', start: 0, end: 1_000 }]);
  });

  it('gives up on an utterance whose end never comes, then says the next', () => {
    let q = step(enqueue(EMPTY_CUE_QUEUE, [cue('countdown', 0, '10 seconds')]), 0).queue;
    q = enqueue(q, [cue('target', 100, 'Ease off')]);
    const late = 2 * speechEstimateMs('10 seconds') + 2_001;
    expect(said(step(q, late - 1).actions)).toEqual([]);
    expect(said(step(q, late).actions)).toEqual(['cancel:countdown@0(timeout)', 'speak:target@100']);
  });

  it('an end for another utterance changes nothing; clearing cancels what is said', () => {
    const q = step(enqueue(EMPTY_CUE_QUEUE, [cue('phase', 0, 'Work'), cue('halfway', 0)]), 0).queue;
    expect(ended(q, 'other')).toBe(q);
    const cleared = clearQueue(q);
    expect(said(cleared.actions)).toEqual(['cancel:phase@0(cleared)']);
    expect(cleared.queue.pending).toEqual([]);
    expect(enqueue(cleared.queue, [cue('phase', 0, 'Work')]).pending).toEqual([]);
  });
});
