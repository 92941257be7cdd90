import type PocketBase from 'pocketbase';
import { beforeAll } from 'vitest';
import { oauthStatesContract } from '../../../sync-server/src/oauth/states.contract';
import type { OAuthState } from '../../../sync-server/src/spotify/oauth-state-store';
import { createPbOAuthStateStore } from '../../../sync-server/src/spotify/pb-oauth-state-store';
import { anotherAdmin, newMember, useStoreDb } from './store-db';

const s = useStoreDb();
// Two clients of their own: two server processes sharing one PocketBase.
let a: PocketBase;
let b: PocketBase;
beforeAll(async () => {
  [a, b] = await Promise.all([anotherAdmin(s.pb), anotherAdmin(s.pb)]);
});

oauthStatesContract<OAuthState>('spotify_oauth_states', async () => ({
  stores: [createPbOAuthStateStore(a), createPbOAuthStateStore(b)],
  memberId: await newMember(s.admin),
  extra: { sealedVerifier: 'sealed-verifier' },
  dispose: async () => undefined,
}));
