import { describe, expect, it } from 'vitest';
import { parseNetworkKey } from './network-key';
import { isAntError } from './errors';

// Made-up keys only: the real ANT+ key is licensed and supplied at run time.
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return isAntError(e) ? e.code : 'not an AntError';
  }
  return 'no error';
};

describe('parseNetworkKey', () => {
  it('reads 16 hex digits with or without separators', () => {
    const want = Uint8Array.from([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);
    expect(parseNetworkKey('0123456789ABCDEF')).toEqual(want);
    expect(parseNetworkKey('01,23,45,67,89,ab,cd,ef')).toEqual(want);
    expect(parseNetworkKey(' 0x01 0x23 0x45 0x67 0x89 0xAB 0xCD 0xEF ')).toEqual(want);
  });

  it('says clearly when the key is missing or malformed', () => {
    expect(codeOf(() => parseNetworkKey(undefined))).toBe('ant_network_key_missing');
    expect(codeOf(() => parseNetworkKey('  '))).toBe('ant_network_key_missing');
    expect(codeOf(() => parseNetworkKey('0123'))).toBe('ant_network_key_invalid');
    expect(codeOf(() => parseNetworkKey('0123456789ABCDEG'))).toBe('ant_network_key_invalid');
  });
});
