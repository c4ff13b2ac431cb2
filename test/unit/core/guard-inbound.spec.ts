import { expect } from 'chai';
import {
  armsFromOtherLine,
  findSecrets,
  MAX_SCAN_CHARS,
  PIN_MASK,
  REDACTED_MARKER,
  scanInbound,
  UNREAD_MARKER,
} from '../../../core/guard/index.ts';
import { LOOK_ALIKES, PIN_CASES, SECRETS } from '../../fixtures/guard-corpus.ts';

describe('guard: inbound', () => {
  describe('the first plan’s cases still hold', () => {
    for (const { text, kind, secret, outsidePinStep } of SECRETS) {
      it(`${kind}: ${JSON.stringify(text)}`, () => {
        for (const expectingPin of outsidePinStep ? [false] : [false, true]) {
          const scan = scanInbound(text, { expectingPin });
          expect(scan.findings, `expectingPin=${expectingPin}`).to.include(kind);
          expect(scan.redacted).to.not.contain(secret);
          expect(scan.pin).to.equal(null);
        }
      });
    }
    for (const text of LOOK_ALIKES) {
      it(`leaves ${JSON.stringify(text)} untouched`, () => {
        expect(scanInbound(text)).to.deep.include({ findings: [], redacted: text, pin: null });
      });
    }
    for (const { text, pin } of PIN_CASES) {
      it(`PIN step: ${JSON.stringify(text)} → ${pin}`, () => {
        const scan = scanInbound(text, { expectingPin: true });
        expect(scan.pin).to.equal(pin);
        expect(scan.findings).to.deep.equal([]);
        if (pin) expect(scan.redacted.replace(/\s/gu, '')).to.not.contain(pin);
      });
    }
  });

  describe('hides exactly what was typed', () => {
    it('keeps the words around a secret, and its quotes', () => {
      expect(scanInbound('Hi! my password is hunter2 - can you help?').redacted).to.equal(
        'Hi! my password is [hidden] - can you help?',
      );
      expect(scanInbound("password is 'quoted1'").redacted).to.equal("password is '[hidden]'");
    });

    it('hides a password’s last character too, whatever it is', () => {
      for (const text of ['password: Abc123!', 'wachtwoord is Geheim123!', 'pw=Summer2024.']) {
        expect(scanInbound(text).redacted, text).to.match(/\[hidden\]$/u);
      }
    });

    it('maps hidden runs back to the original characters: zero-width, full-width and keycap digits included', () => {
      const text =
        'code: ４８\u200b２９１３ and pass\u200bword is Fennel44 and 2fa: 7\uFE0F\u20E33\uFE0F\u20E3 1 0 9 4';
      const { spans } = findSecrets(text);
      const hidden = spans.map((s) => text.slice(s.start, s.end));
      expect(hidden).to.include('４８\u200b２９１３');
      expect(hidden).to.include('Fennel44');
      expect(scanInbound(text).redacted).to.equal('code: [hidden] and pass\u200bword is [hidden] and 2fa: [hidden]');
    });

    it('hides every copy of a found code, as a pasted SMS repeats it', () => {
      const scan = scanInbound('Your WhatsApp code: 318-402\nor tap v.whatsapp.com/318402');
      expect(scan.redacted).to.equal('Your WhatsApp code: [hidden]\nor tap v.whatsapp.com/[hidden]');
    });

    it('names each kind once, in a fixed order, when a message holds several', () => {
      const scan = scanInbound("password: Hunter2!! and the code 482913, mother's maiden name is Smith");
      expect(scan.findings).to.deep.equal(['password', 'verification_code', 'security_answer']);
      for (const secret of ['Hunter2!!', '482913', 'Smith']) expect(scan.redacted).to.not.contain(secret);
    });
  });

  describe('the marker speaks the customer’s language', () => {
    it('writes [hidden] in English and [verborgen] in Dutch; a PIN stays [PIN]', () => {
      expect(scanInbound('mijn ww is Zomer2024!', { locale: 'nl' }).redacted).to.equal(
        `mijn ww is ${REDACTED_MARKER.nl}`,
      );
      expect(scanInbound('my pw is Summer2024!', { locale: 'en' }).redacted).to.equal('my pw is [hidden]');
      expect(scanInbound('de pin is 4821', { expectingPin: true, locale: 'nl' }).redacted).to.equal(
        `de pin is ${PIN_MASK}`,
      );
    });
  });

  describe('a 4-digit number is a PIN only in the PIN step', () => {
    it('does not call a support PIN given too early a password, and still hides it', () => {
      const scan = scanInbound('my support pin is 4821');
      expect(scan).to.deep.include({
        findings: [],
        pin: null,
        earlyPin: true,
        redacted: `my support pin is ${PIN_MASK}`,
      });
    });

    it('calls an account PIN a password outside the PIN step', () => {
      expect(scanInbound('the pin for my account is 0077').findings).to.deep.equal(['password']);
    });

    it('treats a 6-digit code as a finding even in the PIN step', () => {
      expect(scanInbound('482913', { expectingPin: true })).to.deep.include({
        findings: ['verification_code'],
        pin: null,
      });
    });

    it('takes one PIN said twice, and none of two different ones', () => {
      expect(scanInbound("it's 4410 4410", { expectingPin: true }).pin).to.equal('4410');
      expect(scanInbound('sorry it’s 8812 not 8821', { expectingPin: true }).pin).to.equal(null);
      expect(scanInbound('vier acht nul zeven', { expectingPin: true }).pin).to.equal('4807');
    });
  });

  describe('a secret split over two lines', () => {
    it('arms the next line strongly after a line that ends on a secret word and a cue', () => {
      const first = scanInbound('ok the password is');
      expect(first.followUp).to.deep.include({ value: 'password', strong: true });
      expect(scanInbound('cinnamon roll 7', { after: first.followUp }).redacted).to.equal('[hidden]');
    });

    it('reads only a credential-like value after a weaker mention, and nothing from a harmless next line', () => {
      const first = scanInbound('i changed my pw last week');
      expect(first.followUp).to.deep.include({ value: 'password' });
      expect(scanInbound('not sure the capital letter took', { after: first.followUp }).findings).to.deep.equal([]);
      expect(scanInbound('can you help me', { after: first.followUp }).redacted).to.equal('can you help me');
      expect(scanInbound('ah wait it was Seagull_44', { after: first.followUp }).redacted).to.equal(
        'ah wait it was [hidden]',
      );
    });

    it('keeps the arming for a line in between, and no longer than three lines', () => {
      let state = scanInbound('het wachtwoord dat ik heb ingesteld').followUp;
      state = scanInbound('even zoeken', { after: state }).followUp;
      expect(scanInbound('gevonden: Gouda#1184', { after: state }).redacted).to.equal('gevonden: [hidden]');
      for (let i = 0; i < 3; i++) state = scanInbound('hmm', { after: state }).followUp;
      expect(scanInbound('Gouda#1184', { after: state }).redacted).to.equal('Gouda#1184');
    });

    it('reads a short answer after a security question, from the customer or the agent', () => {
      const agent = armsFromOtherLine('The portal will ask your security question about your first pet.');
      expect(agent).to.deep.include({ security: true });
      expect(scanInbound('oh its Whiskers', { after: agent }).redacted).to.equal('oh its [hidden]');
      expect(
        scanInbound('I’d rather not say it here, I’ll type it in the portal', { after: agent }).findings,
      ).to.deep.equal([]);
    });

    it('keeps nothing of the secret in what it arms', () => {
      const first = scanInbound('my password is');
      expect(JSON.stringify(first.followUp)).to.not.match(/hunter|\d{4}/u);
    });
  });

  describe('huge and odd input', () => {
    it('handles empty, huge and odd input without throwing', () => {
      expect(scanInbound('')).to.deep.include({ findings: [], redacted: '', pin: null });
      const huge = 'a '.repeat(5_000);
      expect(scanInbound(huge).redacted).to.equal(huge);
      expect(scanInbound('\u0000\u202e password: 𝔥𝔲𝔫𝔱𝔢𝔯2 🙂').findings).to.deep.equal(['password']);
    });

    it('reads at most MAX_SCAN_CHARS of a message and hides the rest unread', () => {
      const head = 'hello '.repeat(Math.ceil(MAX_SCAN_CHARS / 6));
      const text = `${head}my password is hunter2`;
      const scan = scanInbound(text, { locale: 'nl' });
      expect(scan.redacted.endsWith(UNREAD_MARKER.nl)).to.equal(true);
      expect(scan.redacted).to.not.contain('hunter2');
      expect(text.startsWith(scan.redacted.slice(0, -UNREAD_MARKER.nl.length))).to.equal(true);
    });

    it('hides a word cut by the limit whole', () => {
      const text = `${'x '.repeat(MAX_SCAN_CHARS / 2 - 1)}Secret99word and more`;
      const cut = findSecrets(text).spans.at(-1);
      expect(cut?.kind).to.equal('unread');
      expect(text.slice(cut?.start)).to.match(/^Secret99word/u);
    });
  });
});
