import { createMemoryTimerStore } from './memory-timer-store';
import { timerStoreContract } from './timer-store.contract';

let n = 0;
timerStoreContract(async () => ({ store: createMemoryTimerStore(), newRoom: async () => `room${++n}`, dispose: async () => {} }));
