/**
 * Run the emulator on a socket:
 *   node --import tsx tests/spotify-emulator/main.ts --port 8791 \
 *     [--client-id X --client-secret Y --redirect-uri URI ...] [--no-demo] [--clock manual] [--seed N]
 * Prints one JSON line when listening: {"event":"listening","accountsUrl":…,"apiUrl":…,…}.
 */
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { createManualClock, createSystemClock, DEFAULT_START_MS } from './clock';
import { createSpotifyEmulator, DEFAULT_CLIENT, DEMO_USER } from './emulator';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8791' },
    host: { type: 'string', default: '127.0.0.1' },
    'client-id': { type: 'string', default: DEFAULT_CLIENT.id },
    'client-secret': { type: 'string', default: DEFAULT_CLIENT.secret },
    'redirect-uri': { type: 'string', multiple: true },
    'no-demo': { type: 'boolean', default: false },
    clock: { type: 'string', default: 'system' },
    seed: { type: 'string' },
  },
});

const redirectUris = values['redirect-uri'] ?? DEFAULT_CLIENT.redirectUris;
const emulator = createSpotifyEmulator({
  clients: [{ id: values['client-id'], secret: values['client-secret'], redirectUris }],
  users: [DEMO_USER],
  clock: values.clock === 'manual' ? createManualClock(DEFAULT_START_MS) : createSystemClock(),
  seed: values.seed === undefined ? undefined : Number(values.seed),
  demo: !values['no-demo'],
});

const server = serve({ fetch: emulator.app.fetch, port: Number(values.port), hostname: values.host }, (info) => {
  const host = info.address.includes(':') ? `[${info.address}]` : info.address;
  const base = `http://${host}:${info.port}`;
  process.stdout.write(
    `${JSON.stringify({
      event: 'listening',
      port: info.port,
      baseUrl: base,
      accountsUrl: `${base}/accounts`,
      apiUrl: `${base}/api`,
      controlUrl: `${base}/__emu`,
      clientId: values['client-id'],
      redirectUris,
      demoUser: values['no-demo'] ? null : DEMO_USER.id,
    })}\n`,
  );
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
