import { createMemoryHubStore } from './memory-hub-store';
import { hubStoreContract } from './hub-store.contract';

let n = 0;
const id = (p: string) => `${p}${(++n).toString(36).padStart(14, '0')}`;
hubStoreContract(async () => ({ store: createMemoryHubStore(), newRoom: async () => id('r'), newMember: async () => id('u'), newParticipant: async () => id('p') }));
