import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const dest = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { logger: createLogger('info', dest), lines };
}

describe('logger redaction', () => {
  it('redacts passwords, tokens, cookies and Authorization wherever they appear', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        password: 'hunter2-hunter2',
        body: { password: 'p4ss-word-x', token: 'tok-123', refresh_token: 'rt-456', access_token: 'at-789' },
        headers: { cookie: 'hrm_session=abc.def', authorization: 'Bearer zzz' },
        user: { secret: 's3cr3t' },
      },
      'test',
    );
    const out = lines.join('');
    for (const secret of ['hunter2-hunter2', 'p4ss-word-x', 'tok-123', 'rt-456', 'at-789', 'abc.def', 'Bearer zzz', 's3cr3t']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
  });
});
