import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitReader, BitWriter, bestRiceK, readVarint, riceCost, unzigzag, writeVarint, zigzag } from './bit-io';

const safe = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

describe('zigzag', () => {
  it('interleaves signs', () => {
    expect([0, -1, 1, -2, 2].map(zigzag)).toEqual([0, 1, 2, 3, 4]);
  });
  it('inverts', () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 51), max: 2 ** 51 }), (n) => {
      expect(unzigzag(zigzag(n))).toBe(n);
    }));
  });
});

describe('LEB128 varint', () => {
  it('matches the protobuf example (300 → ac 02)', () => {
    const out: number[] = [];
    writeVarint(out, 300);
    expect(out).toEqual([0xac, 0x02]);
  });
  it('round-trips values up to 2^53', () => {
    fc.assert(
      fc.property(safe, (v) => {
        const out: number[] = [];
        writeVarint(out, v);
        const pos = { offset: 0 };
        expect(readVarint(Uint8Array.from(out), pos)).toBe(v);
        expect(pos.offset).toBe(out.length);
      }),
    );
  });
});

describe('bit stream', () => {
  it('round-trips Rice and gamma codes, and costs what riceCost says', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(fc.nat(300), safe), fc.integer({ min: 0, max: 31 }))), (items) => {
        const w = new BitWriter();
        let bits = 0;
        for (const [v, k] of items) {
          w.rice(v, k);
          w.gamma(v + 1);
          bits += riceCost(v, k);
        }
        const bytes = Uint8Array.from(w.finish());
        const r = new BitReader(bytes, 0);
        for (const [v, k] of items) {
          expect(r.rice(k)).toBe(v);
          expect(r.gamma()).toBe(v + 1);
        }
        expect(r.atPaddedEnd()).toBe(true);
        expect(bits).toBeLessThanOrEqual(bytes.length * 8);
      }),
    );
  });

  it('chooses the Rice parameter that minimises the total', () => {
    expect(bestRiceK([0, 0, 1, 0])).toBe(0);
    expect(bestRiceK([500, 510, 490])).toBeGreaterThanOrEqual(7);
  });
});
