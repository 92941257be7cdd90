import { oauthStatesContract } from '../oauth/states.contract';
import { createMemoryOAuthStateStore, type OAuthState } from './oauth-state-store';

oauthStatesContract<OAuthState>('spotify, memory', async () => {
  const store = createMemoryOAuthStateStore();
  return { stores: [store, store], memberId: 'member-1', extra: { sealedVerifier: 'sealed-verifier' }, dispose: async () => undefined };
});
