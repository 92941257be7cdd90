import { describe, expect, it } from 'vitest';
import { createMemorySessionStore } from '../auth/memory-session-store';
import { createSessions } from '../auth/sessions';
import { announcingSessionStore } from './access-announcer';
import type { AccessEvent } from './bus';
import { createMemoryBus } from './memory-bus';

describe('announcingSessionStore', () => {
  it('announces a revoked session and all sessions of a member, after the delete', async () => {
    const bus = createMemoryBus({ memoTtlMs: 1_000 });
    const inner = createMemorySessionStore();
    const seen: Array<AccessEvent & { stillThere: boolean }> = [];
    const sessions = createSessions(announcingSessionStore(inner, bus), { idleMs: 60_000, maxMs: 600_000 });
    const a = await sessions.issue('user00000000001', 'phone', 1_000);
    await sessions.issue('user00000000001', 'laptop', 1_000);
    const done = new Promise<void>((resolve) =>
      bus.subscribeAccess((e) => {
        void (async () => {
          const stillThere = e.type === 'session-revoked' ? (await inner.get(e.sessionId)) !== null : (await inner.listForUser(e.userId)).length > 0;
          seen.push({ ...e, stillThere });
          if (seen.length === 2) resolve();
        })();
      }),
    );
    await sessions.revoke(a.session.id);
    await sessions.revokeAll('user00000000001');
    await done;
    expect(seen).toEqual([
      { type: 'session-revoked', sessionId: a.session.id, stillThere: false },
      { type: 'sessions-revoked', userId: 'user00000000001', stillThere: false },
    ]);
    // Everything else is the inner store's.
    expect(await sessions.list('user00000000001')).toEqual([]);
  });
});
