import { SMTPServer } from 'smtp-server';
import { freePort } from './redis-server.ts';

export interface SmtpDouble {
  url: string;
  /** Every message accepted, as received (headers and body). */
  received: string[];
  /** `MAIL FROM` commands seen, refused or not. */
  tries(): number;
  close(): Promise<void>;
}

/**
 * A real SMTP server on a free port of 127.0.0.1 (no TLS, any or no login) that refuses `MAIL FROM` with each
 * of `replies` in turn, then accepts: what `SMTP_URL` points at in tests.
 */
export async function smtpDouble(replies: Array<{ code: number; text: string } | undefined> = []): Promise<SmtpDouble> {
  const received: string[] = [];
  let tries = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, done) {
      tries++;
      const refusal = replies.shift();
      if (!refusal) return done();
      return done(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
    },
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        done();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    tries: () => tries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
