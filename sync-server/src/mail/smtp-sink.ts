import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

/**
 * A tiny SMTP receiver on loopback. A local run without SMTP settings points PocketBase at
 * it and prints each mail to the console, so a developer can follow the verification link;
 * the tests use it as their mail catcher.
 */
export interface CaughtMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
}

export interface SmtpSink {
  port: number;
  mails: CaughtMail[];
  /** Resolves with the first mail (already caught or coming) that matches. */
  waitFor(match: (m: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  close(): Promise<void>;
}

export async function startSmtpSink(opts: { port?: number; onMail?: (m: CaughtMail) => void } = {}): Promise<SmtpSink> {
  const mails: CaughtMail[] = [];
  const waiters: { match: (m: CaughtMail) => boolean; resolve: (m: CaughtMail) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const html = typeof parsed.html === 'string' ? parsed.html : '';
          const text = parsed.text ?? '';
          const links = [...new Set([...(html + ' ' + text).matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0].replace(/&amp;/g, '&')).filter((l) => !l.startsWith('http://www.w3.org/')))];
          const toField = Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : [];
          const mail: CaughtMail = {
            to: toField.flatMap((a) => a.value.map((v) => v.address ?? '')),
            from: parsed.from?.value[0]?.address ?? '',
            subject: parsed.subject ?? '',
            text,
            html,
            links,
          };
          mails.push(mail);
          opts.onMail?.(mail);
          for (const w of [...waiters]) {
            if (w.match(mail)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(mail);
            }
          }
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const addr = server.server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });
  return {
    port,
    mails,
    waitFor(match, timeoutMs = 10_000) {
      const found = mails.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { match, resolve: (m: CaughtMail) => (clearTimeout(timer), resolve(m)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error('no matching mail arrived in time'));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
