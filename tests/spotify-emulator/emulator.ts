/**
 * A local Spotify for tests (spotify-emulator.md §2): one Hono app serving
 *   /accounts/authorize, /accounts/api/token   (SPOTIFY_ACCOUNTS_URL = <base>/accounts)
 *   /api/v1/...                                 (SPOTIFY_API_URL = <base>/api)
 *   /__emu/...                                  (control plane, test-only)
 * It never calls out (G7). Drive it with `app.request(...)` or serve it with @hono/node-server.
 */
import { Hono } from 'hono';
import { apiAuth } from './api-auth';
import { authorizeHandler } from './authorize';
import { createSystemClock, type ControllableClock } from './clock';
import { controlRoutes } from './control';
import { gate, realSleep, type Sleep } from './gate';
import type { Knobs } from './knobs';
import { meHandler } from './me';
import { activate, load } from './player';
import { pauseHandler, playHandler, skipHandler, transferHandler, volumeHandler } from './player-commands';
import { currentlyPlayingHandler, devicesHandler, playerStateHandler } from './player-read';
import { recentlyPlayedHandler } from './recently-played';
import { apiError, errorPage, type EmuEnv } from './responses';
import { searchHandler } from './search';
import { createState, playerOf, type ClientInput, type EmulatorState, type UserInput } from './state';
import { inspectTokenCall, tokenHandler } from './token';
import { addEntry } from './history';
import { settleRules } from './user-playback';

export const DEFAULT_CLIENT: ClientInput = {
  id: 'hrm-emulator-client',
  secret: 'hrm-emulator-secret',
  redirectUris: ['http://127.0.0.1/callback'],
};

export const DEMO_USER: UserInput = { id: 'demo', displayName: 'Demo Runner', product: 'premium' };

export interface SpotifyEmulatorOptions {
  clients?: ClientInput[];
  users?: UserInput[];
  knobs?: Partial<Knobs>;
  /** Default: wall time plus an offset that /__emu/clock moves. Tests pass a manual clock. */
  clock?: ControllableClock;
  seed?: number;
  /** Used for fault latency and the slow token endpoint; tests may pass an instant one. */
  sleep?: Sleep;
  /** Who /authorize logs in when no decision is scripted; default the first user; null shows a page. */
  autoApproveUser?: string | null;
  /** Give the first user a phone that is playing a playlist, and some history. */
  demo?: boolean;
}

export interface SpotifyEmulator {
  app: Hono<EmuEnv>;
  state: EmulatorState;
  reset(): void;
}

function seedDemo(emu: EmulatorState): void {
  const user = [...emu.users.keys()][0];
  if (user === undefined) return;
  const now = emu.clock.now();
  const p = playerOf(emu, user);
  p.devices = [
    { id: 'demo-phone', name: 'Demo Phone', type: 'Smartphone', volumePercent: 70, supportsVolume: false, isRestricted: false, isPrivateSession: false },
    { id: 'demo-speaker', name: 'Gym Speaker', type: 'Speaker', volumePercent: 40, supportsVolume: true, isRestricted: false, isPrivateSession: false },
  ];
  activate(p, now, 'demo-phone');
  const playlist = emu.catalog.playlists.get('37i9dQZF1DX76Wlfdnj7AP')!;
  const queue = playlist.itemIds.map((id) => emu.catalog.items.get(id)!);
  p.repeat = 'context';
  load(p, now, { queue, index: 0, positionMs: 42_000, context: { type: 'playlist', uri: `spotify:playlist:${playlist.id}` }, play: true }, settleRules(emu), () => {});
  let history = emu.history.get(user) ?? [];
  let end = now - 42_000;
  for (const id of ['1301WleyT98MSxVHPZCA6M', '5ghIJDpPoe3CfHMGu71E6T', '6rqhFgbbKwnb9MLmUQDhG6']) {
    const item = emu.catalog.items.get(id)!;
    history = addEntry(history, { item, playedAt: end, visibleAt: end, context: null }, now);
    end -= item.durationMs;
  }
  emu.history.set(user, history);
}

export function createSpotifyEmulator(options: SpotifyEmulatorOptions = {}): SpotifyEmulator {
  const clock = options.clock ?? createSystemClock();
  const sleep = options.sleep ?? realSleep;
  const seed = {
    clients: options.clients ?? [DEFAULT_CLIENT],
    users: options.users ?? [DEMO_USER],
    knobs: options.knobs ?? {},
    seed: options.seed ?? 0x5eed,
    autoApproveUser: options.autoApproveUser,
  };
  const emu = createState(clock, seed);
  if (options.demo) seedDemo(emu);
  const reset = () => {
    Object.assign(emu, createState(clock, seed));
    if (options.demo) seedDemo(emu);
  };

  const app = new Hono<EmuEnv>();
  app.use('/accounts/*', gate(emu, '/accounts', sleep, (c, entry) => (entry.route === 'POST /api/token' ? inspectTokenCall(c, entry, emu) : Promise.resolve())));
  app.get('/accounts/authorize', authorizeHandler(emu));
  app.post('/accounts/api/token', tokenHandler(emu, sleep));

  app.use('/api/*', gate(emu, '/api', sleep));
  app.use('/api/v1/*', apiAuth(emu));
  app.get('/api/v1/me', meHandler(emu));
  app.get('/api/v1/me/player', playerStateHandler(emu));
  app.put('/api/v1/me/player', transferHandler(emu));
  app.get('/api/v1/me/player/currently-playing', currentlyPlayingHandler(emu));
  app.get('/api/v1/me/player/devices', devicesHandler(emu));
  app.get('/api/v1/me/player/recently-played', recentlyPlayedHandler(emu));
  app.put('/api/v1/me/player/play', playHandler(emu));
  app.put('/api/v1/me/player/pause', pauseHandler(emu));
  app.post('/api/v1/me/player/next', skipHandler(emu, 'next'));
  app.post('/api/v1/me/player/previous', skipHandler(emu, 'previous'));
  app.put('/api/v1/me/player/volume', volumeHandler(emu));
  app.get('/api/v1/search', searchHandler(emu));

  app.route('/__emu', controlRoutes(emu, reset));

  app.notFound((c) => (c.req.path.startsWith('/api/') ? apiError(404, 'Service not found') : errorPage('Not found', 404)));
  app.onError((err) => apiError(500, `Emulator error: ${err instanceof Error ? err.message : String(err)}`));
  return { app, state: emu, reset };
}
