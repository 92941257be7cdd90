import { describe, expect, it } from 'vitest';
import { createReadCoalescer, type CoalescedReads } from './read-coalescer';

/** Reads over a mutable table; each read is held until released, and logged with the table's state when it was sent. */
function heldReads(table: Map<string, string>) {
  const sent: { ids: string[]; release(): void }[] = [];
  const hold = <R>(ids: string[], answer: () => R) =>
    new Promise<R>((resolve) => {
      const snapshot = answer(); // a read sees the rows as they are when it is sent
      sent.push({ ids, release: () => resolve(snapshot) });
    });
  const reads: CoalescedReads<string> = {
    one: (id) => hold([id], () => table.get(id) ?? null),
    many: (ids) => hold([...ids], () => new Map(ids.flatMap((id) => (table.has(id) ? [[id, table.get(id)!] as const] : [])))),
  };
  return { reads, sent };
}

const settle = () => new Promise<void>((r) => setImmediate(r));

describe('read coalescer', () => {
  it('sends a lone read at once, and the reads that arrive meanwhile together in the next one', async () => {
    const table = new Map([
      ['a', 'A'],
      ['b', 'B'],
      ['c', 'C'],
    ]);
    const { reads, sent } = heldReads(table);
    const read = createReadCoalescer(reads, { maxBatch: 10, maxInFlight: 1 });
    const first = read('a');
    expect(sent.map((s) => s.ids)).toEqual([['a']]);
    const rest = [read('b'), read('c'), read('zzz'), read('b')];
    expect(sent).toHaveLength(1); // waiting for the read on the wire
    sent[0]!.release();
    expect(await first).toBe('A');
    await settle();
    expect(sent.map((s) => s.ids)).toEqual([['a'], ['b', 'c', 'zzz']]); // one read, each id once
    sent[1]!.release();
    expect(await Promise.all(rest)).toEqual(['B', 'C', null, 'B']);
  });

  it('never answers a caller from a read sent before it asked (a revocation in between is seen)', async () => {
    const table = new Map([['s1', 'session']]);
    const { reads, sent } = heldReads(table);
    const read = createReadCoalescer(reads, { maxBatch: 10, maxInFlight: 1 });
    const before = read('s1'); // sent now, sees the row
    table.delete('s1'); // revoked while that read is on the wire
    const after = read('s1'); // asked after the revocation: must not share the first read
    sent[0]!.release();
    expect(await before).toBe('session');
    await settle();
    expect(sent).toHaveLength(2);
    sent[1]!.release();
    expect(await after).toBeNull();
  });

  it('keeps at most maxInFlight reads out and at most maxBatch ids in one', async () => {
    const table = new Map(Array.from({ length: 20 }, (_, i) => [`id${i}`, `v${i}`] as const));
    const { reads, sent } = heldReads(table);
    const read = createReadCoalescer(reads, { maxBatch: 4, maxInFlight: 2 });
    const all = Array.from({ length: 20 }, (_, i) => read(`id${i}`));
    expect(sent.map((s) => s.ids.length)).toEqual([1, 1]);
    for (let i = 0; sent.some((s) => s.release !== noop); i++) {
      const open = sent.filter((s) => s.release !== noop);
      expect(open.length).toBeLessThanOrEqual(2);
      const s = open[0]!;
      const release = s.release;
      s.release = noop;
      release();
      await settle();
    }
    expect(await Promise.all(all)).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`));
    expect(sent.every((s) => s.ids.length <= 4)).toBe(true);
    expect(sent.length).toBeLessThan(20);
  });

  it('with defer, the reads asked in one turn leave together, and a read sent after all of them', async () => {
    const table = new Map([
      ['a', 'A'],
      ['b', 'B'],
    ]);
    const { reads, sent } = heldReads(table);
    const turns: (() => void)[] = [];
    const read = createReadCoalescer(reads, { maxBatch: 10, maxInFlight: 1, defer: (send) => turns.push(send) });
    const first = [read('a'), read('b'), read('a')];
    expect(sent).toHaveLength(0); // nothing leaves before the turn is over
    expect(turns).toHaveLength(1); // and one send is scheduled, not one per caller
    table.set('b', 'B2'); // changed before the read leaves: the callers see it
    turns.shift()!();
    expect(sent.map((s) => s.ids)).toEqual([['a', 'b']]);
    const second = read('b'); // asked while a read is out: waits for it, then its own read
    expect(turns).toHaveLength(0);
    sent[0]!.release();
    expect(await Promise.all(first)).toEqual(['A', 'B2', 'A']);
    await settle();
    expect(turns).toHaveLength(1);
    turns.shift()!();
    expect(sent.map((s) => s.ids)).toEqual([['a', 'b'], ['b']]);
    sent[1]!.release();
    expect(await second).toBe('B2');
  });

  it('fails every caller of a failed read, and the next read goes out', async () => {
    let fail = true;
    const reads: CoalescedReads<string> = {
      one: async (id) => {
        if (fail) throw new Error('PocketBase is down');
        return id.toUpperCase();
      },
      many: async () => {
        throw new Error('PocketBase is down');
      },
    };
    const read = createReadCoalescer(reads, { maxBatch: 10, maxInFlight: 1 });
    await expect(read('x')).rejects.toThrow('PocketBase is down');
    fail = false;
    expect(await read('y')).toBe('Y');
  });
});

function noop() {}
