import type { ApiError, ApiResult } from '$lib/api';

/**
 * "Send the verification link again", shared by the home banner and the account screen:
 * one request at a time, then either sent or the error to show.
 */
export class VerificationResend {
  sending = $state(false);
  sent = $state(false);
  error = $state<ApiError | null>(null);

  constructor(private readonly request: () => Promise<ApiResult<unknown>>) {}

  async resend(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    this.error = null;
    const result = await this.request();
    this.sending = false;
    if (result.ok) this.sent = true;
    else this.error = result.error;
  }
}
