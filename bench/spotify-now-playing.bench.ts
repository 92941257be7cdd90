/**
 * Now playing through the sync server with a warm cache, against the Spotify emulator asked
 * directly: requests per second and p99 latency at C concurrent clients, and how many Spotify
 * calls the server made per 1000 member requests (its cache shares one upstream call per member
 * per few seconds). The emulator runs in this process (as in the integration tests); the sync
 * server and PocketBase are their own processes.
 * Run: node --import tsx bench/spotify-now-playing.bench.ts   (SECONDS=5 CONCURRENCY=16 by default)
 */
import { startTestPocketBase } from '../tests/support/pocketbase';
import { connected, startEmulator, startSpotifyServer, calls } from '../tests/integration/spotify-support';

const SECONDS = Number(process.env.SECONDS ?? 5);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);

async function load(label: string, request: () => Promise<Response>) {
  const latencies: number[] = [];
  let failures = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const res = await request();
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.status !== 200) failures++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(1);
  console.log(
    `${label.padEnd(34)} ${(latencies.length / SECONDS).toFixed(0).padStart(6)} req/s   p50 ${pct(0.5).padStart(6)} ms   p99 ${pct(0.99).padStart(6)} ms   non-200: ${failures}`,
  );
  return latencies.length;
}

const pb = await startTestPocketBase();
const emu = await startEmulator();
const server = await startSpotifyServer(pb, emu, { LOG_LEVEL: 'warn', SPOTIFY_CALLS_PER_30S: '100000' });
try {
  const m = await connected(server, emu);
  const cookie = [...m.c.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const viaServer = () => fetch(`${server.url}/api/v1/spotify/now-playing`, { headers: { cookie } });
  if ((await viaServer()).status !== 200) throw new Error('now playing does not answer 200');

  console.log(`now playing, ${CONCURRENCY} concurrent clients, ${SECONDS} s each`);
  const before = await calls(emu, m.spotifyUser, 'GET /v1/me/player/currently-playing');
  const n = await load('through the sync server (cached)', viaServer);
  const upstream = (await calls(emu, m.spotifyUser, 'GET /v1/me/player/currently-playing')) - before;
  await load('sync server /api/v1/me (baseline)', () => fetch(`${server.url}/api/v1/me`, { headers: { cookie } }));
  const tokens = await emu.ctl(`/tokens?user=${m.spotifyUser}`);
  const accessToken = tokens.accessTokens.find((t: { state: string }) => t.state === 'active').token as string;
  await load('Spotify emulator directly', () =>
    fetch(`${emu.apiUrl}/v1/me/player/currently-playing`, { headers: { authorization: `Bearer ${accessToken}` } }),
  );
  console.log(`Spotify calls by the server: ${upstream} for ${n} member requests = ${((upstream / n) * 1000).toFixed(2)} per 1000`);
} finally {
  await server.stop();
  await emu.close();
  await pb.dispose();
}
