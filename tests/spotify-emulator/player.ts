/**
 * One user's playback as a small discrete-event simulation driven by the clock. Nothing moves by
 * itself: `settle(player, now)` replays what happened since the last look, in time order: items
 * finishing (which become play-history records), delayed next/previous commands (P10: "order of
 * execution is not guaranteed", applied after a random delay), and the active device going idle
 * (P11). Commands then act on the settled state. Pure: no IO, no randomness.
 */
import type { Playable } from './catalog';

export interface Device {
  id: string;
  name: string;
  type: string;
  volumePercent: number;
  supportsVolume: boolean;
  isRestricted: boolean;
  isPrivateSession: boolean;
}

export interface PlayContext {
  type: string;
  uri: string;
}

export type SkipDirection = 'next' | 'previous';
export type RepeatState = 'off' | 'track' | 'context';

interface PendingSkip {
  applyAt: number;
  direction: SkipDirection;
}

export interface Player {
  devices: Device[];
  activeDeviceId: string | null;
  queue: Playable[];
  /** -1 when nothing is loaded. */
  index: number;
  isPlaying: boolean;
  /** Position at `anchorAt`; while playing the true position is `positionMs + (now - anchorAt)`. */
  positionMs: number;
  anchorAt: number;
  /** Time actually listened to the current item up to `anchorAt` (the >30 s skip rule, P12). */
  listenedMs: number;
  itemStartedAt: number;
  /** Last command or pause; the active device goes idle `idleDeviceMs` after this when paused. */
  lastActivityAt: number;
  /** `timestamp` of GET /me/player (P6). */
  changedAt: number;
  repeat: RepeatState;
  shuffle: boolean;
  context: PlayContext | null;
  pending: PendingSkip[];
}

/** A finished (or skipped after long enough) item, ready to become recently-played history. */
export interface PlayRecord {
  item: Playable;
  startedAt: number;
  endedAt: number;
  context: PlayContext | null;
}

export interface SettleRules {
  idleDeviceMs: number;
  /** A skip counts as a play after this much listening; null: only completed plays count. */
  skipCountsAfterMs: number | null;
}

export type OnPlay = (record: PlayRecord) => void;

export function createPlayer(now: number): Player {
  return {
    devices: [],
    activeDeviceId: null,
    queue: [],
    index: -1,
    isPlaying: false,
    positionMs: 0,
    anchorAt: now,
    listenedMs: 0,
    itemStartedAt: now,
    lastActivityAt: now,
    changedAt: now,
    repeat: 'off',
    shuffle: false,
    context: null,
    pending: [],
  };
}

export function currentItem(p: Player): Playable | null {
  return p.queue[p.index] ?? null;
}

export function activeDevice(p: Player): Device | null {
  return p.devices.find((d) => d.id === p.activeDeviceId) ?? null;
}

export function progressAt(p: Player, now: number): number {
  const item = currentItem(p);
  if (!item) return 0;
  const pos = p.positionMs + (p.isPlaying ? now - p.anchorAt : 0);
  return Math.min(Math.max(0, pos), item.durationMs);
}

function advanceTo(p: Player, t: number): void {
  if (p.isPlaying) {
    p.positionMs += t - p.anchorAt;
    p.listenedMs += t - p.anchorAt;
  }
  p.anchorAt = t;
}

function startItem(p: Player, t: number, index: number, positionMs = 0): void {
  p.index = index;
  p.positionMs = positionMs;
  p.listenedMs = 0;
  p.anchorAt = t;
  p.itemStartedAt = t - positionMs;
  p.changedAt = t;
}

function stopAtEnd(p: Player, t: number): void {
  p.isPlaying = false;
  p.positionMs = currentItem(p)?.durationMs ?? 0;
  p.lastActivityAt = t;
  p.changedAt = t;
}

function finishItem(p: Player, t: number, onPlay: OnPlay): void {
  const item = currentItem(p)!;
  onPlay({ item, startedAt: p.itemStartedAt, endedAt: t, context: p.context });
  if (p.repeat === 'track') startItem(p, t, p.index);
  else if (p.index + 1 < p.queue.length) startItem(p, t, p.index + 1);
  else if (p.repeat === 'context') startItem(p, t, 0);
  else stopAtEnd(p, t);
}

/** Leaving an item early counts as a play only after enough listening (P12, fuzzy rule knob). */
function recordSkip(p: Player, t: number, rules: SettleRules, onPlay: OnPlay): void {
  const item = currentItem(p);
  if (!item || rules.skipCountsAfterMs === null || p.listenedMs <= rules.skipCountsAfterMs) return;
  onPlay({ item, startedAt: p.itemStartedAt, endedAt: t, context: p.context });
}

function applySkip(p: Player, t: number, direction: SkipDirection, rules: SettleRules, onPlay: OnPlay): void {
  if (!currentItem(p)) return;
  recordSkip(p, t, rules, onPlay);
  if (direction === 'previous') startItem(p, t, Math.max(0, p.index - 1));
  else if (p.index + 1 < p.queue.length) startItem(p, t, p.index + 1);
  else if (p.repeat === 'context') startItem(p, t, 0);
  else {
    startItem(p, t, p.index);
    p.isPlaying = false;
  }
  p.lastActivityAt = t;
}

/**
 * With repeat on and a long clock jump (months), skip whole cycles, keeping enough of the last
 * ones to fill the 50-item history.
 */
function skipRepeatCycles(p: Player, t: number, now: number): void {
  if (p.repeat === 'off' || p.pending.length > 0 || !p.isPlaying) return;
  const items = p.repeat === 'track' ? [currentItem(p)!] : p.queue;
  const cycle = items.reduce((sum, i) => sum + i.durationMs, 0);
  if (cycle <= 0) return;
  const keep = Math.ceil(50 / items.length) + 1;
  const cycles = Math.floor((now - t) / cycle) - keep;
  if (cycles > 0) {
    p.anchorAt += cycles * cycle;
    p.itemStartedAt += cycles * cycle;
  }
}

export function settle(p: Player, now: number, rules: SettleRules, onPlay: OnPlay): void {
  skipRepeatCycles(p, p.anchorAt, now);
  for (;;) {
    const item = currentItem(p);
    const tEnd = p.isPlaying && item ? p.anchorAt + Math.max(1, item.durationMs - p.positionMs) : Infinity;
    const tCmd = p.pending[0]?.applyAt ?? Infinity;
    const tIdle = !p.isPlaying && p.activeDeviceId !== null ? p.lastActivityAt + rules.idleDeviceMs : Infinity;
    const t = Math.min(tEnd, tCmd, tIdle);
    if (t > now) break;
    advanceTo(p, t);
    if (t === tEnd) finishItem(p, t, onPlay);
    else if (t === tCmd) applySkip(p, t, p.pending.shift()!.direction, rules, onPlay);
    else {
      p.activeDeviceId = null;
      p.changedAt = t;
    }
  }
  advanceTo(p, now);
}

// Commands act on a settled player at `now`; they return false when the command is redundant
// (Spotify answers those with 403 "Restriction violated", P8/P9).

export function pause(p: Player, now: number): boolean {
  if (!p.isPlaying) return false;
  p.isPlaying = false;
  p.lastActivityAt = now;
  p.changedAt = now;
  return true;
}

export function resume(p: Player, now: number): boolean {
  const item = currentItem(p);
  if (p.isPlaying || !item) return false;
  if (p.positionMs >= item.durationMs) startItem(p, now, p.index);
  p.isPlaying = true;
  p.lastActivityAt = now;
  p.changedAt = now;
  return true;
}

export interface LoadRequest {
  queue: Playable[];
  index: number;
  positionMs: number;
  context: PlayContext | null;
  play: boolean;
}

export function load(p: Player, now: number, req: LoadRequest, rules: SettleRules, onPlay: OnPlay): void {
  recordSkip(p, now, rules, onPlay);
  p.queue = req.queue;
  p.context = req.context;
  p.pending = [];
  if (req.queue.length === 0) {
    p.index = -1;
    p.isPlaying = false;
    p.changedAt = now;
  } else {
    startItem(p, now, Math.min(Math.max(0, req.index), req.queue.length - 1), req.positionMs);
    p.isPlaying = req.play;
  }
  p.lastActivityAt = now;
}

/** Move within the current item (control plane); not a skip, so nothing is recorded. */
export function seek(p: Player, now: number, positionMs: number): void {
  const item = currentItem(p);
  if (!item) return;
  p.positionMs = Math.min(Math.max(0, positionMs), item.durationMs);
  p.anchorAt = now;
  p.changedAt = now;
}

export function scheduleSkip(p: Player, applyAt: number, direction: SkipDirection): boolean {
  if (!currentItem(p)) return false;
  p.pending.push({ applyAt, direction });
  p.pending.sort((a, b) => a.applyAt - b.applyAt);
  return true;
}

/** Make a listed device the active one; playback state carries over unless `play` says so. */
export function activate(p: Player, now: number, deviceId: string, play?: boolean): void {
  if (p.activeDeviceId !== deviceId) {
    p.activeDeviceId = deviceId;
    p.changedAt = now;
  }
  if (play === true && currentItem(p)) resume(p, now);
  p.lastActivityAt = now;
}
