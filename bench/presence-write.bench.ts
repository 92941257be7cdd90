/**
 * What the live hub's presence writes cost PocketBase (issue 14). At 100 rooms × 30 the hub
 * writes about 100 last_seen rows a second, and on a 2-core machine PocketBase's share of CPU
 * competes with the fan-out (bench/class-fanout.bench.ts). This prints PocketBase's own CPU
 * (utime + stime of its process, /proc/<pid>/stat) per call of ROWS rows, for:
 *   - route:        the room store's path, HRM's route in PocketBase (pb_hooks/room_presence.pb.js),
 *                   one SQL statement;
 *   - batch upsert: PocketBase's batch API, one upsert per row (what the store used before);
 *   - batch update: the batch API with updates (rows known to exist).
 * Each is called CALLS times per round, the three in turn, ROUNDS rounds; it prints the median
 * and every round (ms of PocketBase CPU per call; /proc counts in 10-ms ticks, so a round's
 * figure is good to 10/CALLS ms). It exits 1 unless the route wrote every row.
 *
 *   node --import tsx bench/presence-write.bench.ts
 *   ROWS=100 CALLS=20 ROUNDS=6 node --import tsx bench/presence-write.bench.ts
 */
import { readFileSync } from 'node:fs';
import { createDb } from '../sync-server/src/pocketbase/admin-client';
import { newMember } from '../tests/integration/stores/store-db';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { roomWithParticipants } from '../tests/support/room-participants';

const ROWS = Number(process.env.ROWS ?? 100);
const CALLS = Number(process.env.CALLS ?? 20);
const ROUNDS = Number(process.env.ROUNDS ?? 6);

const pb = await startTestPocketBase();
let failed = false;
try {
  const db = createDb(pb.url, pb.superuser);
  await db.connect();
  const admin = db.pb;
  const { store: rooms, ids } = await roomWithParticipants(admin, await newMember(admin), ROWS);
  const cpuMs = () => {
    const f = readFileSync(`/proc/${pb.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime, stime in ticks of 10 ms (USER_HZ 100)
  };
  let at = 1;
  const batch = (how: 'upsert' | 'update') => async () => {
    const b = admin.createBatch();
    at++;
    for (const id of ids) {
      if (how === 'update') b.collection('room_presence').update(id, { last_seen: at }, { fields: 'id' });
      else b.collection('room_presence').upsert({ id, participant: id, last_seen: at }, { fields: 'id' });
    }
    await b.send();
  };
  const variants: Record<string, () => Promise<void>> = {
    route: () => rooms.touchParticipants(ids.map((id) => ({ id, at: ++at }))),
    'batch upsert': batch('upsert'),
    'batch update': batch('update'),
  };
  await variants.route!(); // the rows exist from here on, for the batch update
  const rounds: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, call] of Object.entries(variants)) {
      const c0 = cpuMs();
      for (let k = 0; k < CALLS; k++) await call();
      rounds[name]!.push((cpuMs() - c0) / CALLS);
    }
  }
  const written = await rooms.touchParticipants(ids.map((id) => ({ id, at: 10 ** 12 }))).then(() => Promise.all(ids.map((id) => rooms.participant(id))));
  failed = written.some((p) => p?.last_seen !== 10 ** 12);
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  console.log(`PocketBase CPU per call of ${ROWS} presence rows (ms; median of ${ROUNDS} rounds of ${CALLS} calls, then each round):`);
  for (const [name, a] of Object.entries(rounds)) console.log(`  ${name.padEnd(13)} ${median(a).toFixed(1).padStart(6)}   [${a.map((x) => x.toFixed(1)).join(', ')}]`);
  if (failed) console.error('the route did not write every row');
} finally {
  await pb.dispose();
}
process.exit(failed ? 1 : 0);
