import { describe, expect, it } from 'vitest';
import { VerificationResend } from './verification-resend.svelte';

describe('VerificationResend', () => {
  it('marks sent on success and sends one request at a time', async () => {
    let calls = 0;
    let release!: () => void;
    const v = new VerificationResend(() => {
      calls++;
      return new Promise((r) => (release = () => r({ ok: true, value: undefined })));
    });
    const first = v.resend();
    void v.resend(); // ignored while the first is in flight
    expect(v.sending).toBe(true);
    release();
    await first;
    expect(calls).toBe(1);
    expect(v.sent).toBe(true);
    expect(v.error).toBeNull();
  });

  it('keeps the error to show when the request fails', async () => {
    const error = { status: 429, code: 'rate_limited', message: 'Too many attempts.', requestId: 'r1' };
    const v = new VerificationResend(async () => ({ ok: false, error }));
    await v.resend();
    expect(v.sent).toBe(false);
    expect(v.sending).toBe(false);
    expect(v.error).toEqual(error);
  });
});
