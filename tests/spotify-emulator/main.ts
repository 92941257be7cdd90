/**
 * Run the emulator on a socket:
 *   node --import tsx tests/spotify-emulator/main.ts --port 8791 \
 *     [--client-id X --client-secret Y --redirect-uri URI ...] [--no-demo] [--clock manual] [--seed N]
 * Prints one JSON line when listening: {"event":"listening","accountsUrl":…,"apiUrl":…,…}.
 */
import { parseArgs } from 'node:util';
import { createManualClock, createSystemClock, DEFAULT_START_MS } from './clock';
import { DEFAULT_CLIENT, DEMO_USER } from './emulator';
import { listenSpotifyEmulator } from './serve';

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
const running = await listenSpotifyEmulator({
  port: Number(values.port),
  host: values.host,
  clients: [{ id: values['client-id'], secret: values['client-secret'], redirectUris }],
  users: [DEMO_USER],
  clock: values.clock === 'manual' ? createManualClock(DEFAULT_START_MS) : createSystemClock(),
  seed: values.seed === undefined ? undefined : Number(values.seed),
  demo: !values['no-demo'],
});

const { emulator: _emulator, close, ...urls } = running;
process.stdout.write(
  `${JSON.stringify({ event: 'listening', ...urls, clientId: values['client-id'], redirectUris, demoUser: values['no-demo'] ? null : DEMO_USER.id })}\n`,
);

const stop = () => void close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
