/**
 * The member last seen signed in on this device (id and name), so that a start without the
 * network keeps greeting them instead of falling back to the signed-out text. It holds only
 * what the home screen shows; the server's answer (/me) stays the truth and replaces it.
 */
export const LAST_MEMBER_KEY = 'hrm.lastMember';

type KeyValue = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface LastMember {
  id: string;
  name: string;
}

export interface LastMemberStore {
  read(): LastMember | null;
  write(member: LastMember | null): void;
}

export function storedLastMember(store: KeyValue | null): LastMemberStore {
  return {
    read() {
      try {
        const value: unknown = JSON.parse(store?.getItem(LAST_MEMBER_KEY) ?? 'null');
        if (value && typeof value === 'object' && typeof (value as LastMember).id === 'string' && typeof (value as LastMember).name === 'string') {
          const { id, name } = value as LastMember;
          return id ? { id, name } : null;
        }
        return null;
      } catch {
        return null;
      }
    },
    write(member) {
      try {
        if (member) store?.setItem(LAST_MEMBER_KEY, JSON.stringify({ id: member.id, name: member.name }));
        else store?.removeItem(LAST_MEMBER_KEY);
      } catch {
        // Private mode or a full quota: an offline start shows the generic member text.
      }
    },
  };
}

export function browserLastMember(): LastMemberStore {
  let store: KeyValue | null = null;
  try {
    store = globalThis.localStorage ?? null;
  } catch {
    store = null;
  }
  return storedLastMember(store);
}
