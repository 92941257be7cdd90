import { describe, expect, it } from 'vitest';
import { webAudioCuePlayer } from './cue-player';

/** An AudioContext as far as autoUnlock looks at it: a state and its statechange event. */
class FakeContext extends EventTarget {
  constructor(public state: AudioContextState) {
    super();
  }
  become(state: AudioContextState) {
    this.state = state;
    this.dispatchEvent(new Event('statechange'));
  }
}

function player(ctx: FakeContext) {
  let made = 0;
  const p = webAudioCuePlayer(() => {
    made++;
    return ctx as unknown as AudioContext;
  });
  return { p, made: () => made };
}

describe('webAudioCuePlayer.autoUnlock', () => {
  it('is on at once where the browser lets the page play', async () => {
    const { p } = player(new FakeContext('running'));
    expect(await p.autoUnlock(10)).toBe(true);
  });

  it('is on when the context starts by itself within the wait', async () => {
    const ctx = new FakeContext('suspended');
    const { p } = player(ctx);
    const on = p.autoUnlock(1_000);
    setTimeout(() => ctx.become('running'), 5);
    expect(await on).toBe(true);
  });

  it('says a gesture is needed when the context stays suspended, and unlock reuses that context', async () => {
    const ctx = new FakeContext('suspended');
    const { p, made } = player(ctx);
    expect(await p.autoUnlock(10)).toBe(false);
    let resumed = 0;
    (ctx as unknown as { resume(): Promise<void> }).resume = async () => {
      resumed++;
      ctx.become('running');
    };
    await p.unlock();
    expect(resumed).toBe(1);
    expect(made()).toBe(1);
  });
});
