import { createMemoryRoomStore } from './memory-room-store';
import { roomStoreContract } from './room-store.contract';

roomStoreContract(async () => {
  const store = createMemoryRoomStore();
  return {
    store,
    addMember: async (name, email) => {
      const id = store.newId();
      store.addMember({ id, name, email, verified: true });
      return id;
    },
    dispose: async () => {},
  };
});
