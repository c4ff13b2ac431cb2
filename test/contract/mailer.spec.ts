import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { simpleParser } from 'mailparser';
import { OutboxMailer } from '../../adapters/mailer/outbox-mailer.ts';
import { SmtpMailer } from '../../adapters/mailer/smtp-mailer.ts';
import type { Mail, Mailer } from '../../core/ports/index.ts';
import { smtpDouble } from '../support/smtp-double.ts';

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

describe('OutboxMailer', () => {
  it('makes its folder when a write finds it missing, also after it was removed, and keeps the file private', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sv-mail-'));
    const outbox = join(folder, 'nested', 'outbox');
    const mailer = new OutboxMailer(outbox, FROM);
    const mail: Mail = { to: 'alex@example.com', locale: 'en', subject: 'one', text: 'Hello' };
    await mailer.send(mail);
    rmSync(join(folder, 'nested'), { recursive: true, force: true });
    await mailer.send({ ...mail, subject: 'two' });
    const [raw = ''] = await mailer.messages();
    expect((await simpleParser(raw)).subject).to.equal('two');
    const [name = ''] = readdirSync(outbox);
    expect(statSync(join(outbox, name)).mode & 0o777).to.equal(0o600);
    rmSync(folder, { recursive: true, force: true });
  });
});

mailerContract('SMTP', async () => {
  const server = await smtpDouble();
  const mailer = new SmtpMailer(server.url, FROM);
  return {
    mailer,
    delivered: async () => server.received,
    close: async () => {
      mailer.close();
      await server.close();
    },
  };
});

describe('SmtpMailer when the mail server has trouble', () => {
  const mail: Mail = { to: 'alex@example.com', locale: 'en', subject: 'Your verification', text: 'Hello' };

  it('retries a temporary refusal (4xx) with backoff, and delivers once', async () => {
    const server = await smtpDouble([
      { code: 421, text: 'Try again later' },
      { code: 451, text: 'Local error' },
    ]);
    const waits: number[] = [];
    const mailer = new SmtpMailer(server.url, FROM, { backoffMs: 10, sleep: async (ms) => void waits.push(ms) });
    await mailer.send(mail);
    expect(server.received).to.have.length(1);
    expect(server.tries()).to.equal(3);
    expect(waits).to.deep.equal([10, 40]);
    mailer.close();
    await server.close();
  });

  it('gives up at once on a permanent refusal (5xx), and after its attempts on a temporary one', async () => {
    const permanent = await smtpDouble([{ code: 550, text: 'No such user' }]);
    let failure: unknown;
    await new SmtpMailer(permanent.url, FROM, { sleep: async () => {} }).send(mail).catch((error: unknown) => {
      failure = error;
    });
    expect((failure as { responseCode?: number }).responseCode).to.equal(550);
    expect(permanent.tries()).to.equal(1);
    await permanent.close();

    const down = new SmtpMailer('smtp://127.0.0.1:1', FROM, { sleep: async () => {} });
    failure = undefined;
    await down.send(mail).catch((error: unknown) => {
      failure = error;
    });
    expect((failure as { code?: string }).code).to.equal('ESOCKET');
  });
});
