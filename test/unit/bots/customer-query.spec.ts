import { expect } from 'chai';
import { verifyQueryFrom } from '../../../bots/presentation/customer-query.ts';
import { stripHtml } from '../../../bots/teams/teams-bot.ts';

describe('who to verify, read from a customer’s message', () => {
  it('finds the first e-mail address, without a trailing dot', () => {
    expect(verifyQueryFrom('Hi, I am alex@example.com.')).to.equal('alex@example.com');
    expect(verifyQueryFrom('mail: jan.de-vries+test@sub.example.nl, thanks')).to.equal(
      'jan.de-vries+test@sub.example.nl',
    );
    expect(verifyQueryFrom('@handle and a@b but x@example.com')).to.equal('x@example.com');
  });

  it('finds a phone number when there is no address', () => {
    expect(verifyQueryFrom('call me on +31 6 1234 5678 please')).to.equal('+31 6 1234 5678');
    expect(verifyQueryFrom('(415) 555-0132')).to.equal('415) 555-0132');
    expect(verifyQueryFrom('order 4821, ticket 77')).to.equal(undefined);
  });

  it('answers for 40 KB made to be slow as it does for the same text short', () => {
    // The inputs that made the old patterns quadratic: long runs of address characters and of digits.
    expect(verifyQueryFrom(`${'a'.repeat(40_000)} alex@example.com`)).to.equal('alex@example.com');
    expect(verifyQueryFrom(`${'a.'.repeat(20_000)}@`)).to.equal(undefined);
    expect(verifyQueryFrom('@'.repeat(40_000))).to.equal(undefined);
    expect(verifyQueryFrom(`${'1 '.repeat(3)}${' '.repeat(40_000)}`)).to.equal(undefined);
    expect(verifyQueryFrom(`${'- '.repeat(20_000)}+31 6 1234 5678`)).to.equal('+31 6 1234 5678');
  });
});

describe('Teams message HTML as text', () => {
  it('drops tags and non-breaking spaces', () => {
    expect(stripHtml('<p>Hi <b>alex@example.com</b>&nbsp;thanks</p>')).to.equal(' Hi  alex@example.com  thanks ');
  });

  it('keeps a "<" that opens no tag, however many there are', () => {
    expect(stripHtml('a < b')).to.equal('a < b');
    const many = '<'.repeat(30_000);
    expect(stripHtml(many)).to.equal(many);
  });
});
