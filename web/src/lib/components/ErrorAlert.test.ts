import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import ErrorAlert from './ErrorAlert.svelte';

const requestId = '3f2a91bc-1d2e-4f5a-8b9c-0a1b2c3d4e5f';
/** What a person reads: the rendered HTML without tags and attributes. */
const visibleText = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();

describe('ErrorAlert', () => {
  it('says a sentence and never shows the request id (it stays in an attribute for support)', () => {
    const { body } = render(ErrorAlert, { props: { error: { status: 500, code: 'internal', message: 'x', requestId, retryable: true } as never, testid: 'e' } });
    const text = visibleText(body);
    expect(text).not.toContain(requestId);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/i);
    expect(text).toMatch(/^[A-Z].*[.!]$/);
    expect(body).toContain(`data-request-id="${requestId}"`);
  });

  it('uses the screen’s own wording for a code', () => {
    const { body } = render(ErrorAlert, { props: { error: { status: 404, code: 'not_found', message: 'x' } as never, testid: 'e', messages: { not_found: 'No screen with this code.' } } });
    expect(visibleText(body)).toBe('No screen with this code.');
  });
});
