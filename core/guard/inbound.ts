import { FINDING_KINDS, type Finding } from './findings.ts';
import { Scanner } from './scanner.ts';
import { type Token, tokenize } from './text.ts';

export { FINDING_KINDS, type Finding } from './findings.ts';

export type MarkerLocale = 'en' | 'nl';

/** What the previous lines of the same person armed: the next line is read as the value of a secret. */
export interface FollowUp {
  /** The kind of secret the next line may give (`strong`: any value; otherwise only a credential-like one). */
  value?: Finding;
  strong?: boolean;
  /** How many more lines the arming lasts (3 at most). */
  lines?: number;
  /** A security question was mentioned: short answers that follow are hidden. */
  security?: boolean;
}

export interface ScanOptions {
  /** The support PIN step: a 4-digit number given now is the PIN, not a secret. */
  expectingPin?: boolean;
  /** The language of the marker that replaces what is hidden. */
  locale?: MarkerLocale;
  /** What the same person's previous line (within a minute) armed. */
  after?: FollowUp | null;
}

export interface InboundScan {
  /** Each kind found, once, in the order of FINDING_KINDS. */
  findings: Finding[];
  /** The text with every secret (and a captured PIN) replaced; the only form that may be relayed, stored or logged. */
  redacted: string;
  /** The 4-digit support PIN, only when one was expected and exactly one was given. */
  pin: string | null;
  /** What this line arms for the next one from the same person; nothing of a secret is in it. */
  followUp: FollowUp | null;
  /** A support PIN given while none was asked for: hidden, and not a password. */
  earlyPin: boolean;
  /** Where the hidden runs are in the original text: offsets and kinds, nothing of what they hide. */
  hidden: SecretSpan[];
}

/** A hidden run of the original text. `unread`: past the scanned length, hidden without being read. */
export interface SecretSpan {
  start: number;
  end: number;
  kind: Finding | 'pin' | 'unread';
}

export const REDACTED_MARKER: Readonly<Record<MarkerLocale, string>> = { en: '[hidden]', nl: '[verborgen]' };
export const UNREAD_MARKER: Readonly<Record<MarkerLocale, string>> = {
  en: '[rest hidden: too long]',
  nl: '[rest verborgen: te lang]',
};
export const PIN_MASK = '[PIN]';
/** How much of one message is read; the rest is hidden unread, never relayed. */
export const MAX_SCAN_CHARS = 16_000;

/**
 * Scans what a customer (or an agent) typed for secrets, in English and Dutch. Returns the kinds found, the
 * text with each secret hidden, and — only when `expectingPin` — the 4-digit support PIN.
 */
export function scanInbound(text: string, options: ScanOptions = {}): InboundScan {
  const found = findSecrets(text, options);
  const locale = options.locale ?? 'en';
  let redacted = '';
  let cursor = 0;
  for (const span of found.spans) {
    redacted += text.slice(cursor, span.start);
    redacted +=
      span.kind === 'pin' ? PIN_MASK : span.kind === 'unread' ? UNREAD_MARKER[locale] : REDACTED_MARKER[locale];
    cursor = span.end;
  }
  redacted += text.slice(cursor);
  return {
    findings: found.kinds,
    redacted,
    pin: found.pin,
    followUp: found.followUp,
    earlyPin: found.earlyPin,
    hidden: found.spans,
  };
}

export interface SecretsFound {
  /** Sorted, disjoint, within the text. */
  spans: SecretSpan[];
  /** Each kind found, once, in the order of FINDING_KINDS. */
  kinds: Finding[];
  pin: string | null;
  followUp: FollowUp | null;
  earlyPin: boolean;
}

/** The hidden runs of `text`, without building the redacted text (tests check its invariants). */
export function findSecrets(text: string, options: ScanOptions = {}): SecretsFound {
  const scanned = Math.min(text.length, MAX_SCAN_CHARS);
  const tokens = tokenize(text, scanned);
  const scan = new Scanner(tokens, options);
  scan.run();
  const spans = scan.spans();
  if (scanned < text.length) {
    // A word cut by the limit is hidden whole with the unread rest, and so is a secret that reaches it.
    const last = tokens.at(-1);
    let from = last && last.end >= scanned && !/\s/u.test(text[scanned] ?? ' ') ? last.start : scanned;
    const kept: SecretSpan[] = [];
    for (const span of spans) {
      if (span.end <= from) kept.push(span);
      else from = Math.min(from, span.start);
    }
    kept.push({ start: from, end: text.length, kind: 'unread' });
    const kinds = FINDING_KINDS.filter((k) => kept.some((span) => span.kind === k));
    return { spans: kept, kinds, pin: null, followUp: null, earlyPin: false };
  }
  return { spans, kinds: scan.kinds(), pin: scan.pin, followUp: scan.followUp(), earlyPin: scan.earlyPin };
}

/**
 * What someone else's line (the agent's) arms for the customer's next one: the mention of a security question
 * or of one of its topics. Nothing else an agent says changes how the customer is read.
 */
export function armsFromOtherLine(text: string): FollowUp | null {
  const scan = new Scanner(tokenize(text, Math.min(text.length, MAX_SCAN_CHARS)), {});
  const security = scan.mentionsSecurity();
  const named = scan.namedSecret();
  if (!security && !named) return null;
  return { ...(named ? { value: named, lines: 1 } : {}), ...(security ? { security: true } : {}) };
}

/** A secret word or a security topic named in a text, as the outbound check reads it. */
export interface NamedSecret {
  /** First and last token index. */
  from: number;
  to: number;
  kind: Finding;
  /** A PIN word ("pin", "pincode"): the support PIN when "support" stands with it. */
  pin: boolean;
}

/** Every secret word and security topic in `tokens`, by the same lexicon the inbound scan uses. */
export function namedSecrets(tokens: Token[]): NamedSecret[] {
  return new Scanner(tokens, { after: { security: true } }).named();
}
