import { describe, expect, it } from 'vitest';
import { createMemorySessionStore } from './memory-session-store';
import { createSessions, hashSecret } from './sessions';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

function setup() {
  let t = Date.UTC(2026, 10, 23);
  const store = createMemorySessionStore(() => t);
  const sessions = createSessions(store, { idleMs: 30 * DAY, maxMs: 90 * DAY });
  return { store, sessions, now: () => t, advance: (ms: number) => (t += ms) };
}

describe('sessions', () => {
  it('stores only the hash of the secret and accepts the issued token', async () => {
    const { store, sessions, now } = setup();
    const { token, session } = await sessions.issue('u1', 'Phone', now());
    const secret = token.split('.')[1]!;
    const row = store.rows.get(session.id)!;
    expect(row.secretHash).toBe(hashSecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect((await sessions.authenticate(token, now()))?.id).toBe(session.id);
  });

  it('refuses forged, malformed and revoked tokens', async () => {
    const { sessions, now } = setup();
    const { token, session } = await sessions.issue('u1', 'Phone', now());
    const [id, secret] = token.split('.') as [string, string];
    expect(await sessions.authenticate(`${id}.${secret.slice(0, -2)}xx`, now())).toBeNull();
    expect(await sessions.authenticate(`${id}`, now())).toBeNull();
    expect(await sessions.authenticate('', now())).toBeNull();
    expect(await sessions.authenticate(undefined, now())).toBeNull();
    await sessions.revoke(session.id);
    expect(await sessions.authenticate(token, now())).toBeNull();
  });

  it('slides the idle expiry on use, writing last-seen at most once every 5 minutes', async () => {
    const { store, sessions, now, advance } = setup();
    const { token, session } = await sessions.issue('u1', 'Phone', now());
    advance(4 * MIN + 59_000);
    await sessions.authenticate(token, now());
    expect(store.rows.get(session.id)!.lastSeen).toBe(session.lastSeen); // < 5 min: no write
    advance(1000);
    await sessions.authenticate(token, now());
    expect(store.rows.get(session.id)!.lastSeen).toBe(now());
    advance(29 * DAY);
    expect(await sessions.authenticate(token, now())).not.toBeNull();
    expect(store.rows.get(session.id)!.idleExpires).toBe(now() + 30 * DAY);
    advance(29 * DAY); // 58 days after issue, still used within every 30 days
    expect(await sessions.authenticate(token, now())).not.toBeNull();
  });

  it('expires after 30 idle days', async () => {
    const { sessions, now, advance } = setup();
    const { token } = await sessions.issue('u1', 'Phone', now());
    advance(30 * DAY);
    expect(await sessions.authenticate(token, now())).toBeNull();
  });

  it('never outlives its absolute lifetime, however often it is used', async () => {
    const { sessions, now, advance } = setup();
    const { token } = await sessions.issue('u1', 'Phone', now());
    for (let d = 0; d < 89; d += 10) {
      advance(10 * DAY);
      if (d + 10 < 90) expect(await sessions.authenticate(token, now())).not.toBeNull();
    }
    advance(DAY);
    expect(await sessions.authenticate(token, now())).toBeNull();
  });

  it('revokes every session of one member and no other', async () => {
    const { sessions, now } = setup();
    const a1 = await sessions.issue('a', 'Phone', now());
    const a2 = await sessions.issue('a', 'Tablet', now());
    const b1 = await sessions.issue('b', 'Phone', now());
    await sessions.revokeAll('a');
    expect(await sessions.authenticate(a1.token, now())).toBeNull();
    expect(await sessions.authenticate(a2.token, now())).toBeNull();
    expect(await sessions.authenticate(b1.token, now())).not.toBeNull();
  });
});
