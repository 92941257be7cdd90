import type PocketBase from 'pocketbase';
import { beforeAll } from 'vitest';
import { oauthStatesContract } from '../../../sync-server/src/oauth/states.contract';
import { createPbOAuthStates } from '../../../sync-server/src/oauth/states';
import { anotherAdmin, newMember, useStoreDb } from './store-db';

const s = useStoreDb();
// Two clients of their own: two server processes sharing one PocketBase.
let a: PocketBase;
let b: PocketBase;
beforeAll(async () => {
  [a, b] = await Promise.all([anotherAdmin(s.pb), anotherAdmin(s.pb)]);
});

// Strava and intervals.icu keep their states in collections of the same shape.
for (const collection of ['strava_oauth_states', 'intervals_oauth_states']) {
  oauthStatesContract(collection, async () => ({
    stores: [createPbOAuthStates(a, collection), createPbOAuthStates(b, collection)],
    memberId: await newMember(s.admin),
    dispose: async () => undefined,
  }));
}
