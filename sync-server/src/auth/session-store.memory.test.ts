import type { SessionMember } from './session-store';
import { sessionStoreContract } from './session-store.contract';
import { createMemorySessionStore } from './memory-session-store';

sessionStoreContract(async () => {
  const members = new Map<string, SessionMember>();
  let n = 0;
  const store = createMemorySessionStore(Date.now, (id) => members.get(id) ?? null);
  return {
    store,
    async addMember() {
      n += 1;
      const m = { id: `member${String(n).padStart(9, '0')}`, email: `m${n}@example.com`, name: `Member ${n}`, verified: false };
      members.set(m.id, m);
      return m;
    },
    async removeMember(id) {
      // PocketBase cascades the `user` relation: the rows go with the member.
      members.delete(id);
      await store.deleteForUser(id);
    },
    async dispose() {},
  };
});
