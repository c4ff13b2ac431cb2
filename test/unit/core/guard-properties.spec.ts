import { expect } from 'chai';
import fc from 'fast-check';
import {
  asksForSecret,
  findSecrets,
  MAX_SCAN_CHARS,
  PIN_MASK,
  REDACTED_MARKER,
  scanInbound,
  UNREAD_MARKER,
} from '../../../core/guard/index.ts';
import { adversarialInputs } from '../../support/guard-corpus.ts';

// Pieces an attacker or a careless customer puts together: secret words and cues in both languages, digits in
// every grouping, separators, look-alikes and invisible characters, and ordinary words.
const PIECES = [
  'password',
  'wachtwoord',
  'ww',
  'pw',
  'code',
  'pin',
  'pincode',
  'recovery key',
  'herstelsleutel',
  'first pet',
  'meisjesnaam',
  'security question',
  'is',
  'was',
  ':',
  '=',
  '->',
  '-',
  ' ',
  '  ',
  '\n',
  ',',
  '.',
  '?',
  '"',
  "'",
  '1',
  '4821',
  '482913',
  '482 913',
  '4 8 2 9 1 3',
  '1234-5678',
  'ABCD-1234-EFGH-5678',
  'NL91 ABNA 0417 1643 00',
  'Hunter2!',
  'Zomer2024',
  'correct horse',
  'my',
  'the',
  'it',
  "it's",
  'order',
  'ticket #',
  '\u200b',
  '\u202e',
  '\u0430',
  '４８',
  '7\uFE0F\u20E3',
  'p a s s',
  '🙂',
  'é',
  'A:',
  'Q:',
];

const message = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((parts) => parts.join(''));
const anything = fc.oneof(message, fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 120 }));
// Long runs of one piece: the inputs that made the old patterns quadratic.
const runs = fc
  .tuple(fc.constantFrom(...PIECES), fc.integer({ min: 1_000, max: 20_000 }), fc.constantFrom('', 'x', 'hunter2'))
  .map(([piece, times, end]) => `code is${piece.repeat(Math.ceil(times / Math.max(1, piece.length)))}${end}`);

/** The text rebuilt from the spans: each span replaced by its marker, everything else as it was. */
function rebuild(text: string, spans: ReturnType<typeof findSecrets>['spans'], locale: 'en' | 'nl'): string {
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    out += text.slice(cursor, span.start);
    out += span.kind === 'pin' ? PIN_MASK : span.kind === 'unread' ? UNREAD_MARKER[locale] : REDACTED_MARKER[locale];
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

function checkInvariants(text: string, expectingPin: boolean, locale: 'en' | 'nl'): void {
  const found = findSecrets(text, { expectingPin, locale });
  const scan = scanInbound(text, { expectingPin, locale });
  // Spans are sorted, disjoint and inside the text.
  let last = 0;
  for (const span of found.spans) {
    expect(span.start).to.be.at.least(last);
    expect(span.end).to.be.above(span.start);
    expect(span.end).to.be.at.most(text.length);
    last = span.end;
  }
  // The redacted text differs from the input only inside hidden spans.
  expect(scan.redacted).to.equal(rebuild(text, found.spans, locale));
  // A kind is reported exactly when something of a secret kind is hidden.
  const secretSpans = found.spans.filter((s) => s.kind !== 'pin' && s.kind !== 'unread');
  expect(scan.findings.length > 0).to.equal(secretSpans.length > 0);
  // A PIN only in the PIN step, as 4 ASCII digits, and hidden.
  if (!expectingPin) expect(scan.pin).to.equal(null);
  if (scan.pin !== null) {
    expect(scan.pin).to.match(/^\d{4}$/u);
    expect(found.spans.some((s) => s.kind === 'pin')).to.equal(true);
  }
  // A hidden secret does not survive in the redacted text, unless the same characters also stand unhidden.
  const starts = found.spans.map((s) => s.start);
  const hiddenAt = (at: number, length: number) => {
    // The last span starting at or before `at`; spans are sorted and disjoint.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    const span = found.spans[lo];
    return span !== undefined && span.start <= at && at + length <= span.end;
  };
  const checked = new Set<string>();
  for (const span of secretSpans) {
    const secret = text.slice(span.start, span.end);
    if (secret.length < 4 || /[[\]]/u.test(secret) || checked.has(secret) || checked.size > 200) continue;
    checked.add(secret);
    let visibleElsewhere = false;
    for (let at = text.indexOf(secret); at >= 0 && !visibleElsewhere; at = text.indexOf(secret, at + 1))
      visibleElsewhere = !hiddenAt(at, secret.length);
    if (!visibleElsewhere) expect(scan.redacted).to.not.include(secret);
  }
  // Past the scanned length everything is hidden unread.
  if (text.length > MAX_SCAN_CHARS) expect(found.spans.at(-1)).to.deep.include({ kind: 'unread', end: text.length });
  // The follow-up holds no text of the message.
  if (scan.followUp)
    expect(Object.values(scan.followUp).every((v) => typeof v !== 'string' || v.length < 20)).to.equal(true);
}

describe('guard: properties over random and adversarial input', () => {
  it('keeps its invariants on random messages, in and out of the PIN step, in both languages', () => {
    fc.assert(
      fc.property(anything, fc.boolean(), fc.constantFrom('en' as const, 'nl' as const), (text, pin, locale) =>
        checkInvariants(text, pin, locale),
      ),
      { numRuns: 1500 },
    );
  });

  it('keeps them on long runs of one piece and on 100 KB lines', () => {
    fc.assert(
      fc.property(runs, (text) => checkInvariants(text, false, 'en')),
      { numRuns: 40 },
    );
    for (const text of Object.values(adversarialInputs())) {
      checkInvariants(text, false, 'en');
      checkInvariants(text, true, 'nl');
    }
  });

  it('never throws in the outbound check, and reads the same text the same way', () => {
    fc.assert(
      fc.property(anything, (text) => {
        expect(asksForSecret(text)).to.equal(asksForSecret(text));
      }),
      { numRuns: 1000 },
    );
  });
});
