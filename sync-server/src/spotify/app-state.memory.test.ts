import { appStateContract } from './app-state.contract';
import { createMemoryAppStateStore } from './memory-app-state-store';

appStateContract(async () => ({
  async make(limit) {
    const s = createMemoryAppStateStore({ callsPer30s: limit });
    return [s, s];
  },
  dispose: async () => undefined,
}));
