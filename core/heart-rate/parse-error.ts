/**
 * The one error value for bytes a strap sent that cannot be decoded. Bluetooth bytes are an edge
 * (style.md §8): a bad packet is an expected outcome, so parsers RETURN this, never throw it.
 */

export type HeartRateParseErrorCode =
  /** Fewer bytes than the flags (or the characteristic) require; includes an empty value. */
  | 'too_short'
  /** A value the specification prohibits, e.g. Battery Level above 100 %. */
  | 'out_of_range'
  /** A value the specification reserves for future use, e.g. Body Sensor Location 7..255. */
  | 'reserved_value';

export class HeartRateParseError extends Error {
  override readonly name = 'HeartRateParseError';

  constructor(
    readonly code: HeartRateParseErrorCode,
    /** 16-bit UUID of the characteristic whose value failed, e.g. 0x2a37. */
    readonly characteristic: number,
    message: string,
  ) {
    super(message);
  }
}

export function isHeartRateParseError(value: unknown): value is HeartRateParseError {
  return value instanceof HeartRateParseError;
}
