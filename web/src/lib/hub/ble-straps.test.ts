import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mulberry32 } from '$core/heart-rate';
import { createFakeLink, type FakeLink } from '$lib/strap/testing';
import { browserTimers } from '$lib/strap/timers';
import { BleHub, DEFAULT_BLE_LIMIT, linkPhase, memoryPairedStore, parseLimit, parsePaired, RETRY_LOST_MS, type PairedStrap } from './ble-straps.svelte';
import type { HubReading } from './hub-reading';
import type { ChooseOutcome } from '$lib/strap/strap-link';

const flush = () => vi.advanceTimersByTimeAsync(0);

function setup(opts: { paired?: PairedStrap[]; knowsDevices?: boolean; limit?: number | null } = {}) {
  const links: FakeLink[] = [];
  /** What the next links' choosers answer, in order. */
  const choices: ChooseOutcome[] = [];
  const readings: HubReading[] = [];
  const store = memoryPairedStore(opts.paired ?? [], opts.limit ?? null);
  const rssiCallbacks = new Map<string, (rssi: number) => void>();
  const hub = new BleHub({
    capabilities: { secureContext: true, webBluetooth: true },
    makeLink: () => {
      const link = createFakeLink('bluetooth', opts.knowsDevices ?? true);
      link.known = (opts.paired ?? []).map((p) => p.id);
      const choice = choices.shift();
      if (choice) link.nextChoose = choice;
      links.push(link);
      return link;
    },
    advertisements: {
      watch: async (id, onRssi) => {
        rssiCallbacks.set(id, onRssi);
        return () => rssiCallbacks.delete(id);
      },
    },
    store,
    clock: { now: () => Date.now() },
    timers: browserTimers(),
    random: mulberry32(3),
    onReading: (r) => readings.push(r),
  });
  const choose = (id: string, name = id.toUpperCase()) => choices.push({ type: 'chosen', device: { id, name } });
  return { hub, links, readings, store, rssiCallbacks, choose, choices };
}

describe('BleHub: many Bluetooth straps, each on its own connection machine', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-12-02T18:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('adds one strap per tap, remembers each, streams them as ble:<id> readings with battery and RSSI', async () => {
    const s = setup();
    s.hub.start();
    for (let i = 0; i < 3; i++) {
      s.choose(`dev-${i}`, `Polar H10 ${i}`);
      s.hub.add();
    }
    await flush();
    expect(s.hub.straps.map((x) => [x.id, x.name, x.controller.state.kind])).toEqual([
      ['dev-0', 'Polar H10 0', 'streaming'],
      ['dev-1', 'Polar H10 1', 'streaming'],
      ['dev-2', 'Polar H10 2', 'streaming'],
    ]);
    expect(s.store.load()).toEqual([
      { id: 'dev-0', name: 'Polar H10 0' },
      { id: 'dev-1', name: 'Polar H10 1' },
      { id: 'dev-2', name: 'Polar H10 2' },
    ]);
    expect(s.hub.connectedCount).toBe(3);
    s.rssiCallbacks.get('dev-1')!(-61);
    s.links[1]!.notify({ bpm: 130, rr1024: [472] });
    expect(s.readings.at(-1)).toEqual({ strapKey: 'ble:dev-1', bpm: 130, rrMs: [460.9375], at: Date.now(), rssi: -61 });
    s.hub.destroy();
  });

  it('one strap dropping reconnects on its own while the others keep streaming', async () => {
    const s = setup();
    s.hub.start();
    s.choose('a');
    s.choose('b');
    s.hub.add();
    s.hub.add();
    await flush();
    s.links[0]!.nextConnect = { ok: false, message: 'out of range', retryable: true };
    s.links[0]!.drop();
    expect(s.hub.straps[0]!.phase).toBe('reconnecting');
    s.links[1]!.notify({ bpm: 100 });
    expect(s.readings.at(-1)!.strapKey).toBe('ble:b');
    expect(s.hub.straps[1]!.phase).toBe('streaming');
    s.links[0]!.nextConnect = { ok: true };
    // B keeps sending at 1 Hz throughout and is never reconnected.
    for (let i = 0; i < 30; i++) {
      await vi.advanceTimersByTimeAsync(1_000);
      s.links[1]!.notify({ bpm: 100 + i });
    }
    expect(s.hub.straps.map((x) => x.phase)).toEqual(['streaming', 'streaming']);
    expect(s.links[1]!.calls.connect).toBe(1);
    s.hub.destroy();
  });

  it('a cancelled chooser leaves nothing behind; choosing a strap already on the hub keeps the one there connected', async () => {
    const s = setup();
    s.hub.start();
    s.choose('a');
    s.hub.add();
    await flush();
    s.choices.push({ type: 'cancelled', message: 'No strap was chosen' });
    s.hub.add();
    await flush();
    expect(s.hub.straps.map((x) => x.id)).toEqual(['a']);
    s.choose('a');
    s.hub.add();
    await flush();
    expect(s.hub.straps.map((x) => x.id)).toEqual(['a']);
    expect(s.hub.message).toBe('A is already on this hub.');
    expect(s.links[2]!.calls.disconnect).toBe(0);
    expect(s.hub.straps[0]!.phase).toBe('streaming');
    s.hub.destroy();
  });

  it('after a reload: every remembered strap reconnects with no chooser; a lost one is tried again', async () => {
    const s = setup({ paired: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }] });
    s.hub.start();
    await flush();
    expect(s.hub.straps.map((x) => [x.id, x.controller.state.kind])).toEqual([
      ['a', 'streaming'],
      ['b', 'streaming'],
    ]);
    expect(s.links.flatMap((l) => l.calls.choose)).toEqual([{ mode: 'known', id: 'a' }, { mode: 'known', id: 'b' }]);
    // B is gone for longer than the machine's budget (5 min): lost, then the hub tries again.
    s.links[1]!.nextConnect = { ok: false, message: 'out of range', retryable: true };
    s.links[1]!.drop();
    await vi.advanceTimersByTimeAsync(5 * 60_000 + 1_000);
    expect(s.hub.straps[1]!.phase).toBe('lost');
    expect(s.hub.straps[0]!.phase).toBe('streaming');
    s.links[1]!.nextConnect = { ok: true };
    await vi.advanceTimersByTimeAsync(RETRY_LOST_MS + 2_000);
    expect(s.hub.straps[1]!.phase).toBe('streaming');
    s.hub.destroy();
  });

  it('pure parts: the remembered list and limit are validated; machine states map to tile phases', () => {
    expect(parsePaired([{ id: 'a', name: 'A' }, { id: 'a', name: 'dup' }, { id: '', name: 'x' }, 'junk', { id: 'b', name: 3 }])).toEqual([{ id: 'a', name: 'A' }]);
    expect(parsePaired(null)).toEqual([]);
    expect([parseLimit(7), parseLimit('12'), parseLimit(0), parseLimit(65), parseLimit(2.5)]).toEqual([7, 12, null, null, null]);
    expect(linkPhase({ kind: 'silent', lastNotificationAt: 0, gap: null })).toBe('streaming');
    expect(linkPhase({ kind: 'reconnecting', attempt: 1, nextTryAt: 0, retry: { since: 0, giveUpAt: 1, lastDelayMs: 1 }, gap: null })).toBe('reconnecting');
    expect(linkPhase({ kind: 'lost', reason: 'gave-up', message: '', gap: null })).toBe('lost');
    expect(linkPhase({ kind: 'idle', gap: null })).toBe('idle');
    const s = setup({ limit: null });
    expect(s.hub.limit).toBe(DEFAULT_BLE_LIMIT);
    s.hub.setLimit(10);
    expect([s.hub.limit, s.store.loadLimit()]).toEqual([10, 10]);
    s.hub.setLimit(0);
    expect(s.hub.limit).toBe(10);
  });
});
