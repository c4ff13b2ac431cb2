/** The kinds of secret a customer must never share, and the bot must never ask for. */
export type Finding = 'password' | 'verification_code' | 'recovery_key' | 'security_answer';

export const FINDING_KINDS: readonly Finding[] = ['password', 'verification_code', 'recovery_key', 'security_answer'];

export interface InboundScan {
  /** Each kind found, once, in the order of FINDING_KINDS. */
  findings: Finding[];
  /** The text with every secret (and a captured PIN) replaced; the only form that may be relayed, stored or logged. */
  redacted: string;
  /** The 4-digit support PIN, only when one was expected and exactly one was given. */
  pin: string | null;
}

export const REDACTED = '[hidden]';
export const PIN_MASK = '[PIN]';

interface Span {
  start: number;
  end: number;
  kind: Finding | 'pin';
}

// \p{L} keeps accented Dutch and English words whole.
const NOT_WORD_BEFORE = String.raw`(?<![\p{L}\p{N}_])`;
const NOT_WORD_AFTER = String.raw`(?![\p{L}\p{N}_])`;

/** Words that may follow "password is" without being one: "my password is not working". */
const NOT_A_SECRET = new Set(
  (
    'not no wrong incorrect invalid expired old new correct fine ok okay working broken locked blocked too very still ' +
    'the a an my your same different reset changed gone lost forgotten stolen compromised weak strong long short ' +
    'probably definitely also just really somewhere there here empty missing unknown rejected refused ' +
    'niet geen fout onjuist verlopen oud oude nieuw nieuwe goed juist kapot geblokkeerd te nog het een de mijn ' +
    'hetzelfde anders gewijzigd weg kwijt vergeten gestolen zwak sterk lang kort ook gewoon echt leeg onbekend ' +
    'geweigerd veranderd'
  ).split(' '),
);

const PASSWORD_WORDS = String.raw`(?:pass\s?words?|passwd|pwd|pw|pass\s?code|pass\s?phrase|wachtwoord(?:en)?|pincode|pin)`;
const ASSIGN = String.raw`(?:\s*[:=]\s*|\s+(?:is|was|=|luidt|is\s+nu|is\s+now|is\s+het|was\s+het|it's|its)\s*:?\s*|\s+)`;
const PASSWORD_RE = new RegExp(String.raw`${NOT_WORD_BEFORE}${PASSWORD_WORDS}${ASSIGN}(\S{3,200})(?=\s|$)`, 'giu');

const CODE_WORDS = `(?:verification|verificatie|security|beveiligings|login|inlog|log-?in|one[- ]time|sms|2fa|two[- ]factor|mfa|otp|authenticat(?:ion|or)|toegangs|bevestigings|confirmation|access)?[- ]?(?:code|token|otp)s?`;
const KEYWORD_CODE_RE = new RegExp(
  String.raw`${NOT_WORD_BEFORE}(?<!(?:backup|back-up|recovery|herstel|reserve|nood)[- ]?)(?:${CODE_WORDS}|otp|2fa)${ASSIGN}["'“]?([A-Z]-)?((?:\d[ -]?){4,8}|[A-Z0-9]{2,5}-?[A-Z0-9]{2,5})${NOT_WORD_AFTER}`,
  'giu',
);
// A 6-digit code in any usual spelling; never part of a longer number, a phone number, a date or a price.
const SIX_DIGIT_RE =
  /(?<![\p{L}\p{N}_+#€$£/.,:-])(?<!\d[ -])(?<![€$£]\s)(?:[A-Z]-)?(?:\d{6}|\d{3}[ -]\d{3}|\d{2} \d{2} \d{2}|\d(?: \d){5})(?![ -]?\d)(?![\p{L}_/]|[.,:]\d)/gu;
const CODE_CONTEXT_RE = new RegExp(
  String.raw`${NOT_WORD_BEFORE}(?:${CODE_WORDS}|otp|2fa|sms|verifi\w*|bevestig\w*)`,
  'iu',
);
// Order, invoice and ticket references use the same digits; they are what a customer most often quotes.
const REFERENCE_BEFORE_RE =
  /(?:order|orders|order\s?(?:no|nr|number|nummer)|ordernummer|bestelling(?:snummer)?|invoice|factuur(?:nummer)?|ticket|case|zaak|dossier|tracking|track|referentie|reference|ref|klantnummer|customer\s?(?:no|number))\.?\s*(?:#|no\.?|nr\.?|number|nummer|is|:)?\s*$/iu;

const RECOVERY_WORDS = String.raw`(?:recovery|herstel|backup|back-up|reserve|nood)[- ]?(?:key|sleutel|codes?|phrase|zin|woorden)|seed\s?phrase|mnemonic`;
const KEYWORD_RECOVERY_RE = new RegExp(
  String.raw`${NOT_WORD_BEFORE}(?:${RECOVERY_WORDS})${ASSIGN}["'“]?([^\n"”]{6,200}?)["'”]?(?=\s*(?:$|\n|[.;!?](?:\s|$)))`,
  'giu',
);
// Apple-style XXXX-XXXX-… keys, BitLocker-style 6-digit groups: four or more groups, letters and digits mixed.
const GROUPED_KEY_RE = new RegExp(`${NOT_WORD_BEFORE}[A-Z0-9]{4,6}(?:[- ][A-Z0-9]{4,6}){3,}${NOT_WORD_AFTER}`, 'gu');

const ANSWER_WORDS = String.raw`(?:(?:answer|antwoord)(?:\s+(?:to|on|op)\s+(?:my|the|mijn|de|het)\s+(?:security|secret|geheime|beveiligings)\s*(?:question|vraag))?|security\s+answer|geheim\s+antwoord|beveiligingsvraag|security\s+question|mother'?s\s+maiden\s+name|maiden\s+name|meisjesnaam(?:\s+van\s+mijn\s+moeder)?|(?:first|eerste)\s+(?:pet|huisdier|school|car|auto|teacher|leraar|juf|meester)(?:'?s)?(?:\s+(?:name|naam))?|(?:name|naam)\s+(?:of|van)\s+(?:my|mijn)\s+(?:first|eerste)\s+(?:pet|huisdier|school|car|auto|teacher|leraar)|(?:city|town|stad|plaats)\s+(?:where\s+I\s+was\s+born|I\s+was\s+born\s+in|waar\s+ik\s+geboren\s+ben)|geboorteplaats|favou?rite\s+(?:color|colour|food|movie|book)|lievelingskleur)`;
const ANSWER_RE = new RegExp(
  String.raw`${NOT_WORD_BEFORE}${ANSWER_WORDS}(?:\s+(?:is|was|=|luidt|heette|heet|called|named)(?:\s+(?:called|named|genaamd))?\s*:?\s*|\s*[:=]\s*)["'“]?([^\n"”.,;!?]{2,80})`,
  'giu',
);

const PIN_CANDIDATE_RE = /(?<![\p{L}\p{N}_+#€$£/.,:-])(?<!\d[ -])(\d(?:\s?\d){3})(?!\s?\d)(?![\p{L}_/]|[.,:-]\d)/gu;

/**
 * Scans what a customer (or an agent) typed for secrets, in English and Dutch. Returns the kinds found, the
 * text with each secret hidden, and — only when `expectingPin` — the 4-digit support PIN.
 */
export function scanInbound(text: string, options: { expectingPin?: boolean } = {}): InboundScan {
  const spans: Span[] = [];

  for (const m of text.matchAll(PASSWORD_RE)) {
    const value = m[1] ?? '';
    const bare = value.replace(/^["'“‘]|["'”’.,;!?]+$/gu, '');
    if (NOT_A_SECRET.has(bare.toLowerCase()) || bare.length < 3) continue;
    // In the PIN step "the pin is 4821" is the support PIN itself, captured below, not a leaked secret.
    if (options.expectingPin && /^pin(?:-?code)?$/iu.test(firstWord(m[0])) && /^\d{4}$/u.test(bare)) continue;
    // "password reset", "wachtwoord vergeten": no separator means the next word must look like a password.
    if (
      !/[:=]|\s(is|was|luidt|it's|its)\b/iu.test(m[0].slice(0, m[0].length - value.length)) &&
      !looksLikePassword(bare)
    ) {
      continue;
    }
    // The whole token goes: any character, a trailing "!" included, may be part of a password.
    const start = (m.index ?? 0) + m[0].length - value.length;
    spans.push({ start, end: start + value.length, kind: 'password' });
  }

  for (const m of text.matchAll(KEYWORD_CODE_RE)) {
    const value = `${m[1] ?? ''}${m[2] ?? ''}`.trimEnd();
    const digits = value.replace(/\D/gu, '');
    if (!/\d/u.test(value)) continue;
    if (options.expectingPin && /^\d{4}$/u.test(digits) && digits.length === value.replace(/\s/gu, '').length) continue;
    const start = (m.index ?? 0) + m[0].length - (m[1] ?? '').length - (m[2] ?? '').length;
    spans.push({ start, end: start + value.length, kind: 'verification_code' });
  }

  const hasCodeContext = CODE_CONTEXT_RE.test(text);
  for (const m of text.matchAll(SIX_DIGIT_RE)) {
    const start = m.index ?? 0;
    if (!hasCodeContext && REFERENCE_BEFORE_RE.test(text.slice(Math.max(0, start - 40), start))) continue;
    spans.push({ start, end: start + m[0].length, kind: 'verification_code' });
  }

  for (const m of text.matchAll(KEYWORD_RECOVERY_RE)) {
    const value = m[1] ?? '';
    if (NOT_A_SECRET.has(firstWord(value).toLowerCase())) continue;
    const start = (m.index ?? 0) + m[0].length - value.length;
    spans.push({ start, end: start + value.length, kind: 'recovery_key' });
  }
  for (const m of text.matchAll(GROUPED_KEY_RE)) {
    const value = m[0];
    if (!/\d/u.test(value) || (!/[A-Z]/u.test(value) && !/^\d{6}(?:[- ]\d{6}){3,}$/u.test(value))) continue;
    const start = m.index ?? 0;
    spans.push({ start, end: start + value.length, kind: 'recovery_key' });
  }

  for (const m of text.matchAll(ANSWER_RE)) {
    const value = (m[1] ?? '').trim();
    if (value.length < 2 || NOT_A_SECRET.has(firstWord(value).toLowerCase())) continue;
    const start = (m.index ?? 0) + m[0].indexOf(value, m[0].length - (m[1] ?? '').length);
    spans.push({ start, end: start + value.length, kind: 'security_answer' });
  }

  let pin: string | null = null;
  if (options.expectingPin) {
    const candidates: Span[] = [];
    for (const m of text.matchAll(PIN_CANDIDATE_RE)) {
      const start = m.index ?? 0;
      const span: Span = { start, end: start + m[0].length, kind: 'pin' };
      if (!spans.some((s) => overlaps(s, span))) candidates.push(span);
    }
    const distinct = new Set(candidates.map((c) => text.slice(c.start, c.end).replace(/\s/gu, '')));
    if (distinct.size === 1) {
      pin = [...distinct][0] ?? null;
      spans.push(...candidates);
    }
  }

  const merged = mergeSpans(spans);
  let redacted = '';
  let cursor = 0;
  for (const span of merged) {
    redacted += text.slice(cursor, span.start) + (span.kind === 'pin' ? PIN_MASK : REDACTED);
    cursor = span.end;
  }
  redacted += text.slice(cursor);

  const found = new Set(spans.map((s) => s.kind));
  return { findings: FINDING_KINDS.filter((k) => found.has(k)), redacted, pin };
}

function firstWord(text: string): string {
  return text.trim().split(/[\s:=]+/u)[0] ?? '';
}

function looksLikePassword(value: string): boolean {
  return /\d/u.test(value) || /[^\p{L}\p{N}]/u.test(value) || (/\p{Lu}/u.test(value.slice(1)) && /\p{Ll}/u.test(value));
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Overlapping findings merge into one hidden run; the earliest-listed secret kind names it. */
function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out.at(-1);
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      if (last.kind === 'pin' && span.kind !== 'pin') last.kind = span.kind;
      continue;
    }
    out.push({ ...span });
  }
  return out;
}
