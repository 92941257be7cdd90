import { createMemoryResultStore } from './memory-result-store';
import { resultStoreContract } from './result-store.contract';

resultStoreContract(async () => {
  let n = 0;
  return {
    store: createMemoryResultStore(),
    seed: async (count) => {
      const room = `room${String(++n).padStart(11, '0')}`;
      return { room, participants: Array.from({ length: count }, (_, i) => `${room.slice(0, 8)}p${String(i).padStart(6, '0')}`) };
    },
    member: async () => `member${String(++n).padStart(9, '0')}`,
    dispose: async () => {},
  };
});
