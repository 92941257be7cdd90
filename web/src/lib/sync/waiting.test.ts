import { describe, expect, it } from 'vitest';
import { waitingToSync } from './waiting';

describe('waitingToSync', () => {
  it('counts a workout once however many chunks it has, and other changes apart', () => {
    expect(waitingToSync([])).toEqual({ workouts: 0, otherChanges: 0 });
    expect(
      waitingToSync([
        { type: 'session.upsert', sessionId: 'a' },
        { type: 'chunk.put', sessionId: 'a' },
        { type: 'chunk.put', sessionId: 'a' },
        { type: 'chunk.put', sessionId: 'b' },
        { type: 'session.patch', sessionId: 'c' },
        { type: 'doc.patch', sessionId: 'profile' },
      ]),
    ).toEqual({ workouts: 2, otherChanges: 2 });
  });
});
