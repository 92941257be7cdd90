/** Glue between a user's player simulation and their recently-played history. */
import { addEntry } from './history';
import { settle, type Player, type PlayRecord, type SettleRules } from './player';
import { playerOf, type EmulatorState } from './state';

export function settleRules(emu: EmulatorState): SettleRules {
  return { idleDeviceMs: emu.knobs.idleDeviceMs, skipCountsAfterMs: emu.knobs.skipCountsAfterMs };
}

/** P12, P14, P16: tracks only; played_at = end (or start); visible after the lag; maybe dropped. */
export function recordPlay(emu: EmulatorState, userId: string, record: PlayRecord): void {
  if (record.item.kind !== 'track') return;
  const { knobs } = emu;
  if (knobs.historyDropProbability > 0 && emu.chance.next() < knobs.historyDropProbability) return;
  const entry = {
    item: record.item,
    playedAt: knobs.playedAt === 'end' ? record.endedAt : record.startedAt,
    visibleAt: record.endedAt + knobs.historyLagMs,
    context: record.context,
  };
  emu.history.set(userId, addEntry(emu.history.get(userId) ?? [], entry, emu.clock.now()));
}

/** The user's player brought up to the emulator's now. */
export function settledPlayer(emu: EmulatorState, userId: string): Player {
  const player = playerOf(emu, userId);
  settle(player, emu.clock.now(), settleRules(emu), (r) => recordPlay(emu, userId, r));
  return player;
}
