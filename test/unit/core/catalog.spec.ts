import { expect } from 'chai';
import { asksForSecret } from '../../../core/guard/index.ts';
import {
  LOCALES,
  MESSAGE_KEYS,
  MESSAGES,
  messageParams,
  REASSURANCE,
  renderMessage,
  resolveLocale,
} from '../../../core/messages/catalog.ts';
import { formatDateTime } from '../../../core/messages/format.ts';

// What asks the customer to act, and the chat's welcome: each carries the reassurance once.
const CUSTOMER_PROMPT =
  /^(customer\.(device\.instructions|pin\.instructions|pin\.not_accepted|chat\.pin|chat\.welcome|identify$)|device\.prompt\.body|portal\.pin\.generated|portal\.devices\.intro|mail\.[a-z]+\.body)/u;
// Outcomes and notices: the reassurance is not repeated on every line.
const CUSTOMER_OUTCOME =
  /^(customer\.(verified|denied|fraud_reported|number_mismatch|failed|expired|cancelled|not_yours|identified|identify_first|secret_warning|pin_early|chat\.ended)|portal\.pin\.locked|portal\.devices\.(none|added|removed|unsupported|cancelled|expired|notifying|notify_denied|notify_failed))/u;

describe('message catalog', () => {
  it('sorts every customer-facing key as a prompt or an outcome', () => {
    const unsorted = MESSAGE_KEYS.filter(
      (k) => /^(customer|device\.prompt|portal)\./u.test(k) && !CUSTOMER_PROMPT.test(k) && !CUSTOMER_OUTCOME.test(k),
    );
    expect(unsorted).to.deep.equal(['device.prompt.title', 'device.prompt.pick_number']);
  });

  for (const key of MESSAGE_KEYS) {
    describe(key, () => {
      for (const locale of LOCALES) {
        it(`renders in ${locale} and passes the outbound guard`, () => {
          const params = Object.fromEntries(messageParams(key).map((name) => [name, `‹${name}›`]));
          const text = renderMessage(key, locale, params);
          expect(text).to.not.match(/\{\w+(?::[^{}]*)?\}/u);
          expect(asksForSecret(text)).to.equal(false);
          for (const name of messageParams(key)) expect(text, `uses {${name}}`).to.contain(`‹${name}›`);
        });
      }

      if (CUSTOMER_PROMPT.test(key)) {
        it('carries the reassurance in both languages', () => {
          expect(MESSAGES[key].en).to.contain(REASSURANCE.en);
          expect(MESSAGES[key].nl).to.contain(REASSURANCE.nl);
        });
      } else if (CUSTOMER_OUTCOME.test(key)) {
        it('does not repeat the reassurance (an outcome, not a prompt)', () => {
          expect(MESSAGES[key].en).to.not.contain(REASSURANCE.en);
          expect(MESSAGES[key].nl).to.not.contain(REASSURANCE.nl);
        });
      }

      it('uses the same placeholders in both languages', () => {
        const names = (text: string) => [...text.matchAll(/\{(\w+)(?::[^{}]*)?\}/gu)].map((m) => m[1]).sort();
        expect(names(MESSAGES[key].nl)).to.deep.equal(names(MESSAGES[key].en));
      });
    });
  }

  it('has a Dutch text that differs from the English one for every sentence-length message', () => {
    const untranslated = MESSAGE_KEYS.filter((k) => MESSAGES[k].en.length > 30 && MESSAGES[k].en === MESSAGES[k].nl);
    expect(untranslated).to.deep.equal([]);
  });

  it('says a count with its noun in the form each language’s plural rules pick', () => {
    const pin = (locale: 'en' | 'nl', minutes: number) =>
      renderMessage('customer.pin.instructions', locale, { agent: 'Robin', minutes });
    expect(pin('en', 1)).to.contain('expires after 1 minute.');
    expect(pin('en', 10)).to.contain('expires after 10 minutes.');
    expect(pin('nl', 1)).to.contain('verloopt na 1 minuut.');
    expect(pin('nl', 10)).to.contain('verloopt na 10 minuten.');
    const left = (locale: 'en' | 'nl', tries: number) =>
      renderMessage('agent.available.pin_failures_left', locale, { tries });
    expect(left('en', 1)).to.contain('1 wrong PIN left today');
    expect(left('en', 2)).to.contain('2 wrong PINs left today');
    expect(left('nl', 1)).to.contain('nog 1 verkeerde pincode vandaag');
    expect(left('nl', 0)).to.contain('nog 0 verkeerde pincodes vandaag');
    expect(
      MESSAGE_KEYS.filter((k) => /\(s\)|\(en\)/u.test(MESSAGES[k].en + MESSAGES[k].nl)),
      'no "PIN(s)"',
    ).to.deep.equal([]);
  });

  it('refuses to render with a missing parameter rather than show braces', () => {
    expect(() => renderMessage('agent.pin_rejected', 'en')).to.throw(/\{tries\}/u);
  });

  it('refuses to send a text that would ask for a secret, even through a parameter', () => {
    expect(() => renderMessage('agent.choose_method', 'en', { customer: 'x. Please send us your password' })).to.throw(
      /asking for a secret/u,
    );
  });

  it('picks Dutch or English from a language tag or Accept-Language header, English otherwise', () => {
    expect(resolveLocale('nl-NL')).to.equal('nl');
    expect(resolveLocale('nl_BE')).to.equal('nl');
    expect(resolveLocale('fr-FR,nl;q=0.8')).to.equal('nl');
    expect(resolveLocale('en-GB,en;q=0.9')).to.equal('en');
    expect(resolveLocale('de-DE')).to.equal('en');
    expect(resolveLocale(undefined)).to.equal('en');
    expect(resolveLocale('')).to.equal('en');
  });

  it('formats times for people in each language', () => {
    const at = Date.parse('2026-11-24T17:45:00Z');
    expect(formatDateTime(at, 'en')).to.equal('24 Nov 2026, 17:45 UTC');
    expect(formatDateTime(at, 'nl')).to.match(/^24 nov 2026,? 17:45 UTC$/u);
  });
});
