import { expect } from 'chai';
import { UnsafeOutboundError } from '../../../core/errors.ts';
import { asksForSecret, assertSafeOutbound } from '../../../core/guard/index.ts';
import { assertSafeOutboundRemembered } from '../../../core/guard/outbound.ts';

const ASKS = [
  'Please send us your password',
  'What is your password?',
  "What's the verification code you received?",
  'Can you tell me the code from the SMS?',
  'Type your 2FA code here',
  'Reply with the one-time code we sent you.',
  'Please read out your recovery key',
  'To continue, enter your security answer.',
  "Confirm your mother's maiden name",
  'We need your backup codes to proceed',
  'Never mind, send your password',
  "Don't worry about the form, but tell me your passcode",
  'Stuur ons je wachtwoord',
  'Wat is je verificatiecode?',
  'Geef de sms-code door aan de medewerker',
  'Kun je de code uit de sms voorlezen?',
  'Typ je herstelsleutel hier',
  'Noem het antwoord op je beveiligingsvraag',
  'We hebben je inlogcode nodig',
];

const SAFE = [
  'We will never ask for your password.',
  'We never ask for passwords or codes.',
  "Please don't share your password with anyone, including us.",
  'Do not send us verification codes.',
  'No one from support will ask for your recovery key.',
  'Read the 4-digit support PIN to the agent.',
  'Open your account portal and choose “Generate support PIN”.',
  'Check that your phone shows 42, then tap Confirm.',
  'Tries left: 2.',
  'Wij vragen nooit om je wachtwoord of codes.',
  'Deel je wachtwoord met niemand.',
  'Lees de 4-cijferige support-pincode voor aan de medewerker.',
  'Typ de support-pincode die de klant voorleest.',
  'Your password reset link is on its way.',
];

const HARD = {
  ask: [
    'I won’t ask for your password. Now type it here:',
    'We vragen nooit om je wachtwoord, maar nu even wel: wat is het?',
    'Just your password.',
    'wat is je ww?',
    'What’s the 6-digit number we just texted you?',
    'Can you send over your login credentials?',
    'Please send us your p a s s w o r d.',
    'Type your p\u0430ssword here.',
    'What is your pass\u200bword?',
    'Tell me your ｐａｓｓｗｏｒｄ.',
    'It would be great to have your recovery key.',
    'Which street did you grow up on?',
  ],
  safe: [
    'We’ve sent a 6-digit code to your phone. Enter it on the login page, not here.',
    'Please don’t read me the code, just let me know when you’ve typed it into the app.',
    'The support PIN is not your card PIN or your password — only share the support PIN.',
    'Ik stuur je nu een e-mail om je wachtwoord opnieuw in te stellen.',
    'If anyone asks for your code, it’s a scam.',
    'We will never ask for your password, verification codes, recovery key or security answers.',
    'What’s your order number?',
    'Please email us at help@example.com with your order number.',
    'Type the 4 digits in the PIN field below — they stay private.',
  ],
};

describe('guard: outbound', () => {
  describe('reads asks as a person would', () => {
    for (const text of HARD.ask)
      it(`refuses ${JSON.stringify(text)}`, () => expect(asksForSecret(text)).to.equal(true));
    for (const text of HARD.safe)
      it(`allows ${JSON.stringify(text)}`, () => expect(asksForSecret(text)).to.equal(false));
  });

  describe('refuses texts that ask for a secret', () => {
    for (const text of ASKS) {
      it(JSON.stringify(text), () => {
        expect(asksForSecret(text)).to.equal(true);
        expect(() => assertSafeOutbound(text, 'test.key')).to.throw(UnsafeOutboundError, 'test.key');
      });
    }
  });

  describe('allows reassurances and the support PIN', () => {
    for (const text of SAFE) {
      it(JSON.stringify(text), () => {
        expect(asksForSecret(text)).to.equal(false);
        expect(assertSafeOutbound(text)).to.equal(text);
      });
    }
  });

  describe('remembering the texts it found safe (catalog renders)', () => {
    it('answers as the check does, every time, and never remembers a refusal', () => {
      for (let round = 0; round < 2; round++) {
        for (const text of SAFE) expect(assertSafeOutboundRemembered(text)).to.equal(text);
        for (const text of ASKS)
          expect(() => assertSafeOutboundRemembered(text, 'test.key')).to.throw(UnsafeOutboundError, 'test.key');
      }
    });

    it('stays bounded: thousands of distinct safe texts later, an asking text is still refused', () => {
      for (let i = 0; i < 12_000; i++) assertSafeOutboundRemembered(`Your verification with agent ${i} is ready.`);
      expect(() => assertSafeOutboundRemembered(ASKS[0] ?? '')).to.throw(UnsafeOutboundError);
      expect(assertSafeOutboundRemembered('Your verification with agent 11999 is ready.')).to.contain('11999');
    });
  });
});
