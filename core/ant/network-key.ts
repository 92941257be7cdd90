import { AntError } from './errors';

/**
 * The ANT+ managed network key is distributed to adopters under the ANT+ adopter agreement, so it
 * is never committed here: the operator supplies it at run time (a hub setting, an environment
 * value). This module only validates the text form: 8 bytes as 16 hex digits, separators allowed
 * ("B9A5…", "b9,a5,…", "0xB9 0xA5 …"). Tests use made-up keys.
 */
export const NETWORK_KEY_BYTES = 8;

export function parseNetworkKey(text: string | null | undefined): Uint8Array {
  const raw = (text ?? '').trim();
  if (raw === '') {
    throw new AntError(
      'ant_network_key_missing',
      'No ANT+ network key is configured. Enter the key your ANT+ adopter licence gives you (16 hex digits) in the hub settings.',
    );
  }
  const hex = raw.replace(/0x/gi, '').replace(/[\s,:\-]/g, '');
  if (!/^[0-9a-fA-F]{16}$/.test(hex)) {
    throw new AntError('ant_network_key_invalid', 'An ANT+ network key is 8 bytes written as 16 hex digits.');
  }
  const key = new Uint8Array(NETWORK_KEY_BYTES);
  for (let i = 0; i < NETWORK_KEY_BYTES; i++) key[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return key;
}
