/**
 * What a room screen knows, as a pure reducer over server messages (wire.ts): the room, the
 * timer, and one tile per participant with its last heart rate. `tilesAt` turns it into the
 * tiles to draw at a given *server* time (the screen's clock plus its measured offset), so a
 * screen whose clock is wrong still ages tiles correctly.
 *
 * Rules: a snapshot replaces everything (it is the whole room); a timer state older than the
 * one held (lower revision) is ignored, so a late delta never rolls the timer back; a heart rate
 * older than the one held is ignored; `participant-left` removes the tile at once.
 */
import type { TimerState } from '../workout';
import { tileStatus, type TileStatus } from './staleness';
import type { HrReading, LiveConfig, ParticipantView, RoomInfo, ServerMessage } from './wire';

export interface DisplayTile {
  participant: ParticipantView;
  hr: HrReading | null;
  seenAt: number;
}

export interface DisplayState {
  config: LiveConfig | null;
  room: RoomInfo | null;
  timer: TimerState | null;
  tiles: Record<string, DisplayTile>;
  /** False until the first snapshot: nothing to draw yet. */
  ready: boolean;
}

export const initialDisplayState: DisplayState = { config: null, room: null, timer: null, tiles: {}, ready: false };

export function reduceDisplay(state: DisplayState, msg: ServerMessage): DisplayState {
  switch (msg.type) {
    case 'welcome':
      return { ...state, config: msg.config };
    case 'snapshot': {
      const tiles: Record<string, DisplayTile> = {};
      for (const p of msg.participants) {
        const { hr, seenAt, ...participant } = p;
        tiles[p.id] = { participant, hr, seenAt };
      }
      const timer = state.timer && state.timer.revision > msg.timer.revision ? state.timer : msg.timer;
      return { ...state, room: msg.room, timer, tiles, ready: true };
    }
    case 'room':
      return { ...state, room: msg.room };
    case 'timer':
      return state.timer && state.timer.revision >= msg.state.revision ? state : { ...state, timer: msg.state };
    case 'participant': {
      const old = state.tiles[msg.participant.id];
      const tile = { participant: msg.participant, hr: old?.hr ?? null, seenAt: Math.max(old?.seenAt ?? 0, msg.seenAt) };
      return { ...state, tiles: { ...state.tiles, [msg.participant.id]: tile } };
    }
    case 'participant-left': {
      if (!state.tiles[msg.participantId]) return state;
      const { [msg.participantId]: _gone, ...tiles } = state.tiles;
      return { ...state, tiles };
    }
    case 'hr': {
      const old = state.tiles[msg.participantId];
      // An hr for a participant we have not heard of yet waits for its `participant` message.
      if (!old || (old.hr && old.hr.at > msg.at)) return state;
      const tile = { ...old, hr: { bpm: msg.bpm, kcal: msg.kcal, points: msg.points ?? null, at: msg.at }, seenAt: Math.max(old.seenAt, msg.at) };
      return { ...state, tiles: { ...state.tiles, [msg.participantId]: tile } };
    }
    default:
      return state;
  }
}

export interface VisibleTile extends DisplayTile {
  status: Exclude<TileStatus, 'gone'>;
}

/** Tiles to draw at `serverNow`, gone ones left out, in join order. */
export function tilesAt(state: DisplayState, serverNow: number): VisibleTile[] {
  if (!state.config) return [];
  const out: VisibleTile[] = [];
  for (const tile of Object.values(state.tiles)) {
    const status = tileStatus(tile.seenAt, serverNow, state.config);
    if (status !== 'gone') out.push({ ...tile, status });
  }
  return out.sort((a, b) => a.participant.joinedAt - b.participant.joinedAt || a.participant.id.localeCompare(b.participant.id));
}
