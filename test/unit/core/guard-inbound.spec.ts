import { expect } from 'chai';
import { PIN_MASK, scanInbound } from '../../../core/guard/index.ts';
import { LOOK_ALIKES, PIN_CASES, SECRETS } from '../../fixtures/guard-corpus.ts';

describe('guard: inbound', () => {
  describe('finds and hides secrets', () => {
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
  });

  describe('leaves look-alikes untouched', () => {
    for (const text of LOOK_ALIKES) {
      it(JSON.stringify(text), () => {
        expect(scanInbound(text)).to.deep.equal({ findings: [], redacted: text, pin: null });
      });
    }
  });

  describe('takes a 4-digit PIN only while one is expected', () => {
    for (const { text, pin } of PIN_CASES) {
      it(`${JSON.stringify(text)} → ${pin}`, () => {
        const scan = scanInbound(text, { expectingPin: true });
        expect(scan.pin).to.equal(pin);
        expect(scan.findings).to.deep.equal([]);
        if (pin) {
          expect(scan.redacted).to.contain(PIN_MASK);
          expect(scan.redacted.replace(/\s/gu, '')).to.not.contain(pin);
        }
      });
    }

    it('reads "my pincode is …" as the support PIN in the PIN step, and as a secret elsewhere', () => {
      for (const { text, secret } of SECRETS.filter((c) => c.outsidePinStep)) {
        expect(scanInbound(text, { expectingPin: true })).to.deep.include({ findings: [], pin: secret });
      }
    });

    it('never captures a PIN when none is expected', () => {
      for (const { text } of PIN_CASES) expect(scanInbound(text).pin).to.equal(null);
    });

    it('treats a 6-digit code as a finding even in the PIN step', () => {
      expect(scanInbound('482913', { expectingPin: true })).to.deep.include({
        findings: ['verification_code'],
        pin: null,
      });
    });
  });

  it('names each kind once and in a fixed order when a message holds several', () => {
    const scan = scanInbound("password: Hunter2!! and the code 482913, mother's maiden name is Smith");
    expect(scan.findings).to.deep.equal(['password', 'verification_code', 'security_answer']);
    for (const secret of ['Hunter2!!', '482913', 'Smith']) expect(scan.redacted).to.not.contain(secret);
  });

  it('keeps the words around a secret so the agent still reads the message', () => {
    expect(scanInbound('Hi! my password is hunter2 - can you help?').redacted).to.equal(
      'Hi! my password is [hidden] - can you help?',
    );
  });

  it('hides a password’s last character too, whatever it is', () => {
    for (const text of ['password: Abc123!', 'wachtwoord is Geheim123!', 'pw=Summer2024.', "password is 'quoted1'"]) {
      const { redacted } = scanInbound(text);
      expect(redacted, text).to.match(/\[hidden\]$/u);
    }
  });

  it('handles empty, huge and odd input without throwing', () => {
    expect(scanInbound('')).to.deep.equal({ findings: [], redacted: '', pin: null });
    const huge = 'a '.repeat(50_000);
    expect(scanInbound(huge).redacted).to.equal(huge);
    expect(scanInbound('\u0000\u202e password: 𝔥𝔲𝔫𝔱𝔢𝔯2 🙂').findings).to.deep.equal(['password']);
  });
});
