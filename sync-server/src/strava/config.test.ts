import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';

const KEY = 'ab'.repeat(32);
const external = { PB_URL: 'http://127.0.0.1:9000', PB_SUPERUSER_EMAIL: 'a@example.com', PB_SUPERUSER_PASSWORD: 'long enough pw' };

describe('Strava configuration', () => {
  it('no credentials: Strava is off (no default secrets)', () => {
    expect(loadConfig({}).strava).toBeNull();
  });

  it('one of the two credentials: a start-up error naming the missing one', () => {
    expect(() => loadConfig({ STRAVA_CLIENT_ID: '1' })).toThrow(ConfigError);
    expect(() => loadConfig({ STRAVA_CLIENT_ID: '1' })).toThrow(/STRAVA_CLIENT_SECRET/);
    expect(() => loadConfig({ STRAVA_CLIENT_SECRET: 's' })).toThrow(/STRAVA_CLIENT_ID/);
  });

  it("defaults to Strava's own URLs and a redirect on our origin; base URLs are configurable", () => {
    const c = loadConfig({ STRAVA_CLIENT_ID: '1', STRAVA_CLIENT_SECRET: 's', PUBLIC_ORIGIN: 'https://hrm.example' }).strava!;
    expect(c).toMatchObject({
      oauthUrl: 'https://www.strava.com/oauth',
      apiUrl: 'https://www.strava.com/api/v3',
      redirectUri: 'https://hrm.example/api/v1/strava/callback',
      tokenKey: null,
      uploadPollMs: 1500,
    });
    const emu = loadConfig({ STRAVA_CLIENT_ID: '1', STRAVA_CLIENT_SECRET: 's', STRAVA_OAUTH_URL: 'http://127.0.0.1:9/oauth/', STRAVA_API_URL: 'http://127.0.0.1:9/api/v3' }).strava!;
    expect([emu.oauthUrl, emu.apiUrl]).toEqual(['http://127.0.0.1:9/oauth', 'http://127.0.0.1:9/api/v3']);
  });

  it('several processes (PB_URL) need one token key; polls are never faster than 1 s', () => {
    expect(() => loadConfig({ ...external, STRAVA_CLIENT_ID: '1', STRAVA_CLIENT_SECRET: 's' })).toThrow(/STRAVA_TOKEN_KEY/);
    expect(loadConfig({ ...external, STRAVA_CLIENT_ID: '1', STRAVA_CLIENT_SECRET: 's', STRAVA_TOKEN_KEY: KEY }).strava!.tokenKey?.key.length).toBe(32);
    expect(() => loadConfig({ STRAVA_CLIENT_ID: '1', STRAVA_CLIENT_SECRET: 's', STRAVA_UPLOAD_POLL_MS: '500' })).toThrow(/STRAVA_UPLOAD_POLL_MS/);
    expect(() => loadConfig({ STRAVA_CLIENT_ID: '1', STRAVA_CLIENT_SECRET: 's', STRAVA_REDIRECT_URI: 'https://hrm.example/cb' })).toThrow(/STRAVA_REDIRECT_URI/);
  });
});
