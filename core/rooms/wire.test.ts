import { describe, expect, it } from 'vitest';
import { createTimer, tabataPlan } from '../workout';
import { applyTimerCommand } from './timer-commands';
import { ClientMessageSchema, parseClientMessage, parseServerMessage } from './wire';

describe('live wire', () => {
  it('parses client messages by role and refuses the rest', () => {
    expect(parseClientMessage('{"type":"hello","v":1,"role":"control"}').ok).toBe(true);
    expect(parseClientMessage(JSON.stringify({ type: 'hello', v: 1, role: 'display', token: 'x'.repeat(40) })).ok).toBe(true);
    expect(parseClientMessage('{"type":"hello","v":1,"role":"display"}').ok).toBe(false);
    expect(parseClientMessage('{"type":"hello","v":2,"role":"control"}').ok).toBe(false);
    expect(parseClientMessage('{"type":"hr","bpm":140}').ok).toBe(true);
    expect(parseClientMessage('{"type":"hr","bpm":0}').ok).toBe(false);
    expect(parseClientMessage('{"type":"hr","bpm":140,"at":5}').ok).toBe(false); // clients never send server times
    expect(parseClientMessage('{"type":"hr","bpm":140,"seq":3,"t":1234.5}').ok).toBe(true); // their own clock, for pacing
    expect(parseClientMessage('{"type":"hr","bpm":140,"seq":3}').ok).toBe(false); // seq and t go together
    expect(parseClientMessage('{"type":"hr","bpm":140,"seq":-1,"t":5}').ok).toBe(false);
    expect(parseClientMessage('{"type":"timer","command":"start"}').ok).toBe(true);
    expect(parseClientMessage('{"type":"timer","command":"change-plan"}').ok).toBe(false);
    expect(parseClientMessage(JSON.stringify({ type: 'timer', command: 'change-plan', plan: tabataPlan(4) })).ok).toBe(true);
    expect(parseClientMessage('nope')).toMatchObject({ ok: false, code: 'invalid-message' });
  });

  it('checks a frame by its type exactly as the whole union does', () => {
    const frames: unknown[] = [
      { type: 'hello', v: 1, role: 'control' },
      { type: 'hello', v: 1, role: 'participant', token: 'y'.repeat(30) },
      { type: 'hello', v: 1, role: 'participant' },
      { type: 'ping', id: 3, t0: 1.5 },
      { type: 'ping', id: -1, t0: 1 },
      { type: 'hr', bpm: 150, kcal: 12.5, points: 7, seq: 1, t: 2 },
      { type: 'hr', bpm: 150, participantId: 'abcdefghijklmno' },
      { type: 'hr', bpm: 150, extra: true },
      { type: 'hr', bpm: '150' },
      { type: 'timer', command: 'skip', ifRevision: 3, requestId: 'r1' },
      { type: 'timer', command: 'jump' },
      { type: 'toString', bpm: 1 },
      { type: '__proto__' },
      { type: 7 },
      { bpm: 150 },
      [],
      null,
      'hr',
    ];
    for (const f of frames) {
      const union = ClientMessageSchema.safeParse(f);
      const mine = parseClientMessage(JSON.stringify(f));
      expect(mine.ok, JSON.stringify(f)).toBe(union.success);
      if (mine.ok && union.success) expect(mine.message).toEqual(union.data);
    }
  });

  it('parses server messages', () => {
    const r = parseServerMessage(JSON.stringify({ type: 'timer', state: createTimer(tabataPlan()) }));
    expect(r.ok).toBe(true);
    expect(parseServerMessage('{"type":"pong","id":1,"t0":5,"serverTime":9}').ok).toBe(true);
  });
});

describe('timer commands', () => {
  it('applies by name and change-plan keeps counting revisions', () => {
    const t0 = createTimer(tabataPlan());
    const started = applyTimerCommand(t0, 'start', 1_000);
    expect(started).toMatchObject({ ok: true, state: { revision: 1, startedAt: 1_000 } });
    expect(applyTimerCommand(started.state, 'resume', 2_000)).toMatchObject({ ok: false, code: 'not-paused' });
    const changed = applyTimerCommand(started.state, 'change-plan', 3_000, tabataPlan(2));
    expect(changed.ok).toBe(true);
    expect(changed.state).toMatchObject({ revision: 2, updatedAt: 3_000, startedAt: null });
    expect(changed.state.plan).toEqual(tabataPlan(2));
  });
});

describe('initialsOf', () => {
  it('shows at most three initials, letters of any script, never an empty name', async () => {
    const { initialsOf } = await import('./wire');
    expect(initialsOf('Ann Marie Smith-Jones')).toBe('AMS');
    expect(initialsOf('  bea  ')).toBe('B');
    expect(initialsOf('Élodie Ørsted')).toBe('ÉØ');
    expect(initialsOf('Member m8x2 k9')).toBe('MMK');
    expect(initialsOf('--- ')).toBe('?');
  });
});
