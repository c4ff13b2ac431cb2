import { UnsafeOutboundError } from '../errors.ts';

const SECRET_NOUN = new RegExp(
  [
    String.raw`pass\s?words?|passwd|pass\s?codes?|pass\s?phrases?`,
    `(?:verification|security|login|sign[- ]in|one[- ]time|sms|text|2fa|two[- ]factor|mfa|authentication|authenticator|access|confirmation)[- ]?codes?`,
    String.raw`codes?|otps?|2fa|one[- ]time\s+passwords?`,
    String.raw`recovery\s+(?:keys?|codes?|phrases?)|backup\s+codes?|seed\s+phrases?|secret\s+keys?`,
    String.raw`security\s+(?:answers?|questions?)|secret\s+answers?|maiden\s+name|first\s+pet`,
    String.raw`wachtwoord(?:en)?|(?:verificatie|inlog|beveiligings|sms|toegangs|bevestigings|eenmalige\s+|authenticatie)-?codes?`,
    String.raw`herstel(?:sleutel|code|zin)s?|back-?upcodes?|beveiligingsvra(?:ag|gen)|geheime?\s+(?:antwoord|vraag)|meisjesnaam`,
  ]
    .map((alternative) => String.raw`(?<![\p{L}])(?:${alternative})(?![\p{L}])`)
    .join('|'),
  'iu',
);

const REQUEST_VERB =
  /(?<![\p{L}])(?:send|give|tell|share|type|enter|provide|read|say|reply|respond|confirm|paste|forward|spell|dictate|need|ask(?:ing)?\s+for|let\s+(?:me|us)\s+know|what(?:'s|\s+is|\s+was)|which\s+is|could\s+you|can\s+you|would\s+you|please|stuur|geef|vertel|deel|typ|voer|lees|zeg|noem|antwoord|bevestig|plak|spel|heb(?:ben)?\s+\S+\s+nodig|nodig|vragen?\s+om|laat\s+\S+\s+weten|wat\s+is|wat\s+was|kun\s+je|kunt\s+u|wil\s+je|wilt\s+u|graag)(?![\p{L}])/iu;

const NEGATION =
  /(?<![\p{L}])(?:never|not|don['’]?t|do\s+not|won['’]t|will\s+not|shouldn['’]t|no\s+one|nobody|no|nooit|niet|geen|niemand)(?![\p{L}])/iu;

// Dutch puts its negation after the object ("deel je wachtwoord met niemand"); these count wherever they stand.
const TRAILING_NEGATION = /(?<![\p{L}])(?:niemand|niet|nooit|no\s+one|nobody)(?![\p{L}])/iu;

// Clauses, so a leading "never mind," cannot excuse what follows it.
const CLAUSE_BREAK = /[.!?;:\n,()]+|\s[-–—]\s|(?<![\p{L}])(?:but|and then|then|maar|en dan|dan)(?![\p{L}])/iu;

/**
 * Whether a text the bot is about to send asks anyone for a password, a verification code, a recovery key
 * or a security answer. Reassurances ("we will never ask for your password") are allowed.
 */
export function asksForSecret(text: string): boolean {
  for (const clause of text.split(CLAUSE_BREAK)) {
    if (!clause || !SECRET_NOUN.test(clause) || !REQUEST_VERB.test(clause)) continue;
    const noun = clause.search(SECRET_NOUN);
    const negation = clause.search(NEGATION);
    if ((negation === -1 || negation > noun) && !TRAILING_NEGATION.test(clause)) return true;
  }
  return false;
}

/** Throws {@link UnsafeOutboundError} when `text` asks for a secret; every outbound text goes through here. */
export function assertSafeOutbound(text: string, key = 'message'): string {
  if (asksForSecret(text)) throw new UnsafeOutboundError(key);
  return text;
}
