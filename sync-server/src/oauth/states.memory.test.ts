import { oauthStatesContract } from './states.contract';
import { createMemoryOAuthStates } from './states';

oauthStatesContract('memory', async () => {
  const store = createMemoryOAuthStates();
  return { stores: [store, store], memberId: 'member-1', dispose: async () => undefined };
});
