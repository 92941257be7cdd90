import { describe, expect, it } from 'vitest';
import { waitingText } from './waiting-text';

describe('waitingText', () => {
  it('names workouts first and other changes after, in the singular or plural', () => {
    expect(waitingText({ workouts: 0, otherChanges: 0 })).toBe('');
    expect(waitingText({ workouts: 1, otherChanges: 0 })).toBe('1 workout');
    expect(waitingText({ workouts: 2, otherChanges: 1 })).toBe('2 workouts and 1 other change');
    expect(waitingText({ workouts: 0, otherChanges: 3 })).toBe('3 changes');
  });
});
