/**
 * CPU cost of one room timer command for the LARGEST plan the plan rules allow (issue 11,
 * defect 10: 50 blocks × 500 rounds cost ~200 ms per command on the event loop). Runs the
 * server's own path in this process: the room service over in-memory stores, with the timer
 * store doing what the PocketBase one does to a state (JSON out, JSON in, parseTimerState) and
 * the hub's JSON.stringify of the published event. Reports the CPU time per command (this
 * process's user + system time, so other load on the machine inflates it less than wall time)
 * and the wall time, mean and p99, for a fresh timer and for one whose pause history is nearly
 * full (the worst case).
 *
 *   node --import tsx bench/room-timer-command.bench.ts
 */
import { performance } from 'node:perf_hooks';
import type { TimerCommandName } from '../core/rooms';
import { largestAllowedPlan, MAX_TIMER_EVENTS, parsePlan, parseTimerState, totalRounds, type TimerState } from '../core/workout';
import { createMemoryLimiter } from '../sync-server/src/auth/memory-limiter';
import { createMemoryBus } from '../sync-server/src/live/memory-bus';
import { createMemoryRoomStore } from '../sync-server/src/rooms/memory-room-store';
import { createRoomService } from '../sync-server/src/rooms/service';
import type { TimerStore } from '../sync-server/src/rooms/timer-store';

const COMMANDS = Number(process.env.COMMANDS ?? 400);

/** What the PocketBase timer store costs in CPU: the state as JSON both ways, validated on read. */
function jsonTimerStore(): TimerStore {
  const rows = new Map<string, string>();
  return {
    async latest(roomId) {
      const json = rows.get(roomId);
      if (!json) return null;
      const parsed = parseTimerState(JSON.parse(json));
      if (!parsed.ok) throw new Error('invalid state');
      return parsed.state;
    },
    async insert(roomId, state) {
      const json = rows.get(roomId);
      if (json && (JSON.parse(json) as TimerState).revision >= state.revision) return 'lost';
      rows.set(roomId, JSON.stringify(state));
      return 'ok';
    },
  };
}

async function measure(label: string, prefill: number) {
  let t = 1_000_000;
  const now = () => t;
  const bus = createMemoryBus({ memoTtlMs: 60_000, now });
  const publish = bus.publish.bind(bus);
  bus.publish = (roomId, event) => {
    JSON.stringify(event); // the hub serializes each event once per room
    publish(roomId, event);
  };
  const store = createMemoryRoomStore({ now });
  const owner = store.newId();
  store.addMember({ id: owner, name: 'Bench', email: 'bench@example.com', verified: true });
  const limits = { codeAttemptsPerDevice: 10, joinsPerAddress: 240, joinsPerRoom: 240, pairingAttemptsPerAddress: 10, invitationsPerOwnerPerHour: 20 };
  const service = createRoomService({ store, timers: jsonTimerStore(), bus, limiter: createMemoryLimiter(), now, limits, pairingTtlMs: 60_000 });
  const plan = largestAllowedPlan();
  if (!parsePlan(plan).ok) throw new Error('largestAllowedPlan is not allowed by PlanSchema');
  const { room } = await service.create(owner, 'Bench', plan);
  await service.timerCommand(room.id, 'start');
  // Fill the pause history (pause + resume) up to `prefill` events, as a long class would.
  for (let i = 0; i < prefill; i++) {
    t += 1_000;
    await service.timerCommand(room.id, 'pause');
    t += 1_000;
    await service.timerCommand(room.id, 'resume');
  }
  const cycle: TimerCommandName[] = ['pause', 'resume', 'skip'];
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < COMMANDS; i++) {
    t += 500;
    const command = cycle[i % cycle.length]!;
    const start = performance.now();
    const startCpu = process.cpuUsage();
    const r = await service.timerCommand(room.id, command);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
    wall.push(performance.now() - start);
    if (!r.ok && r.code === 'history-full') break;
  }
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    return `mean ${mean.toFixed(2)} ms, p99 ${sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!.toFixed(2)} ms`;
  };
  const phases = plan.mode === 'intervals' ? totalRounds(plan.blocks) * 2 : 0;
  const blocks = plan.mode === 'intervals' ? plan.blocks.length : 0;
  console.log(`${label}: ${blocks} blocks, ~${phases} phases, ${cpu.length} commands: CPU ${stats(cpu)}; wall ${stats(wall)} per command`);
}

await measure('largest plan, fresh timer', 0);
await measure('largest plan, pause history nearly full', MAX_TIMER_EVENTS - Math.ceil(COMMANDS / 3) - 10);
