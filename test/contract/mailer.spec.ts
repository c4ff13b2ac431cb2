import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { OutboxMailer } from '../../adapters/mailer/outbox-mailer.ts';
import { SmtpMailer } from '../../adapters/mailer/smtp-mailer.ts';
import type { Mail, Mailer } from '../../core/ports/index.ts';
import { freePort } from '../support/redis-server.ts';

const FROM = 'Example Co Support <no-reply@example.com>';

interface MailerHarness {
  mailer: Mailer;
  /** Raw RFC 5322 messages as they arrived. */
  delivered(): Promise<string[]>;
  close(): Promise<void>;
}

function mailerContract(name: string, open: () => Promise<MailerHarness>): void {
  describe(`Mailer contract: ${name}`, () => {
    let h: MailerHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => h.close());

    it('delivers the subject and text intact, accents included, with the language marked', async () => {
      const mail: Mail = {
        to: 'jan@example.nl',
        locale: 'nl',
        subject: 'Iemand probeerde je account bij Example Co te verifiëren',
        text: 'Hallo Jan,\n\nRobin van support heeft je account geverifieerd — één keer.\n',
      };
      await h.mailer.send(mail);
      const [raw] = await h.delivered();
      const parsed = await simpleParser(raw ?? '');
      expect(parsed.subject).to.equal(mail.subject);
      expect(parsed.text?.trim()).to.equal(mail.text.trim());
      expect(parsed.from?.value).to.deep.equal([{ name: 'Example Co Support', address: 'no-reply@example.com' }]);
      expect(parsed.headers.get('content-language')).to.equal('nl');
      expect(parsed.headers.get('auto-submitted')).to.equal('auto-generated');
      const to = parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '';
      expect(to).to.equal('jan@example.nl');
    });

    it('delivers each message separately', async () => {
      for (const n of [1, 2, 3])
        await h.mailer.send({ to: `u${n}@example.com`, locale: 'en', subject: `s${n}`, text: 't' });
      const subjects = await Promise.all((await h.delivered()).map(async (raw) => (await simpleParser(raw)).subject));
      expect(subjects.sort()).to.deep.equal(['s1', 's2', 's3']);
    });
  });
}

mailerContract('outbox folder', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'sv-mail-'));
  const mailer = new OutboxMailer(join(folder, 'outbox'), FROM);
  return {
    mailer,
    delivered: () => mailer.messages(),
    close: async () => rmSync(folder, { recursive: true, force: true }),
  };
});

mailerContract('SMTP', async () => {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
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
  const mailer = new SmtpMailer(`smtp://127.0.0.1:${port}`, FROM);
  return {
    mailer,
    delivered: async () => received,
    close: async () => {
      mailer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
});
