/**
 * Byte and bit primitives for the sample codec: zigzag, LEB128 varints, an MSB-first bit
 * stream, Golomb-Rice codes with an escape, and Elias-gamma codes.
 *
 * All arithmetic stays inside Number.MAX_SAFE_INTEGER and never uses 32-bit bitwise operators
 * on values that may exceed 2^31, because the codec carries epoch milliseconds.
 *
 * References:
 * - LEB128: DWARF 5 §7.6, as used by protobuf varints.
 * - Zigzag: protobuf encoding guide, "Signed Integers" (maps 0,-1,1,-2 to 0,1,2,3).
 * - Rice codes: R. F. Rice, "Some practical universal noiseless coding techniques", JPL 79-22
 *   (1979); Golomb, "Run-length encodings", IEEE Trans. IT-12 (1966).
 * - Elias gamma: P. Elias, "Universal codeword sets", IEEE Trans. IT-21 (1975).
 */

/** Raised inside decoders only; the public decoder turns it into a result value. */
export class DecodeFailure extends Error {
  constructor(
    readonly code: 'truncated' | 'out_of_range',
    message: string,
  ) {
    super(message);
    this.name = 'DecodeFailure';
  }
}

const TWO_POW_53 = 2 ** 53;

/** Signed to unsigned: 0,-1,1,-2,2 → 0,1,2,3,4. Valid for |n| < 2^52. */
export function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

export function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

export function bitLength(v: number): number {
  let len = 0;
  while (v >= 1) {
    v = Math.floor(v / 2);
    len++;
  }
  return len;
}

/** Appends an unsigned LEB128 varint (7 bits per byte, low group first, high bit = more). */
export function writeVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v % 0x80) + 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** Reads an unsigned LEB128 varint; rejects more than 8 bytes (56 bits) or values ≥ 2^53. */
export function readVarint(bytes: Uint8Array, pos: { offset: number }): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    const b = bytes[pos.offset];
    if (b === undefined) throw new DecodeFailure('truncated', `varint truncated at byte ${pos.offset}`);
    pos.offset++;
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      if (value >= TWO_POW_53) throw new DecodeFailure('out_of_range', 'varint exceeds 2^53');
      return value;
    }
    scale *= 0x80;
  }
  throw new DecodeFailure('out_of_range', `varint longer than 8 bytes at byte ${pos.offset}`);
}

/** Escape threshold for Rice codes: a quotient this large is sent as a length-prefixed binary. */
export const RICE_ESCAPE = 16;
/** Rice parameters are sent in 5 bits, so k ≤ 31. */
export const RICE_K_BITS = 5;
export const RICE_MAX_K = 31;
const ESCAPE_LENGTH_BITS = 6; // value bit-lengths 0..53 fit in 6 bits

/** Cost in bits of `v` as a Rice code with parameter k (see BitWriter.rice). */
export function riceCost(v: number, k: number): number {
  const q = Math.floor(v / 2 ** k);
  return q < RICE_ESCAPE ? q + 1 + k : RICE_ESCAPE + ESCAPE_LENGTH_BITS + bitLength(v);
}

/**
 * The k that codes all values in the fewest bits (ties: smallest k). Larger k than the bit
 * length of the largest value only adds bits, so the search stops there.
 */
export function bestRiceK(values: readonly number[]): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  const limit = Math.min(RICE_MAX_K, bitLength(max));
  let bestK = 0;
  let bestCost = Infinity;
  for (let k = 0; k <= limit; k++) {
    let cost = 0;
    for (const v of values) cost += riceCost(v, k);
    if (cost < bestCost) {
      bestCost = cost;
      bestK = k;
    }
  }
  return bestK;
}

export class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private used = 0; // bits filled in `current`, MSB first

  bit(b: 0 | 1): void {
    this.current = (this.current << 1) | b;
    if (++this.used === 8) {
      this.bytes.push(this.current);
      this.current = 0;
      this.used = 0;
    }
  }

  /** Writes the low `count` bits of v (count ≤ 53), most significant first. */
  bits(v: number, count: number): void {
    if (count > 24) {
      const low = 2 ** 24;
      this.bits(Math.floor(v / low), count - 24);
      this.bits(v % low, 24);
      return;
    }
    for (let i = count - 1; i >= 0; i--) this.bit(((v >>> i) & 1) as 0 | 1);
  }

  /**
   * Rice code: quotient q = ⌊v / 2^k⌋ in unary (q ones, then a zero), then the k low bits.
   * A quotient ≥ RICE_ESCAPE is sent as RICE_ESCAPE ones, a 6-bit bit-length L, and L bits,
   * so an outlier (a gap, a clock jump) costs at most 16 + 6 + 53 bits instead of ~2^53.
   */
  rice(v: number, k: number): void {
    const q = Math.floor(v / 2 ** k);
    if (q < RICE_ESCAPE) {
      for (let i = 0; i < q; i++) this.bit(1);
      this.bit(0);
      this.bits(v % 2 ** k, k);
      return;
    }
    for (let i = 0; i < RICE_ESCAPE; i++) this.bit(1);
    const len = bitLength(v);
    this.bits(len, ESCAPE_LENGTH_BITS);
    this.bits(v, len);
  }

  /** Elias gamma for v ≥ 1: ⌊log2 v⌋ zeros, then v in binary (which starts with a one). */
  gamma(v: number): void {
    const len = bitLength(v);
    for (let i = 1; i < len; i++) this.bit(0);
    this.bits(v, len);
  }

  /** Pads the last byte with zero bits and returns everything written. */
  finish(): number[] {
    if (this.used > 0) {
      this.bytes.push(this.current << (8 - this.used));
      this.current = 0;
      this.used = 0;
    }
    return this.bytes;
  }
}

export class BitReader {
  private bitPos: number;
  private readonly endBit: number;

  constructor(
    private readonly bytes: Uint8Array,
    byteOffset: number,
  ) {
    this.bitPos = byteOffset * 8;
    this.endBit = bytes.length * 8;
  }

  get remainingBits(): number {
    return this.endBit - this.bitPos;
  }

  bit(): 0 | 1 {
    if (this.bitPos >= this.endBit) throw new DecodeFailure('truncated', 'bit stream truncated');
    const byte = this.bytes[this.bitPos >>> 3] as number;
    const b = (byte >>> (7 - (this.bitPos & 7))) & 1;
    this.bitPos++;
    return b as 0 | 1;
  }

  bits(count: number): number {
    if (count > this.remainingBits) throw new DecodeFailure('truncated', 'bit stream truncated');
    let v = 0;
    for (let i = 0; i < count; i++) v = v * 2 + this.bit();
    return v;
  }

  rice(k: number): number {
    let q = 0;
    while (q < RICE_ESCAPE && this.bit() === 1) q++;
    if (q < RICE_ESCAPE) return q * 2 ** k + this.bits(k);
    const len = this.bits(ESCAPE_LENGTH_BITS);
    if (len > 53) throw new DecodeFailure('out_of_range', `escaped value of ${len} bits`);
    const v = this.bits(len);
    if (v >= TWO_POW_53) throw new DecodeFailure('out_of_range', 'escaped value exceeds 2^53');
    return v;
  }

  gamma(): number {
    let zeros = 0;
    while (this.bit() === 0) {
      if (++zeros > 53) throw new DecodeFailure('out_of_range', 'gamma code longer than 53 bits');
    }
    return 2 ** zeros + this.bits(zeros);
  }

  /** True when only zero padding (fewer than 8 bits) is left. */
  atPaddedEnd(): boolean {
    const left = this.remainingBits;
    if (left >= 8) return false;
    return this.bits(left) === 0;
  }
}
