import { describe, expect, it } from 'vitest';
import { redirectUriMatches, redirectUriProblem } from './redirect-uri';

describe('redirect URI rules (A2)', () => {
  it('bans localhost and plain http except on loopback literals', () => {
    expect(redirectUriProblem('http://localhost:3000/cb')).toBe('localhost');
    expect(redirectUriProblem('https://localhost/cb')).toBe('localhost');
    expect(redirectUriProblem('http://hrm.example/cb')).toBe('insecure');
    expect(redirectUriProblem('http://127.0.0.1:5173/cb')).toBeNull();
    expect(redirectUriProblem('http://[::1]:5173/cb')).toBeNull();
    expect(redirectUriProblem('https://hrm.example/cb')).toBeNull();
    expect(redirectUriProblem('/relative')).toBe('not-absolute');
  });

  it('matches exactly, but loopback literals may use any port', () => {
    const registered = ['https://hrm.example/cb', 'http://127.0.0.1:8080/cb', 'http://[::1]/cb'];
    expect(redirectUriMatches('https://hrm.example/cb', registered)).toBe(true);
    expect(redirectUriMatches('https://hrm.example/cb/', registered)).toBe(false);
    expect(redirectUriMatches('https://hrm.example:8443/cb', registered)).toBe(false);
    expect(redirectUriMatches('http://127.0.0.1:51234/cb', registered)).toBe(true);
    expect(redirectUriMatches('http://127.0.0.1:51234/other', registered)).toBe(false);
    expect(redirectUriMatches('http://[::1]:4000/cb', registered)).toBe(true);
    expect(redirectUriMatches('http://localhost:8080/cb', [...registered, 'http://localhost:8080/cb'])).toBe(false);
  });
});
