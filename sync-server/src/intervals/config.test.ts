import { describe, expect, it } from 'vitest';
import { intervalsConfig, IntervalsConfigError } from './config';

const KEY = 'ab'.repeat(32);

describe('intervals.icu settings', () => {
  it('off unless INTERVALS_ENABLED=true', () => {
    expect(intervalsConfig({}, false)).toBeNull();
    expect(intervalsConfig({ INTERVALS_ENABLED: 'false', INTERVALS_TOKEN_KEY: KEY }, true)).toBeNull();
  });

  it('on: defaults, a trimmed API URL and the sealing key', () => {
    expect(intervalsConfig({ INTERVALS_ENABLED: 'true' }, false)).toEqual({ apiUrl: 'https://intervals.icu/api/v1', oauth: null, tokenKey: null, uploadIntervalMs: 10_000, uploadLeaseMs: 120_000 });
    const c = intervalsConfig({ INTERVALS_ENABLED: '1', INTERVALS_API_URL: 'http://127.0.0.1:9/api/v1/', INTERVALS_TOKEN_KEY: KEY, INTERVALS_TOKEN_KEY_ID: 'k2' }, true)!;
    expect(c.apiUrl).toBe('http://127.0.0.1:9/api/v1');
    expect(c.tokenKey).toEqual({ id: 'k2', key: Buffer.from(KEY, 'hex') });
  });

  it('OAuth: offered with both client credentials; base URL and redirect from the origin', () => {
    const c = intervalsConfig({ INTERVALS_ENABLED: 'true', INTERVALS_CLIENT_ID: '42', INTERVALS_CLIENT_SECRET: 's3cret', INTERVALS_OAUTH_URL: 'http://127.0.0.1:9/', PORT: '8800' }, false)!;
    expect(c.oauth).toEqual({ clientId: '42', clientSecret: 's3cret', oauthUrl: 'http://127.0.0.1:9', redirectUri: 'http://127.0.0.1:8800/api/v1/intervals/callback' });
    const d = intervalsConfig({ INTERVALS_ENABLED: 'true', INTERVALS_CLIENT_ID: '42', INTERVALS_CLIENT_SECRET: 's3cret', PUBLIC_ORIGIN: 'https://hrm.gym.lan' }, false)!;
    expect(d.oauth).toMatchObject({ oauthUrl: 'https://intervals.icu', redirectUri: 'https://hrm.gym.lan/api/v1/intervals/callback' });
  });
  it('names the variable that is wrong', () => {
    const err = (env: Record<string, string>, shared = false) => {
      try {
        intervalsConfig(env, shared);
      } catch (e) {
        return e instanceof IntervalsConfigError ? e.variable : 'other';
      }
      return null;
    };
    expect(err({ INTERVALS_ENABLED: 'true' }, true)).toBe('INTERVALS_TOKEN_KEY');
    expect(err({ INTERVALS_ENABLED: 'true', INTERVALS_TOKEN_KEY: 'short' })).toBe('INTERVALS_TOKEN_KEY');
    expect(err({ INTERVALS_ENABLED: 'yes' })).toBe('INTERVALS_ENABLED');
    expect(err({ INTERVALS_ENABLED: 'true', INTERVALS_API_URL: 'not a url' })).toBe('INTERVALS_API_URL');
    // One OAuth credential without the other; credentials without intervals.icu enabled; a wrong callback path.
    expect(err({ INTERVALS_ENABLED: 'true', INTERVALS_CLIENT_ID: '42' })).toBe('INTERVALS_CLIENT_SECRET');
    expect(err({ INTERVALS_ENABLED: 'true', INTERVALS_CLIENT_SECRET: 's' })).toBe('INTERVALS_CLIENT_ID');
    expect(err({ INTERVALS_CLIENT_ID: '42', INTERVALS_CLIENT_SECRET: 's' })).toBe('INTERVALS_ENABLED');
    expect(err({ INTERVALS_ENABLED: 'true', INTERVALS_CLIENT_ID: '42', INTERVALS_CLIENT_SECRET: 's', INTERVALS_REDIRECT_URI: 'https://x.example/cb' })).toBe('INTERVALS_REDIRECT_URI');
  });
});
