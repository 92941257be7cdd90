/**
 * Sync bookkeeping in the syncMeta table: this browser profile's device id, its hybrid logical
 * clock, who the data belongs to now, and per-member cursors. Every helper runs inside the
 * caller's transaction (it must include `syncMeta`), so an edit, its HLC and its outbox row
 * commit together.
 */
import { formatHlc, hlcReceive, hlcSend, hlcZero, parseHlc, type Hlc } from '$core/sync';
import { newId, type HrmDatabase } from './database';
import { GUEST } from './schema';

export const META_DEVICE = 'device';
export const META_HLC = 'hlc';
/** The member signed in on this device ('' = nobody): owner of new recordings. */
export const META_OWNER = 'owner';
/** True when the member chose "This is a shared device" at sign-in. */
export const META_SHARED = 'shared';
/** The metadata stream's cursor (sessions); before two streams it was the only cursor. */
export const cursorKey = (owner: string) => `cursor:${owner}`;
/** The readings stream's cursor (chunks); stored as null until its first page. */
export const chunkCursorKey = (owner: string) => `chunk-cursor:${owner}`;
/** Wire ids seen during a reset walk (docs/sync-protocol.md §5), until it reaches the end. */
export const resetKey = (owner: string) => `reset:${owner}`;
export const lastSyncedKey = (owner: string) => `lastSynced:${owner}`;

export async function getMeta<T>(d: HrmDatabase, key: string): Promise<T | undefined> {
  return (await d.syncMeta.get(key))?.value as T | undefined;
}

export async function setMeta(d: HrmDatabase, key: string, value: unknown): Promise<void> {
  await d.syncMeta.put({ key, value });
}

export async function currentOwner(d: HrmDatabase): Promise<string> {
  return (await getMeta<string>(d, META_OWNER)) ?? GUEST;
}

/** This profile's device id (protocol: 1-64 of [A-Za-z0-9_-]), made on first use. */
export async function deviceIdOf(d: HrmDatabase): Promise<string> {
  const known = await getMeta<string>(d, META_DEVICE);
  if (known) return known;
  const id = `web-${newId().slice(0, 12)}`;
  await setMeta(d, META_DEVICE, id);
  return id;
}

async function clockOf(d: HrmDatabase): Promise<Hlc> {
  const deviceId = await deviceIdOf(d);
  const text = await getMeta<string>(d, META_HLC);
  const parsed = text ? parseHlc(text) : null;
  return parsed?.ok ? { ...parsed.hlc, deviceId } : hlcZero(deviceId);
}

/** Stamps a local edit: hlcSend, persisted (needs a 'rw' transaction on syncMeta). */
export async function stampHlc(d: HrmDatabase, now: number): Promise<string> {
  const result = hlcSend(await clockOf(d), now);
  // counter_overflow (65 536 edits in one ms) cannot come from a person; fail loudly.
  if (!result.ok) throw new Error(`hlc: ${result.error.message}`);
  const text = formatHlc(result.hlc);
  await setMeta(d, META_HLC, text);
  return text;
}

/**
 * Advances the clock past pulled stamps (hlcReceive). Returns false when one was too far ahead
 * (clock_drift): the record is merged anyway, and the member is asked to check the clock.
 */
export async function receiveHlcs(d: HrmDatabase, stamps: readonly string[], now: number): Promise<boolean> {
  let clock = await clockOf(d);
  let ok = true;
  for (const stamp of stamps) {
    const remote = parseHlc(stamp);
    if (!remote.ok) continue;
    const next = hlcReceive(clock, remote.hlc, now);
    if (next.ok) clock = next.hlc;
    else ok = false;
  }
  await setMeta(d, META_HLC, formatHlc(clock));
  return ok;
}
