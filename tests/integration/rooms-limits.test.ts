import { describe, expect, it } from 'vitest';
import { useTestServer } from '../support/test-server';
import { createRoom, joinAsGuest, signUp } from './rooms-support';

// Issue 11, defects 6 and 11: join-code guessing is limited atomically (per device and per
// address, before the code is looked up), joins are limited per address, and a class behind one
// NAT address still joins with the right code while someone there types wrong ones.
// Limits: ROOM_CODE_ATTEMPTS_PER_MINUTE=5 per device; 240 code checks per address per minute.
const server = useTestServer({ env: { TRUST_PROXY: '1', ROOM_CODE_ATTEMPTS_PER_MINUTE: '5' } });
const from = (ip: string) => ({ 'x-forwarded-for': ip });
const count = (statuses: number[], s: number) => statuses.filter((x) => x === s).length;

describe('class mode: join limits', () => {
  it('200 parallel wrong codes from one device: exactly 5 are checked, the rest is 429 with Retry-After', async () => {
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => joinAsGuest(server.url, `ZZZZ${2222 + i}`, { deviceId: 'parallel-guesser' }, from('10.6.0.1'))));
    const statuses = replies.map((r) => r.reply.status);
    expect(count(statuses, 404)).toBe(5);
    expect(count(statuses, 429)).toBe(195);
    const refused = replies.find((r) => r.reply.status === 429)!.reply;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a class of 40 behind one NAT address joins with the right code while one phone there types wrong codes', async () => {
    const coach = await signUp(server.url);
    const { room } = await createRoom(coach.c);
    const nat = from('10.6.0.2');
    const wrong = Array.from({ length: 30 }, (_, i) => joinAsGuest(server.url, `WRNG${2222 + i}`, { deviceId: 'typo-phone' }, nat));
    const right = Array.from({ length: 40 }, () => joinAsGuest(server.url, room.joinCode, {}, nat));
    const [w, r] = await Promise.all([Promise.all(wrong), Promise.all(right)]);
    expect(r.map((x) => x.reply.status)).toEqual(Array(40).fill(201));
    expect(count(w.map((x) => x.reply.status), 404)).toBe(5);
    expect((await coach.c.get(`/api/v1/rooms/${room.id}/participants`)).body.participants).toHaveLength(40);
  });

  it('joins over the per-address limit get 429 with Retry-After (fresh device ids do not help)', async () => {
    const coach = await signUp(server.url);
    const { room } = await createRoom(coach.c);
    const replies = await Promise.all(Array.from({ length: 260 }, (_, i) => joinAsGuest(server.url, `QQQQ${2222 + i}`, {}, from('10.6.0.3'))));
    const statuses = replies.map((r) => r.reply.status);
    expect(count(statuses, 404)).toBe(240);
    expect(count(statuses, 429)).toBe(20);
    const blocked = await joinAsGuest(server.url, room.joinCode, {}, from('10.6.0.3'));
    expect(blocked.reply.status).toBe(429);
    expect(Number(blocked.reply.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.reply.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await joinAsGuest(server.url, room.joinCode, {}, from('10.6.0.4'))).reply.status).toBe(201);
  });
});
