import { describe, expect, it } from 'vitest';
import type { Grant } from '../grants/store';
import { connectionOf } from './connection';

const grant = (status: Grant['status']): Grant => ({
  memberId: 'm1',
  version: 1,
  status,
  statusAt: 0,
  authorizedAt: 0,
  expiresAt: 0,
  scopes: '',
  sealed: { accessToken: 'a', refreshToken: 'r', keyId: 'k' },
});
const opens = () => ({ accessToken: 'a', refreshToken: 'r' });

describe('a connection as the status shows it', () => {
  it('no grant: not connected', () => {
    expect(connectionOf(null, opens)).toEqual({ state: 'not_connected', connected: false });
  });
  it('a usable grant: connected', () => {
    expect(connectionOf(grant('ok'), opens)).toEqual({ state: 'connected', connected: true });
  });
  it('a grant the provider refused, or whose tokens no longer open: needs a reconnect', () => {
    expect(connectionOf(grant('needs_reconnect'), opens)).toEqual({ state: 'needs_reconnect', connected: false });
    expect(connectionOf(grant('ok'), () => null)).toEqual({ state: 'needs_reconnect', connected: false });
  });
});
