/** Typed errors of the ANT layer, each with a stable code (style: codes, never message matching). */

export type AntErrorCode =
  /** No ANT+ network key configured: the key is licensed (ANT+ adopter agreement) and never shipped. */
  | 'ant_network_key_missing'
  /** A configured key that is not 8 bytes written as 16 hex digits. */
  | 'ant_network_key_invalid'
  /** A payload that does not fit an ANT message (more than 255 bytes, a byte out of 0..255). */
  | 'ant_message_invalid'
  /** The stick refused a configuration message (channel response code other than RESPONSE_NO_ERROR). */
  | 'ant_command_refused'
  /** The stick did not answer a configuration message in time. */
  | 'ant_command_timeout'
  /** No supported stick, the user closed the chooser, or the stick is gone. */
  | 'ant_stick_unavailable'
  /** The stick answered in a way the host cannot use (no bulk endpoints, transfer failure). */
  | 'ant_stick_failed';

export class AntError extends Error {
  override readonly name = 'AntError';
  constructor(
    readonly code: AntErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isAntError(value: unknown): value is AntError {
  return value instanceof AntError;
}
