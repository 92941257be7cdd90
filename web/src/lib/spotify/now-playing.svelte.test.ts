import { describe, expect, it } from 'vitest';
import type { ApiResult } from '$lib/api';
import type { NowPlaying, SpotifyApi } from '$lib/api/spotify-api';
import { NowPlayingModel } from './now-playing.svelte';

function apiAnswering(answer: () => ApiResult<NowPlaying>) {
  let calls = 0;
  const api = {
    nowPlaying: async () => {
      calls++;
      return answer();
    },
  } as unknown as SpotifyApi;
  return { api, calls: () => calls };
}

describe('NowPlayingModel', () => {
  it('a 401 means signed out: the bar turns off (no more polls) and the app is told', async () => {
    const { api } = apiAnswering(() => ({ ok: false, error: { status: 401, code: 'unauthenticated', message: 'Sign in to continue.', requestId: null } }));
    let told = 0;
    const model = new NowPlayingModel(api, () => 0, () => told++);
    await model.refresh();
    expect(model.connection).toBe('off');
    expect(model.notice).toBeNull();
    expect(told).toBe(1);
  });

  it('Spotify not connected also turns the bar off, without signing out', async () => {
    const { api } = apiAnswering(() => ({ ok: false, error: { status: 409, code: 'spotify_not_connected', message: '', requestId: null } }));
    let told = 0;
    const model = new NowPlayingModel(api, () => 0, () => told++);
    await model.refresh();
    expect(model.connection).toBe('off');
    expect(told).toBe(0);
  });
});
