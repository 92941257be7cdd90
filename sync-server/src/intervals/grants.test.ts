import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createMemoryGrantStore } from '../grants/memory-grant-store';
import { createMemoryLeaseStore } from '../grants/memory-lease-store';
import { createTokenCipher } from '../grants/token-cipher';
import { createMemoryAlarms } from '../strava/grants';
import { createIntervalsGrants, KEY_EXPIRES_AT } from './grants';

const T = Date.UTC(2026, 8, 1, 7, 0, 0);
const KEY = 'personal-key-abcdef0123456789';

function setup() {
  const grants = createMemoryGrantStore().store;
  const g = createIntervalsGrants({
    grants,
    leases: createMemoryLeaseStore(),
    cipher: createTokenCipher({ id: 'k1', key: Buffer.alloc(32, 3) }),
    alarms: createMemoryAlarms(),
    logger: pino({ level: 'silent' }),
    now: () => T,
    random: () => 0.5,
    sleep: async () => undefined,
  });
  return { grants, ...g };
}

describe('a personal API key on the grant engine', () => {
  it('is stored sealed and handed out for a call; it never expires', async () => {
    const { grants, engine, saveKey } = setup();
    await saveKey('m1', KEY, T);
    const stored = await grants.get('m1');
    expect(stored!.sealed.accessToken).toMatch(/^v1\.k1\./);
    expect(JSON.stringify(stored)).not.toContain(KEY);
    expect(stored!.expiresAt).toBe(KEY_EXPIRES_AT);
    const t = await engine.accessToken('m1');
    expect(t).toMatchObject({ ok: true, token: KEY });
  });

  it('refused by intervals.icu (a forced refresh): needs reconnect, recorded once however many callers', async () => {
    const { grants, engine, saveKey } = setup();
    await saveKey('m1', KEY, T);
    const first = await engine.accessToken('m1');
    const version = first.ok ? first.version : -1;
    const answers = await Promise.all([engine.accessToken('m1', version), engine.accessToken('m1', version), engine.accessToken('m1', version)]);
    expect(answers.every((a) => !a.ok && a.problem === 'needs_reconnect')).toBe(true);
    expect(await engine.accessToken('m1')).toMatchObject({ ok: false, problem: 'needs_reconnect' });
    expect((await grants.health('m1')).consecutiveFailures).toBe(1);
    // A new key repairs it.
    await saveKey('m1', `${KEY}-new`, T + 1);
    expect(await engine.accessToken('m1')).toMatchObject({ ok: true, token: `${KEY}-new` });
  });
});
