import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { CHUNK_READINGS, createStorage } from '$lib/storage';
import { HubRecorder, hubRecordingReadings } from './hub-recorder';
import type { HubReading } from './hub-reading';

let n = 0;
function setup(roomId = 'room1') {
  const storage = createStorage({ name: `hub-rec-${n++}` });
  let now = 1_000_000;
  const timers: Array<() => void> = [];
  const make = () =>
    new HubRecorder({
      db: storage.db,
      roomId,
      now: () => now,
      classRunId: () => 'run-1',
      setInterval: (fn) => (timers.push(fn), timers.length),
      clearInterval: () => undefined,
      onError: () => undefined,
    });
  return { storage, make, advance: (ms: number) => (now += ms), now: () => now, tick: () => timers.forEach((f) => f()) };
}

const r = (strapKey: string, at: number, bpm: number, rrMs: number[] = []): HubReading => ({ strapKey, at, bpm, rrMs });

async function rowsOf(storage: ReturnType<typeof createStorage>) {
  return (await storage.db().hubRecordings.toArray()).sort((a, b) => a.strapKey.localeCompare(b.strapKey));
}

describe('hub recorder', () => {
  it('writes every strap’s readings as they arrive, with no tick, in one recording per strap key with the room and class run', async () => {
    const { storage, make, now } = setup();
    const rec = make();
    await rec.open();
    rec.sink(r('ant:4821', now() + 1, 90, [666.6]));
    rec.sink(r('ble:abc', now() + 2, 120, [500]));
    await expect.poll(async () => (await rowsOf(storage)).map((x) => [x.strapKey, x.readingCount])).toEqual([
      ['ant:4821', 1],
      ['ble:abc', 1],
    ]);
    const [ant] = await rowsOf(storage);
    expect(ant).toMatchObject({ roomId: 'room1', classRunId: 'run-1', status: 'recording', chunkCount: 1, sessionId: null });
    const readings = await hubRecordingReadings(storage.db(), ant!.id);
    expect(readings).toEqual([{ t: now() + 1, bpm: 90, rr1024: [683], contact: 'unsupported', energyKj: null }]);
    await rec.detach();
  });

  it('batches readings that arrive during a write (never one transaction each) and seals full chunks', async () => {
    const { storage, make, now } = setup();
    const rec = make();
    await rec.open();
    const tx = vi.spyOn(storage.db(), 'transaction');
    const total = CHUNK_READINGS * 2 + 5;
    for (let i = 0; i < total; i++) for (const key of ['ant:1', 'ant:2', 'ble:x']) rec.sink(r(key, now() + i * 250, 60 + (i % 100)));
    await rec.flush();
    expect(tx.mock.calls.length).toBeLessThanOrEqual(3);
    for (const row of await rowsOf(storage)) {
      expect(row.readingCount).toBe(total);
      expect(row.chunkCount).toBe(3);
      const chunks = await storage.db().hubChunks.where('recordingId').equals(row.id).sortBy('seq');
      expect(chunks.map((c) => [c.seq, c.sealed, c.count])).toEqual([
        [0, 1, CHUNK_READINGS],
        [1, 1, CHUNK_READINGS],
        [2, 0, 5],
      ]);
      expect((await hubRecordingReadings(storage.db(), row.id)).map((x) => x.t)).toEqual(Array.from({ length: total }, (_, i) => now() + i * 250));
    }
    await rec.detach();
  });

  it('a new page continues the rows a cut-off page left: the open chunk is extended and the time away is an app-closed gap', async () => {
    const { storage, make, now, advance, tick } = setup();
    const first = make();
    await first.open();
    for (let i = 0; i < 10; i++) first.sink(r('ant:7', now() - 10 + i, 100 + i));
    await first.flush();
    const cutAt = now();
    // The page is gone (no close): rows stay 'recording'.
    advance(3_000);
    const second = make();
    expect(await second.open()).toBe(1);
    for (let i = 0; i < 3; i++) second.sink(r('ant:7', now() + i, 140 + i));
    await second.flush();
    // Each write puts the chunks; the row's counts follow with the 1 s tick.
    expect((await rowsOf(storage))[0]!.readingCount).toBe(10);
    tick();
    await second.flush();
    const rows = await rowsOf(storage);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ readingCount: 13, chunkCount: 1, gaps: [{ reason: 'app-closed', start: cutAt, end: cutAt + 3_000 }] });
    expect((await hubRecordingReadings(storage.db(), rows[0]!.id)).map((x) => x.bpm)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 140, 141, 142]);
    // Another room's hub does not take them.
    await second.close();
    expect((await rowsOf(storage))[0]!.status).toBe('closed');
    const other = new HubRecorder({ db: storage.db, roomId: 'room2', setInterval: () => 0, clearInterval: () => undefined });
    expect(await other.open()).toBe(0);
  });

  it('a failed write keeps its readings for the next one', async () => {
    const { storage, make, now } = setup();
    const rec = make();
    await rec.open();
    const spy = vi.spyOn(storage.db(), 'transaction').mockRejectedValueOnce(new Error('disk full'));
    rec.sink(r('ant:1', now(), 80));
    await rec.flush();
    expect(rec.stats.failedWrites).toBe(1);
    spy.mockRestore();
    await rec.flush();
    expect((await rowsOf(storage)).map((x) => x.readingCount)).toEqual([1]);
    await rec.detach();
  });
});

describe('hub recorder after a crash between row updates', () => {
  it('rebuilds a row’s counts from its chunks, so nothing written is lost or overwritten', async () => {
    const { storage, make, now, advance, tick } = setup();
    const first = make();
    await first.open();
    for (let i = 0; i < CHUNK_READINGS + 7; i++) first.sink(r('ble:x', now() - 100 + i, 90));
    await first.flush();
    for (let i = 0; i < 5; i++) first.sink(r('ble:x', now() + i, 91));
    await first.flush();
    // No tick ran since the first write: the row still says what that write left.
    advance(2_000);
    const second = make();
    await second.open();
    second.sink(r('ble:x', now(), 92));
    await second.flush();
    tick();
    await second.flush();
    const [row] = await rowsOf(storage);
    expect(row).toMatchObject({ readingCount: CHUNK_READINGS + 13, chunkCount: 2 });
    const bpms = (await hubRecordingReadings(storage.db(), row!.id)).map((x) => x.bpm);
    expect(bpms).toEqual([...Array(CHUNK_READINGS + 7).fill(90), ...Array(5).fill(91), 92]);
    await second.detach();
  });
});
