import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has safe defaults for a local run: loopback, embedded PocketBase in ./pb_data', () => {
    const c = loadConfig({});
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8787);
    expect(c.pocketbase).toEqual({ mode: 'embedded', bin: null, port: 8790, dataDir: 'pb_data', superuser: null });
    expect(c.tls).toBeNull();
    expect(c.smtp).toBeNull();
    expect(c.bodyLimitBytes).toBe(1024 * 1024);
  });

  it('uses an external PocketBase with PB_URL and the superuser', () => {
    const c = loadConfig({ PB_URL: 'http://127.0.0.1:9000/', PB_SUPERUSER_EMAIL: 'a@example.com', PB_SUPERUSER_PASSWORD: 'long enough pw' });
    expect(c.pocketbase).toEqual({ mode: 'external', url: 'http://127.0.0.1:9000', superuser: { email: 'a@example.com', password: 'long enough pw' } });
  });

  it.each([
    [{ PB_URL: 'http://127.0.0.1:9000' }, 'PB_SUPERUSER_EMAIL'],
    [{ PORT: '0' }, 'PORT'],
    [{ PORT: 'x' }, 'PORT'],
    [{ TLS_KEY_FILE: '/k' }, 'TLS_CERT_FILE'],
    [{ PB_SUPERUSER_EMAIL: 'a@example.com' }, 'PB_SUPERUSER_PASSWORD'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ SESSION_IDLE_DAYS: '40', SESSION_MAX_DAYS: '30' }, 'SESSION_MAX_DAYS'],
  ])('%o → names %s', (env, variable) => {
    let err: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(variable);
    expect((err as ConfigError).message).toContain(variable);
  });
});
