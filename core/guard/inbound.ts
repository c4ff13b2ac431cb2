import { FINDING_KINDS, type Finding } from './findings.ts';
import type { SecretWord } from './lexicon.ts';
import * as lexicon from './lexicon.ts';
import type { Token } from './text.ts';
import * as text from './text.ts';

// Bound once: every scan reads these for every token, and a module namespace reads through getters.
const { digitsOf, tokenize } = text;
const {
  LEXICON,
  LEXICON_PREFIXES,
  CHANGE_CUES,
  CHANGE_VERBS,
  CUE_MARKS,
  CUE_WORDS,
  DETERMINERS,
  ENTRY_VERBS,
  FUNCTION_WORDS,
  HINT_WORDS,
  LEAD_INS,
  NOT_SECRET_WORDS,
  NUMBER_WORDS,
  PREPOSITIONS,
  PRONOUN_CUES,
  REFERENCE_LABELS,
  SECRET_SUFFIXES,
  SECRET_WORDS,
  SECURITY_QUESTION,
  STATE_WORDS,
  STRONG_REFERENCES,
  UNITS,
  VALUE_STOPS,
  words,
} = lexicon;

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
/** @deprecated the English marker; use {@link REDACTED_MARKER}. */
export const REDACTED = REDACTED_MARKER.en;
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

interface Hit {
  /** First and last token index, inclusive. */
  from: number;
  to: number;
  kind: Finding | 'pin';
}

interface WordMatch {
  /** Index after the last token of the match. */
  end: number;
  secret?: SecretWord | undefined;
  notSecret?: boolean | undefined;
  topic?: boolean | undefined;
  question?: boolean | undefined;
  /** The word ends in 's, which is the cue ("the password's …"). */
  contracted?: boolean | undefined;
}

/** How far any one rule walks from where it starts, in tokens: what keeps the whole scan linear. */
const REACH = 48;
/** The most tokens one whitespace-delimited chunk may have to be read as one value. */
const CHUNK = 40;
const QUOTES = new Set(['"', '“', '”', '„', '«', '»', "'", '‘', '’', '`']);
const SENTENCE_ENDS = new Set(['.', '!', '?', ';', '…']);
const TITLES = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'jr', 'sr', 'mevr', 'dhr', 'prof']);
// A dot after these abbreviates, it ends no sentence: "incl. netflix is …", "o.a. mijn mail".
const ABBREVIATIONS = words('incl excl eg ie etc vs approx bv oa ca nr resp evt zgn ivm mbt tav mvg gr');
const NAME_PARTICLES = new Set([
  'de',
  'van',
  'der',
  'den',
  'ter',
  'ten',
  't',
  'la',
  'le',
  'du',
  'von',
  'st',
  'sint',
  'san',
  'o',
]);
const NEGATIONS = new Set([
  'not',
  'no',
  'never',
  'dont',
  'doesnt',
  'didnt',
  'cant',
  'cannot',
  'wont',
  'isnt',
  'wasnt',
  'niet',
  'geen',
  'nooit',
  'niks',
  'niets',
  'nothing',
]);
const USER_LABELS = words(
  'login user username userid gebruikersnaam gebruiker inlognaam inlog account acct email e-mail mail id name naam',
);
const ANSWER_CUES = words('is was are were called named genaamd heette heet heten said zei luidt its s');
const FIRST_NOUNS = words(`
  pet pets huisdier huisdiertje dog cat hond kat poes school car auto teacher leraar lerares juf meester job baan
  concert boyfriend girlfriend vriendje vriendinnetje kiss love liefde phone telefoon album record plaat
`);
const FAVOURITE = words('favourite favorite favoriete favoriet fav fave lievelings');
const FAVOURITE_NOUNS = words(`
  teacher leraar lerares juf meester book boek food eten meal gerecht film movie colour color kleur band sport team
  singer zanger zangeres animal dier song liedje place plek city stad holiday vakantie subject vak toy speelgoed
`);
const STREET_WORDS = words('street straat road weg laan lane avenue');
const GREW_UP = words(
  'grew grow growing grewup opgegroeid opgroeide opgroeiden opgroeien childhood jeugd woonde lived',
);
const BIRTH_PLACES = words('city town place plaats stad hospital ziekenhuis dorp village country land');
const BORN = words('born geboren');
const PARENTS_WORDS = words(
  'father mother dad mum mom vader moeder pa ma papa mama fathers mothers dads mums moms vaders moeders',
);
const MIDDLE_NAME = words('middlename tweedenaam roepnaam');
const ANSWER_WORDS = words('answer antwoord antw');
const QUESTION_LABELS = words('q v vraag question');
const RECOVERY_COUNTS = words('12 13 15 18 20 21 24 25');
// The words a security topic phrase starts with; any other word starts none.
const TOPIC_STARTS = new Set([
  ...words(
    'first eerste 1st city stad plaats town best beste childhood jeugd kindertijd honeymoon huwelijksreis dreamjob droombaan',
  ),
  ...words('favourite favorite favoriete favoriet fav fave lievelings street straat road weg laan lane avenue'),
  ...words('village country land hospital ziekenhuis dorp place born geboren answer antwoord antw'),
  ...words('father mother dad mum mom vader moeder pa ma papa mama fathers mothers dads mums moms vaders moeders'),
]);
// Words between a label and its number: "order number is 482913", "ticket nr: 558812", "the ID is".
const LABEL_FILLER = words(
  'is was number nummer no nr num id the de het my mijn your je uw our ons of van was says zegt',
);
// Labels of numbers that look like keys: "SN 8841 0932 7716", "licence XXXXX-XXXXX".
const SERIAL_LABELS = words(
  'serial serialnumber serienummer sn imei iccid simkaartnummer model modelnummer part partnumber license licence licentie productkey product sku barcode ean kenmerk betalingskenmerk iban rekeningnummer',
);
const FOLLOW_UP_LEADS = words(
  'sorry sry wait wacht found gevonden here hier hold hang on ah ahh oops oeps right yes yeah ja allez it het t one sec moment momentje even mine mijne',
);
// References that, standing between a code word and its cue, make the number one: "the code on the invoice is …".
const FILLER_REFERENCES = words(
  'order bestelling factuur invoice ticket case dossier zaak klantnummer customer referentie reference ref',
);
const IRREGULAR_PARTICIPLES = words(
  'given taken written chosen forgotten gotten done shown known seen sent set made put kept lost stolen broken',
);

/** "linked", "expired", "working", "geblokkeerd", "veranderd": a participle says what state a secret is in. */
function isParticiple(tok: Token): boolean {
  if (tok.kind !== 'word' || /[^a-zà-ÿ]/u.test(tok.text)) return false;
  const w = tok.key;
  if (IRREGULAR_PARTICIPLES.has(w)) return true;
  if (w.length >= 5 && /(?:ed|ing)$/u.test(w)) return true;
  if (w.length < 6 || w.length > 13) return false;
  return /^ge/u.test(w) ? /(?:d|t|en)$/u.test(w) : /^(?:ver|be|ont|her)/u.test(w) && /(?:d|en)$/u.test(w);
}

// Long secret words a typo still names; short ones ("pin", "ww") would name too much.
const TYPO_TARGETS: Array<[string, SecretWord]> = [
  ['password', { kind: 'password', role: undefined }],
  ['passcode', { kind: 'password', role: undefined }],
  ['passphrase', { kind: 'password', role: undefined }],
  ['wachtwoord', { kind: 'password', role: undefined }],
  ['paswoord', { kind: 'password', role: undefined }],
  ['toegangscode', { kind: 'password', role: undefined }],
  ['verificatiecode', { kind: 'verification_code', role: 'code' }],
  ['verificationcode', { kind: 'verification_code', role: 'code' }],
  ['herstelsleutel', { kind: 'recovery_key', role: undefined }],
  ['recoverykey', { kind: 'recovery_key', role: undefined }],
  ['meisjesnaam', { kind: 'security_answer', role: undefined }],
];

/** Damerau–Levenshtein distance of at most 1, without building a table: both words are short. */
function oneSlipApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Every match has the same fields, in the same order: the scan reads them on every word. */
function match(end: number, fields: Partial<Omit<WordMatch, 'end'>>): WordMatch {
  return {
    end,
    secret: fields.secret,
    notSecret: fields.notSecret,
    topic: fields.topic,
    question: fields.question,
    contracted: fields.contracted,
  };
}

const RECOVERY_PHRASE: SecretWord = { kind: 'recovery_key', role: undefined };

/** A set of token indexes, as flags: the scan asks it for every token, often. */
class ClaimedTokens {
  // A plain array: most messages claim nothing, and a typed array costs an allocation per scan.
  private readonly flags: boolean[] = [];
  has(i: number): boolean {
    return this.flags[i] === true;
  }
  add(i: number): void {
    this.flags[i] = true;
  }
}

class Scanner {
  private readonly t: Token[];
  private readonly n: number;
  private readonly hits: Hit[] = [];
  /** Token indexes already hidden or read as part of a value. */
  private readonly claimed: ClaimedTokens;
  /** What {@link matchAt} found at each token (null: nothing); filled as asked. */
  private readonly matches: Array<WordMatch | null | undefined>;
  /** Whether the chunk at each token looks like a credential: 0 not yet read, 1 yes, 2 no. */
  private readonly credentials: number[] = [];
  private security: boolean;
  /** Secret words a forward read passed over as filler; they are read with the value it found. */
  private passed: number[] = [];
  private readonly skip = new Set<number>();
  // Candidates, in order, collected by classify().
  private readonly withDigits: number[] = [];
  private readonly keyStarts: number[] = [];
  private readonly userLabels: number[] = [];
  private readonly supports: number[] = [];
  pin: string | null = null;
  earlyPin = false;
  private armed: FollowUp | null = null;
  /** The armed value of the previous line was found on this one. */
  private consumed = false;

  constructor(
    tokens: Token[],
    private readonly options: ScanOptions,
  ) {
    this.t = tokens;
    this.n = tokens.length;
    this.claimed = new ClaimedTokens();
    this.matches = [];
    this.security = options.after?.security === true;
  }

  run(): void {
    if (this.n === 0) return;
    const any = this.classify();
    if (!this.options.after && !this.options.expectingPin && !any) return;
    if (!this.security) this.security = this.mentionsSecurityQuestion();
    const after = this.options.after;
    if (after?.value) this.followUpValue(after.value, after.strong === true, 3);
    if (this.security && (after?.security || after?.value === 'security_answer')) this.answerLine(0);
    for (let i = 0; i < this.n; i++) {
      const tok = this.t[i] as Token;
      if (tok.kind !== 'word' || this.claimed.has(i) || this.skip.has(i)) continue;
      const m = this.matchAt(i);
      if (m?.secret) {
        if (m.contracted) {
          const v = this.valueAt(m.end, m.secret.kind, m.secret.role, true);
          if (v) {
            this.hide(v, m.secret.kind, m.secret.role);
            i = v.to;
            continue;
          }
        }
        this.secretWord(i, m.end, m.secret);
        i = m.end - 1;
        continue;
      }
      if (m?.topic) {
        this.answerTopic(i, m.end);
        i = m.end - 1;
        continue;
      }
      if (m) {
        i = m.end - 1;
        continue;
      }
      this.lineLabel(i);
    }
    this.standaloneCodes();
    this.groupedKeys();
    this.moreOnTheLine();
    this.pairs();
    this.echoes();
    if (this.options.expectingPin) this.takePin();
    else this.earlySupportPin();
  }

  /** The kinds read, each once; a secret read by two rules counts as both. */
  kinds(): Finding[] {
    const read = new Set(this.hits.map((h) => h.kind));
    return FINDING_KINDS.filter((k) => read.has(k));
  }

  spans(): SecretSpan[] {
    const spans: Array<{ start: number; end: number; kind: Finding | 'pin' }> = this.hits
      .map((h) => ({ start: (this.t[h.from] as Token).start, end: (this.t[h.to] as Token).end, kind: h.kind }))
      .sort((a, b) => a.start - b.start || b.end - a.end);
    const out: Array<{ start: number; end: number; kind: Finding | 'pin' }> = [];
    for (const span of spans) {
      const last = out.at(-1);
      if (last && span.start < last.end) {
        last.end = Math.max(last.end, span.end);
        if (last.kind === 'pin' && span.kind !== 'pin') last.kind = span.kind;
        else if (last.kind !== 'pin' && span.kind !== 'pin')
          last.kind = FINDING_KINDS.indexOf(span.kind) < FINDING_KINDS.indexOf(last.kind) ? span.kind : last.kind;
        continue;
      }
      out.push({ ...span });
    }
    return out;
  }

  followUp(): FollowUp | null {
    let armed = this.armed;
    const after = this.options.after;
    if (!armed && after?.value && !this.consumed) {
      // A line in between ("even zoeken", "het is") keeps the arming for a few lines; a bare cue strengthens it.
      const left = (after.lines ?? 3) - 1;
      if (left > 0)
        armed = { value: after.value, lines: left, ...(after.strong || this.onlyCues() ? { strong: true } : {}) };
    }
    if (armed) return this.security ? { ...armed, security: true } : armed;
    return this.security ? { security: true } : null;
  }

  /** The line holds nothing but cues: "het is", "it's", "namely:". */
  private onlyCues(): boolean {
    const words = this.t.filter((x) => x.kind === 'word');
    return (
      words.length > 0 &&
      words.length <= 3 &&
      words.every(
        (x) => CUE_WORDS.has(x.key) || ['it', 'het', 'dat', 't', 'namely', 'namelijk', 'that'].includes(x.key),
      )
    );
  }

  // ── word matching ─────────────────────────────────────────────────────────

  /** The longest lexicon entry starting at token `i`: a secret word, a word that is no secret, or a topic. */
  private matchAt(i: number): WordMatch | undefined {
    const known = this.matches[i];
    // "born in …" is a topic only where a security question is in view, which the scan may learn later.
    if (known === null && this.security && BORN.has(this.key(i))) return this.topicAt(i);
    if (known !== undefined) return known ?? undefined;
    const found = this.lookUp(i);
    this.matches[i] = found ?? null;
    return found;
  }

  private lookUp(i: number): WordMatch | undefined {
    const tok = this.t[i] as Token;
    // "the 24 words from my wallet", "de 12 woorden": a recovery phrase.
    const c0 = tok.text.charCodeAt(0);
    if (
      c0 >= 49 &&
      c0 <= 50 &&
      RECOVERY_COUNTS.has(tok.text) &&
      (this.key(i + 1) === 'words' || this.key(i + 1) === 'woorden')
    )
      return match(i + 2, { secret: RECOVERY_PHRASE });
    if (tok.key.length === 1) {
      const spaced = this.spacedLetters(i);
      if (spaced) return spaced;
    }
    let best: WordMatch | undefined;
    let keys = '';
    let leets = '';
    for (let k = i; k < this.n && k < i + 4; k++) {
      const t = this.t[k] as Token;
      if (t.kind !== 'word' || (k > i && !this.joined(k))) break;
      keys += t.key;
      leets += t.leet;
      // "the password's marmalade", "pw's Dundee2k19": the 's is the cue.
      const last = t.text.charCodeAt(t.text.length - 1);
      if ((last === 115 || last === 83) && /['’]s$/iu.test(t.text)) {
        const m = this.entry(keys.slice(0, -1), k + 1) ?? this.entry(leets.slice(0, -1), k + 1);
        if (m?.secret) {
          best = match(m.end, { ...m, contracted: true });
          continue;
        }
      }
      // Every entry is its own prefix: one lookup turns away a word that starts no entry.
      const keyFits = LEXICON_PREFIXES.has(keys);
      const leetFits = leets !== keys && LEXICON_PREFIXES.has(leets);
      if (!keyFits && !leetFits) break;
      const m = (keyFits ? this.entry(keys, k + 1) : undefined) ?? (leetFits ? this.entry(leets, k + 1) : undefined);
      if (m) best = m;
      // A single letter starts no phrase ("i forgot"); spaced-out letters were read above.
      if (k === i && t.key.length === 1) break;
    }
    if (best) return best;
    return this.topicAt(i) ?? this.suffixAt(i) ?? this.typoAt(i);
  }

  /** "passwrod", "wachtwoort", "pasword1": one slip (a letter wrong, missing, extra or swapped) in a long word. */
  private typoAt(i: number): WordMatch | undefined {
    const tok = this.t[i] as Token;
    const key = tok.leet;
    if (key.length < 7 || key.length > 16 || tok.digits > 0) return undefined;
    for (const [word, secret] of TYPO_TARGETS)
      if (oneSlipApart(key, word))
        return secret.kind === 'security_answer' ? match(i + 1, { topic: true }) : match(i + 1, { secret });
    return undefined;
  }

  /** Tokens that may form one word: next to each other or one space apart, on one line. */
  private joined(k: number): boolean {
    const tok = this.t[k] as Token;
    const prev = this.t[k - 1] as Token;
    return tok.line === prev.line && prev.kind === 'word';
  }

  private entry(key: string, end: number): WordMatch | undefined {
    const entry = LEXICON.get(key);
    if (!entry) return undefined;
    // One shape for every match keeps the property reads on it fast.
    return match(end, entry);
  }

  private suffixAt(i: number): WordMatch | undefined {
    const tok = this.t[i] as Token;
    // Every suffix ends in d, e or l: wachtwoord, password, code, herstelsleutel.
    const last = tok.leet.charCodeAt(tok.leet.length - 1);
    if (tok.key.length < 6 || (last !== 100 && last !== 101 && last !== 108 && tok.leet === tok.key)) return undefined;
    for (const key of tok.leet === tok.key ? [tok.key] : [tok.key, tok.leet])
      for (const [suffix, secret] of SECRET_SUFFIXES)
        if (key.length > suffix.length + 1 && key.endsWith(suffix) && !NOT_SECRET_WORDS.has(key))
          return match(i + 1, { secret });
    return undefined;
  }

  /**
   * "p a s s w o r d", "w a c h t w o o r d": single letters one space apart, read as one word. It walks only
   * while the letters so far begin some entry, so a run of single characters costs one step each.
   */
  private spacedLetters(i: number): WordMatch | undefined {
    const first = this.t[i] as Token;
    let joined = '';
    let best: WordMatch | undefined;
    for (let k = i; k < this.n && k - i < 24; k++) {
      const tok = this.t[k] as Token;
      if (tok.kind !== 'word' || tok.key.length !== 1 || (k > i && (!tok.space || tok.line !== first.line))) break;
      joined += tok.leet;
      if (!LEXICON_PREFIXES.has(joined)) break;
      if (k - i >= 2) {
        const m = this.entry(joined, k + 1);
        if (m?.secret || m?.topic) best = m;
      }
    }
    return best;
  }

  /** Phrases of security questions: "first pet", "the street I grew up on", "city where I was born". */
  private topicAt(i: number): WordMatch | undefined {
    const key = this.key(i);
    if (!TOPIC_STARTS.has(key) && !key.startsWith('lievelings')) return undefined;
    const near = (from: number, span: number, test: (w: string) => boolean) => this.near(from, span, test);
    if (key === 'first' || key === 'eerste' || key === '1st') {
      const k = near(i + 1, 1, (w) => FIRST_NOUNS.has(w) || FIRST_NOUNS.has(w.replace(/s$/u, '')));
      if (k > 0)
        return match(this.isWord(k + 1) && ['name', 'naam'].includes(this.key(k + 1)) ? k + 2 : k + 1, { topic: true });
    }
    if (FAVOURITE.has(key) && this.isWord(i + 1) && FAVOURITE_NOUNS.has(this.key(i + 1)))
      return match(i + 2, { topic: true });
    if (key.startsWith('lievelings') && key.length > 10) return match(i + 1, { topic: true });
    if (STREET_WORDS.has(key)) {
      const k = near(i + 1, 4, (w) => GREW_UP.has(w));
      if (k > 0) {
        const next = this.isWord(k + 1) && ['up', 'on', 'op', 'in', 'aan'].includes(this.key(k + 1)) ? k + 2 : k + 1;
        return match(next, { topic: true });
      }
    }
    if (key === 'city' || key === 'stad' || key === 'plaats' || key === 'town') {
      const k = near(i + 1, 3, (w) => w === 'parents' || w === 'ouders');
      const m = k > 0 ? near(k + 1, 2, (w) => ['met', 'ontmoetten', 'ontmoet', 'leerden'].includes(w)) : -1;
      if (m > 0) return match(m + 1, { topic: true });
    }
    if (BIRTH_PLACES.has(key)) {
      const k = near(i + 1, 3, (w) => BORN.has(w) || w === 'birth' || w === 'geboorte');
      if (k > 0) {
        const next = this.isWord(k + 1) && ['in', 'ben', 'was'].includes(this.key(k + 1)) ? k + 2 : k + 1;
        return match(next, { topic: true });
      }
    }
    if (BORN.has(key) && this.security) {
      const next = this.isWord(i + 1) && ['in', 'at', 'te', 'op'].includes(this.key(i + 1)) ? i + 2 : i + 1;
      return match(next, { topic: true });
    }
    if ((key === 'childhood' || key === 'jeugd' || key === 'kindertijd') && this.isWord(i + 1)) {
      const k = ['best', 'beste'].includes(this.key(i + 1)) ? i + 2 : i + 1;
      if (
        ['nickname', 'bijnaam', 'friend', 'vriend', 'vriendin', 'hero', 'held', 'pet', 'huisdier'].includes(this.key(k))
      )
        return match(k + 1, { topic: true });
    }
    if (
      (key === 'best' || key === 'beste') &&
      this.isWord(i + 1) &&
      ['friend', 'vriend', 'vriendin'].includes(this.key(i + 1))
    ) {
      const k = near(i + 2, 3, (w) => ['child', 'kid', 'kind', 'childhood', 'jeugd', 'school'].includes(w));
      if (k > 0) return match(k + 1, { topic: true });
    }
    if (PARENTS_WORDS.has(key)) {
      // "my mother her name before marriage", "de naam van mijn moeder voor ze trouwde"
      const name = near(i + 1, 2, (w) => w === 'name' || w === 'naam');
      const before = name > 0 ? near(name + 1, 1, (w) => w === 'before' || w === 'voor') : -1;
      const wed = before > 0 ? near(before + 1, 2, (w) => /^(?:marri|trouw|getrouwd|huwelijk|wedding)/u.test(w)) : -1;
      if (wed > 0) return match(wed + 1, { topic: true });
      if (MIDDLE_NAME.has(this.key(i + 1))) return match(i + 2, { topic: true });
      if (this.isWord(i + 2) && MIDDLE_NAME.has(this.key(i + 1) + this.key(i + 2)))
        return match(i + 3, { topic: true });
    }
    // Where a security question is in view, "the answer is …" gives it.
    if (ANSWER_WORDS.has(key) && this.security && ANSWER_CUES.has(this.key(i + 1)))
      return match(i + 1, { topic: true });
    if (ANSWER_WORDS.has(key)) {
      // "the answer to my security question", "antwoord op de beveiligingsvraag"
      for (let k = i + 1; k <= i + 4 && k < this.n; k++) {
        if (!this.isWord(k)) break;
        const m = this.entry(this.key(k), k + 1) ?? this.entry(this.key(k) + (this.t[k + 1]?.key ?? ''), k + 2);
        if (m?.question) return match(m.end, { topic: true });
      }
    }
    if (['honeymoon', 'huwelijksreis', 'dreamjob', 'droombaan'].includes(key)) return match(i + 1, { topic: true });
    return undefined;
  }

  /** Every secret word and topic, left to right. */
  named(): NamedSecret[] {
    const out: NamedSecret[] = [];
    for (let i = 0; i < this.n; i++) {
      if (!this.isWord(i)) continue;
      const m = this.matchAt(i);
      if (!m) continue;
      if (m.secret && m.secret.role !== 'weak')
        out.push({ from: i, to: m.end - 1, kind: m.secret.kind, pin: m.secret.role === 'pin' });
      else if (m.topic) out.push({ from: i, to: m.end - 1, kind: 'security_answer', pin: false });
      i = m.end - 1;
    }
    return out;
  }

  /** The first secret word named, if any: an agent asking about the password arms the customer's reply. */
  namedSecret(): Finding | undefined {
    for (let i = 0; i < this.n; i++) {
      if (!this.isWord(i)) continue;
      const m = this.matchAt(i);
      if (m?.secret && m.secret.role !== 'weak' && m.secret.role !== 'pin') return m.secret.kind;
      if (m) i = m.end - 1;
    }
    return undefined;
  }

  /**
   * One pass over the words: which may start a number, a key, a user/password pair or an early support PIN (the
   * later passes visit only those), and whether any rule could fire at all. Each rule starts at a word that
   * begins a lexicon entry or a topic, ends in a secret suffix, holds a digit, looks like a key group, labels a
   * user, or is a single letter; most chat has none.
   */
  private classify(): boolean {
    let any = false;
    for (let i = 0; i < this.n; i++) {
      const tok = this.t[i] as Token;
      if (tok.kind !== 'word') continue;
      const key = tok.key;
      let trigger = false;
      if (tok.digits > 0) {
        this.withDigits.push(i);
        trigger = true;
      }
      if (mayStartKey(tok)) {
        this.keyStarts.push(i);
        trigger = true;
      }
      if (USER_LABELS.has(key)) {
        this.userLabels.push(i);
        trigger = true;
      }
      if (key === 'support') this.supports.push(i);
      // The lexicon is read once per word, and the main pass reads the same answer again.
      if (!any && !trigger && this.matchAt(i) !== undefined) trigger = true;
      any ||= trigger;
    }
    return any;
  }

  /** A security question, or a topic of one ("first pet", "meisjesnaam"), is named in the text. */
  mentionsSecurity(): boolean {
    if (this.mentionsSecurityQuestion()) return true;
    for (let i = 0; i < this.n; i++) if (this.isWord(i) && this.matchAt(i)?.topic) return true;
    return false;
  }

  /** The first word within `span` words from `from` that passes `test`, or -1 (stops at punctuation). */
  private near(from: number, span: number, test: (key: string) => boolean): number {
    for (let k = from; k <= from + span && k < this.n; k++) {
      if (!this.isWord(k)) return -1;
      if (test(this.key(k))) return k;
    }
    return -1;
  }

  private mentionsSecurityQuestion(): boolean {
    for (let i = 0; i < this.n; i++) {
      if (!this.isWord(i)) continue;
      const key = this.key(i);
      if (this.matchAt(i)?.question) return true;
      // "Q: …" "Vraag 1: …" lines
      if (QUESTION_LABELS.has(key) && this.atLineStart(i)) {
        const next = this.t[i + 1];
        const after = next && /^\d$/u.test(next.text) ? this.t[i + 2] : next;
        if (after?.kind === 'punct' && (after.text === ':' || after.text === '.')) return true;
      }
    }
    return false;
  }

  // ── after a secret word ───────────────────────────────────────────────────

  private secretWord(i: number, end: number, word: SecretWord): void {
    // "code van mijn iphone", "the code for my phone": the phone's passcode.
    let kind = word.kind;
    let after = end;
    this.passed = [];
    if (word.role === 'code' && this.key(i) === 'code') {
      const device = this.deviceAfter(end);
      if (device) {
        kind = 'password';
        after = device;
      } else if (this.unlockAhead(end)) kind = 'password';
    }
    const role = kind === 'password' && word.role === 'pin' ? 'pin' : kind === word.kind ? word.role : undefined;
    const value = this.forward(i, after, kind, role);
    const before = this.backward(i, kind);
    if (value) {
      this.hide(value, kind, role);
      for (const k of this.passed) this.skip.add(k);
      return;
    }
    if (before) return;
    if (kind === 'password' && this.afterthought(i, after)) return;
    this.arm(i, after, kind);
  }

  /** "de code waarmee ik mijn ipad ontgrendel is …": the code that unlocks a device is its passcode. */
  private unlockAhead(k: number): boolean {
    for (let m = k; m < Math.min(this.n, k + 7); m++) {
      const tok = this.t[m] as Token;
      if (tok.kind !== 'word' || CUE_WORDS.has(tok.key)) return false;
      if (/^(?:ontgrendel|unlock|vergrendel)/u.test(tok.key)) return true;
    }
    return false;
  }

  /** "code van mijn iphone", "the code of my phone", "code for the ipad": the index after the device word. */
  private deviceAfter(k: number): number | undefined {
    if (!this.isWord(k) || !['van', 'of', 'for', 'voor', 'on', 'op', 'from', 'uit'].includes(this.key(k)))
      return undefined;
    let m = k + 1;
    if (this.isWord(m) && DETERMINERS.has(this.key(m))) m++;
    const device = this.key(m);
    if (
      [
        'iphone',
        'ipad',
        'telefoon',
        'phone',
        'mobiel',
        'mobile',
        'gsm',
        'toestel',
        'tablet',
        'laptop',
        'macbook',
        'mac',
        'computer',
        'pc',
        'scherm',
        'screen',
        'samsung',
        'android',
        'tel',
      ].includes(device)
    )
      return m + 1;
    return undefined;
  }

  /**
   * What follows a secret word: filler words, then a cue ("is", ":", "→", "changed … to"), then the value; or a
   * credential-like value right after the word. Returns the value's tokens.
   */
  private forward(i: number, j: number, kind: Finding, role: SecretWord['role']): Hit | undefined {
    const changed = this.changeVerbNear(i);
    let filler = 0;
    let k = j;
    const maxFiller = kind === 'security_answer' ? 6 : 18;
    let changedHere = changed;
    // Words are counted, and so is everything else: a run of punctuation cannot make this walk long.
    while (k < this.n && filler <= maxFiller && k - j < REACH) {
      const tok = this.t[k] as Token;
      if (tok.kind === 'newline') {
        // A label on a line of its own ("Password\nhunter2", "backup codes:\n8472 1935").
        if (filler === 0) return this.valueAt(k + 1, kind, role, true);
        return undefined;
      }
      if (tok.kind === 'punct') {
        if (this.isCueMark(k) && (filler === 0 || tok.text !== '-')) {
          const v = this.afterCue(this.skipCueMarks(k), kind, role, true, k);
          if (v) return v;
          return this.continuation(this.skipCueMarks(k), kind, role);
        }
        if (tok.text === '?' && filler === 0) {
          // "pw? its Spurs4life", "what is your mother's maiden name? - Okonkwo"
          k++;
          continue;
        }
        // "wachtw. is …", "pw. Summer2024": a dot touching the word abbreviates it.
        if (
          tok.text === '.' &&
          filler === 0 &&
          k === j &&
          !tok.space &&
          this.t[k + 1]?.kind === 'word' &&
          (CUE_WORDS.has(this.key(k + 1)) || this.credential(k + 1))
        ) {
          k++;
          continue;
        }
        if (this.endsSentence(k)) {
          if (filler === 0 && tok.text === '.') return this.nextSentenceValue(k + 1, kind, role);
          return undefined;
        }
        if (tok.text === ',' && kind === 'security_answer') {
          // "de straat waar ik ben opgegroeid, dat is de Kastanjelaan"; "eerste huisdier, Pluisje"
          const pron = this.pronounCue(k + 1);
          if (pron) return this.valueAt(pron, kind, role, true);
          if (filler === 0 && this.security) return this.answerValue(k + 1, false);
          return undefined;
        }
        k++;
        continue;
      }
      const key = tok.key;
      if (role === 'weak') {
        // "pass: …", "pass = …", "pass is tigger123"; never "can you pass this on".
        if (filler === 0 && CUE_WORDS.has(key)) {
          const next = this.skipLeadIns(k + 1);
          if (this.credential(next)) return this.chunk(next, 'password');
        }
        return undefined;
      }
      if (CUE_WORDS.has(key) || this.pronounCue(k) > 0 || (kind === 'security_answer' && ANSWER_CUES.has(key))) {
        const from = this.pronounCue(k) || k + 1;
        const v = this.afterCue(from, kind, role, true, k);
        if (v) return v;
        return this.continuation(from, kind, role);
      }
      if (CHANGE_VERBS.has(key)) changedHere = true;
      if (CHANGE_CUES.has(key) && (changedHere || this.changeVerbAhead(k + 1))) {
        const v = this.valueAt(k + 1, kind, role, key === 'to' || key === 'naar');
        if (v) return v;
      }
      if (filler === 0 && kind !== 'security_answer') {
        const direct = this.directValue(k, kind, role);
        if (direct) return direct;
      }
      // Dutch puts the verb last: "het wachtwoord dat ze … gebruikt Kerkstraat12 is".
      if (kind === 'password' && filler > 0 && this.credential(k)) {
        const value = this.chunk(k, kind) as Hit;
        const next = this.t[value.to + 1];
        if (next?.kind === 'word' && ['is', 'was', 'zijn', 'waren', 'luidt'].includes(next.key)) return value;
      }
      if (filler === 0 && kind === 'security_answer' && this.isCapitalized(k) && this.startsName(k))
        return this.answerValue(k, true);
      // A reference in between ("the code on the invoice is …") makes the number that follows one.
      if (kind === 'verification_code' && FILLER_REFERENCES.has(key)) return undefined;
      // Another secret word that a cue follows owns the value ("my password and the code is 482913").
      const other = kind !== 'security_answer' ? this.matchAt(k) : undefined;
      const modifier = ['van', 'of', 'for', 'voor', 'from', 'uit', 'op', 'on', 'in'].includes(
        this.key(this.prevWord(k)),
      );
      if (other?.secret && this.cueWithin(other.end, 1) && !modifier) return undefined;
      // The same kind again ("ww ww", "my password, the password I use"): the later word reads what follows.
      if (other?.secret && other.secret.kind === kind && !modifier) return undefined;
      if (other?.secret) {
        this.passed.push(k);
        filler += other.end - k;
        k = other.end;
        continue;
      }
      filler++;
      k++;
    }
    return undefined;
  }

  /** After a cue: the value, or nothing when what follows describes the secret instead. */
  private afterCue(k: number, kind: Finding, role: SecretWord['role'], strong: boolean, cue: number): Hit | undefined {
    if (k < this.n && (this.t[k] as Token).kind === 'newline') return this.valueAt(k + 1, kind, role, true);
    void cue;
    return this.valueAt(k, kind, role, strong);
  }

  /** "nothing fancy, it's football", "is niet moeilijk hoor: tulpen": a second cue later in the sentence. */
  private continuation(k: number, kind: Finding, role: SecretWord['role']): Hit | undefined {
    for (let m = k, words = 0; m < this.n && words < 14 && m - k < REACH; m++) {
      const tok = this.t[m] as Token;
      if (tok.kind === 'newline' || (tok.kind === 'punct' && this.endsSentence(m))) return undefined;
      if (tok.kind === 'punct') {
        if (this.isCueMark(m)) {
          // "is really long, four words: apple river candle moon": after a colon, as after the first cue.
          const v = this.valueAt(this.skipCueMarks(m), kind, role, true, tok.text !== ':');
          if (v) return v;
        }
        continue;
      }
      words++;
      // A later secret word of the same kind reads what follows it.
      if (this.matchAt(m)?.secret?.kind === kind) return undefined;
      const pronoun = this.pronounCue(m);
      if (pronoun) {
        const v = this.valueAt(pronoun, kind, role, kind !== 'security_answer', true);
        if (v) return v;
        m = pronoun - 1;
        continue;
      }
      if (m > k && (CUE_WORDS.has(tok.key) || ['so', 'dus', 'namely', 'namelijk', 'nl', 'ie'].includes(tok.key))) {
        const v = this.valueAt(m + 1, kind, role, true, true);
        if (v) return v;
        continue;
      }
      if (ENTRY_VERBS.has(tok.key) && m > k && kind !== 'verification_code') {
        const next = this.isWord(m + 1) && ['in', 'as', 'als'].includes(this.key(m + 1)) ? m + 2 : m + 1;
        const v = this.valueAt(next, kind, role, kind === 'password');
        if (v) return v;
      }
      if ((kind === 'password' || kind === 'recovery_key') && this.credential(m)) return this.chunk(m, kind);
    }
    return undefined;
  }

  /** A value right after a secret word, without a cue: "pw Marmite4eva", "passcode 482917", "OTP 77310". */
  private directValue(k: number, kind: Finding, role: SecretWord['role']): Hit | undefined {
    if (kind === 'verification_code' || role === 'pin') return this.codeValue(k, kind, role, false);
    if (kind === 'recovery_key') return this.recoveryValue(k, false);
    if (this.credential(k)) return this.chunk(k, kind);
    return undefined;
  }

  /** The value starting at token `k`, by kind; `strong` also takes ordinary words. */
  private valueAt(k: number, kind: Finding, role: SecretWord['role'], strong: boolean, plain = false): Hit | undefined {
    if (k >= this.n) return undefined;
    if (kind === 'verification_code' || role === 'pin') return this.codeValue(k, kind, role, true);
    if (kind === 'recovery_key') return this.recoveryValue(k, true);
    if (kind === 'security_answer') return this.answerValue(k, strong);
    return this.passwordValue(k, strong, plain);
  }

  /**
   * A password value. `strong` (after a cue right after the word) also takes ordinary words and sentences;
   * `plain` (a later cue in the sentence) takes a credential-like word or up to three ordinary ones.
   */
  private passwordValue(start: number, strong: boolean, plain = false): Hit | undefined {
    const k = this.skipLeadIns(start);
    if (k >= this.n) return undefined;
    const quoted = this.quoted(k, 'password');
    if (quoted) return quoted;
    const tok = this.t[k] as Token;
    if (tok.kind === 'newline') return undefined;
    if (tok.kind === 'punct' && !this.credential(k)) return undefined;
    if (this.credential(k)) return this.chunk(k, 'password');
    // "is 58 20 19", "2 2 5 9 8 1": a passcode in groups.
    const run = this.digitRun(k);
    if (run && run.digits.length >= 4 && run.digits.length <= 12 && run.to > k && !this.unitAfter(run.to))
      return { from: run.from, to: run.to, kind: 'password' };
    const clause = this.clause(k, 8);
    if (clause.length === 0) return undefined;
    // "very secret123", "heel geheim123": a credential-like word soon after.
    for (const m of clause.slice(1, 4))
      if (this.credential(m)) return { from: k, to: (this.chunk(m, 'password') as Hit).to, kind: 'password' };
    if (!strong) return undefined;
    const keys = clause.map((m) => this.key(m));
    const first = keys[0] as string;
    if (PREPOSITIONS.has(first) || HINT_WORDS.has(first) || /^\d+$/u.test(first)) return undefined;
    if (keys.some((w) => NEGATIONS.has(w) || HINT_WORDS.has(w) || SECRET_WORDS.has(w) || NOT_SECRET_WORDS.has(w)))
      return undefined;
    if (clause.some((m) => this.matchAt(m)?.secret)) return undefined;
    if (plain) {
      if (this.describes(first) || isParticiple(this.t[k] as Token) || clause.length > 3) return undefined;
      return { from: k, to: clause.at(-1) as number, kind: 'password' };
    }
    // "which is linked is zH4#k9Lw": the word was part of the description; the value comes after.
    if (
      clause.length <= 2 &&
      this.isWord((clause.at(-1) as number) + 1) &&
      CUE_WORDS.has(this.key((clause.at(-1) as number) + 1))
    )
      return undefined;
    if (STATE_WORDS.has(first) || isParticiple(this.t[k] as Token)) {
      // "correct horse battery staple" is a passphrase; "not working", "too long", "saved in Chrome" are not.
      const second = keys[1];
      if (!second || this.describes(second) || CUE_WORDS.has(second) || clause.length < 2) return undefined;
      if (isParticiple(this.t[clause[1] as number] as Token)) return undefined;
      return { from: k, to: clause.at(-1) as number, kind: 'password' };
    }
    if (FUNCTION_WORDS.has(first)) {
      // "the cat sat on the mat", "ik hou van fietsen": a sentence as a passphrase.
      if (clause.length < 3 || keys.slice(1).every((w) => this.describes(w))) return undefined;
      return { from: k, to: clause.at(-1) as number, kind: 'password' };
    }
    return { from: k, to: clause.at(-1) as number, kind: 'password' };
  }

  private describes(key: string): boolean {
    return STATE_WORDS.has(key) || FUNCTION_WORDS.has(key) || PREPOSITIONS.has(key) || HINT_WORDS.has(key);
  }

  /** A one-time code: digits in any grouping, a code with letters and digits, or digits read out in words. */
  private codeValue(start: number, kind: Finding, role: SecretWord['role'], afterCue: boolean): Hit | undefined {
    let k = this.skipLeadIns(start);
    while (
      k < this.n &&
      (this.t[k] as Token).kind === 'punct' &&
      ['#', '"', "'", '“', '(', ':', '-'].includes((this.t[k] as Token).text)
    )
      k++;
    if (k < this.n && (this.t[k] as Token).kind === 'newline') k = this.skipBlankLines(k);
    const run = this.digitRun(k) ?? this.numberWords(k);
    if (run) {
      if (run.digits.length < 4 || run.digits.length > 12) return undefined;
      if (this.unitAfter(run.to)) return undefined;
      const resolvedKind = role === 'pin' && kind === 'password' ? 'password' : kind;
      return { from: run.from, to: run.to, kind: resolvedKind };
    }
    if (kind === 'verification_code' && this.alnumCode(k)) return this.chunk(k, kind);
    if (kind === 'password' && role === 'pin' && afterCue && this.credential(k)) return this.chunk(k, kind);
    return undefined;
  }

  private recoveryValue(start: number, afterCue: boolean): Hit | undefined {
    let k = this.skipLeadIns(start);
    if (k < this.n && (this.t[k] as Token).kind === 'newline') k = this.skipBlankLines(k);
    k = this.skipBullet(k);
    const quoted = this.quoted(k, 'recovery_key');
    if (quoted) return quoted;
    if (k >= this.n || !this.isWord(k)) return undefined;
    if (!this.codeLike(k) && this.credential(k) && !this.describes(this.key(k))) return this.chunk(k, 'recovery_key');
    // Groups of letters and digits, on one or more lines: "8472 1935\n2847 3910", "1234 5678 and 9012 3456".
    if (this.codeLike(k)) {
      let to = this.chunk(k, 'recovery_key')?.to ?? k;
      let m = to + 1;
      while (m < this.n) {
        const tok = this.t[m] as Token;
        if (tok.kind === 'newline') {
          m = this.skipBullet(m + 1);
          continue;
        }
        if (tok.kind === 'punct' && [',', ';', '/', '|'].includes(tok.text)) {
          m++;
          continue;
        }
        if (tok.kind === 'word' && ['and', 'en', 'or', 'of', '&'].includes(tok.key) && this.codeLike(m + 1)) {
          m++;
          continue;
        }
        if (tok.kind === 'word' && this.codeLike(m)) {
          to = this.chunk(m, 'recovery_key')?.to ?? m;
          m = to + 1;
          continue;
        }
        break;
      }
      return { from: k, to, kind: 'recovery_key' };
    }
    if (!afterCue) return undefined;
    // A seed phrase: ordinary words up to the end of the line; a long one may start with any word.
    const first = this.key(k);
    // A long phrase is content words: "written on paper in my drawer at home" is a description.
    const words12 = this.clause(k, 12);
    const functionWords = words12.filter(
      (m) => FUNCTION_WORDS.has(this.key(m)) || PREPOSITIONS.has(this.key(m)),
    ).length;
    const long = words12.length >= 8 && functionWords <= 1;
    if (!long && (this.describes(first) || NEGATIONS.has(first) || /^\d+$/u.test(first))) return undefined;
    let to = k;
    let count = 0;
    for (let m = k; m < this.n && count < 30; m++) {
      const tok = this.t[m] as Token;
      if (tok.kind === 'newline' || (tok.kind === 'punct' && (this.endsSentence(m) || QUOTES.has(tok.text)))) break;
      if (tok.kind === 'word') {
        // BIP39 phrases are 12, 18 or 24 words, and "thank" or "so" may be among them.
        if (VALUE_STOPS.has(tok.key) && (count === 12 || count === 18 || count >= 24)) break;
        to = m;
        count++;
      }
    }
    if (count < 6) return undefined;
    return { from: k, to, kind: 'recovery_key' };
  }

  /** A security answer: a name or a few words, after a category ("a cat called Mimi") where there is one. */
  private answerValue(start: number, strong: boolean, label = false): Hit | undefined {
    let k = this.skipLeadIns(start);
    // "Answer: Swansea", "antwoord: juf Marga", "A: Noodle" on the line after the question.
    if (
      this.isWord(k) &&
      (ANSWER_WORDS.has(this.key(k)) || this.key(k) === 'a') &&
      this.t[k + 1]?.kind === 'punct' &&
      [':', '.', '-'].includes(this.t[k + 1]?.text ?? '')
    ) {
      k = this.skipLeadIns(k + 2);
      label = true;
    }
    const quoted = this.quoted(k, 'security_answer');
    if (quoted) return quoted;
    const pron = this.pronounCue(k);
    if (pron) k = this.skipLeadIns(pron);
    // "was called Tasha Greene": the second cue.
    if (['called', 'named', 'genaamd'].includes(this.key(k))) k++;
    const before = this.t[start - 1];
    if (before?.kind === 'punct' && [':', '=', '—', '–'].includes(before.text)) label = true;
    if (k >= this.n || !this.isWord(k)) return undefined;
    const clause = this.clause(k, 8, true);
    if (clause.length === 0) return undefined;
    const keys = clause.map((m) => this.key(m));
    if (keys.some((w) => NEGATIONS.has(w))) return undefined;
    // "a cat called Mimi", "een hond die Bobbie heette", "een goudvis, Nemo"
    for (let c = 0; c < clause.length; c++) {
      const m = clause[c] as number;
      const key = this.key(m);
      if (['called', 'named', 'genaamd', 'heette', 'heet'].includes(key) && c > 0) return this.nameRun(m + 1, true);
      if (key === 'die' && c > 0) {
        const heette = clause.slice(c + 1).find((x) => ['heette', 'heet', 'heten'].includes(this.key(x)));
        if (heette !== undefined && heette > m + 1) return { from: m + 1, to: heette - 1, kind: 'security_answer' };
      }
    }
    const first = keys[0] as string;
    if (CUE_WORDS.has(first) || ENTRY_VERBS.has(first) || VALUE_STOPS.has(first)) return undefined;
    const particle = NAME_PARTICLES.has(first) && (this.isCapitalized(k + 1) || NAME_PARTICLES.has(this.key(k + 1)));
    if (particle) return this.nameRun(k, true);
    if (label && !DETERMINERS.has(first) && !this.describes(first)) return this.labelValue(k);
    if (DETERMINERS.has(first)) {
      // "a Ford Fiesta", "een Opel Kadett"; "a dog" names no answer, but "een goudvis, Nemo" does.
      if (this.isCapitalized(k + 1)) return this.nameRun(k + 1, strong);
      // "een rode Fiat Panda", "a blue Ford Focus"
      for (let m = k + 1; m <= k + 2 && this.isWord(m) && !this.isCapitalized(m); m++)
        if (this.isCapitalized(m + 1) && !this.describes(this.key(m))) return this.nameRun(m + 1, strong);
      for (let comma = k + 1; comma <= k + 4 && comma < this.n; comma++)
        if (this.t[comma]?.kind === 'punct' && this.t[comma]?.text === ',' && this.isCapitalized(comma + 1))
          return this.nameRun(comma + 1, strong);
      return undefined;
    }
    if (STATE_WORDS.has(first) || HINT_WORDS.has(first) || PREPOSITIONS.has(first)) return undefined;
    if (FUNCTION_WORDS.has(first) && !NAME_PARTICLES.has(first)) return undefined;
    if (keys.some((w) => SECRET_WORDS.has(w) || SECURITY_QUESTION.has(w))) return undefined;
    if (/^\d+$/u.test(first)) return undefined;
    if (!strong && !this.isCapitalized(k)) return undefined;
    return this.nameRun(k, true);
  }

  /** Up to five words of a name: "Van den Berg", "Mr. Delgado", "Oasis at Knebworth", "Cork, Ireland". */
  private nameRun(start: number, lowerToo: boolean): Hit | undefined {
    let k = start;
    while (k < this.n && this.t[k]?.kind === 'punct' && QUOTES.has((this.t[k] as Token).text)) k++;
    if (!this.isWord(k)) return undefined;
    if (!lowerToo && !this.isCapitalized(k)) return undefined;
    if (!this.startsName(k)) return undefined;
    let to = k;
    let words = 0;
    for (let m = k; m < this.n && words < 5; m++) {
      const tok = this.t[m] as Token;
      if (tok.kind === 'newline') break;
      if (tok.kind === 'punct') {
        if (tok.text === '.' && TITLES.has(this.key(m - 1))) continue;
        if (tok.text === ',' && this.isCapitalized(m + 1) && this.lineEndsAfter(m + 1)) continue;
        if (tok.text === "'" || tok.text === '’' || tok.text === '-' || tok.text === '&') {
          if (tok.text === "'" || tok.text === '’') to = m;
          continue;
        }
        break;
      }
      const key = tok.key;
      if (m > k) {
        if (VALUE_STOPS.has(key) || NEGATIONS.has(key)) break;
        if (PREPOSITIONS.has(key) && !NAME_PARTICLES.has(key)) {
          if (!this.isCapitalized(m + 1) || /\d/u.test(this.t[m + 1]?.text ?? '')) break;
        } else if (FUNCTION_WORDS.has(key) && !NAME_PARTICLES.has(key) && !this.isCapitalized(m)) break;
        else if (!this.isCapitalized(m) && this.isCapitalized(k) && !NAME_PARTICLES.has(key) && words >= 1) {
          // "Biscuit (a hamster)", "Tijger (een kat lol)": a capitalized name, then lower-case talk.
          if (!lowerToo || STATE_WORDS.has(key) || HINT_WORDS.has(key)) break;
          if (ENTRY_VERBS.has(key) || CUE_WORDS.has(key)) break;
        }
      }
      to = m;
      words++;
    }
    return { from: k, to, kind: 'security_answer' };
  }

  /** "X is my password", "I used 'fluffy' as my password", "X was what I changed my password to". */
  private backward(i: number, kind: Finding): boolean {
    let k = i - 1;
    let skipped = 0;
    while (k >= 0 && skipped < 6 && i - k < REACH) {
      const tok = this.t[k] as Token;
      if (tok.kind === 'newline' || (tok.kind === 'punct' && this.endsSentence(k))) return false;
      if (tok.kind === 'punct') {
        if (QUOTES.has(tok.text)) break;
        if (tok.text === '-' || tok.text === '<' || tok.text === '—' || tok.text === '←') {
          k--;
          continue;
        }
        return false;
      }
      const key = tok.key;
      if (
        DETERMINERS.has(key) ||
        [
          'new',
          'old',
          'current',
          'nieuwe',
          'nieuw',
          'oude',
          'oud',
          'huidige',
          'own',
          'eigen',
          'usual',
          'account',
          'microsoft',
          'google',
          'apple',
        ].includes(key)
      ) {
        k--;
        continue;
      }
      if (
        CUE_WORDS.has(key) ||
        [
          'as',
          'als',
          'for',
          'voor',
          'when',
          'toen',
          'after',
          'nadat',
          'be',
          'should',
          'must',
          'moet',
          'zou',
          'what',
          'wat',
          'i',
          'ik',
          'k',
          'ive',
          'id',
          'im',
          'we',
          'wij',
          'heb',
          'had',
          'has',
          'have',
          'heeft',
          'hebben',
          'always',
          'altijd',
          'ever',
          'nog',
          'still',
        ].includes(key) ||
        LEAD_INS.has(key) ||
        ENTRY_VERBS.has(key) ||
        CHANGE_VERBS.has(key)
      ) {
        k--;
        skipped++;
        continue;
      }
      break;
    }
    if (k < 0 || k === i - 1) return false;
    // The value ends at token k (a quote closes it, or a word ends it).
    const tok = this.t[k] as Token;
    if (tok.kind === 'punct' && QUOTES.has(tok.text)) {
      const open = this.openingQuote(k);
      if (open === undefined || open + 1 > k - 1) return false;
      this.hide({ from: open + 1, to: k - 1, kind }, kind, undefined);
      return true;
    }
    const from = this.chunkStart(k);
    if (this.credentialRange(from, k) || (kind === 'security_answer' && this.isCapitalized(from))) {
      if (kind === 'security_answer') {
        let s = from;
        while (s - 1 >= 0 && this.isWord(s - 1) && this.isCapitalized(s - 1) && k - s < 4) s--;
        this.hide({ from: s, to: k, kind }, kind, undefined);
      } else this.hide({ from, to: k, kind }, kind, undefined);
      return true;
    }
    // "fluffy is my password": an ordinary word right before "is my".
    const between = this.t
      .slice(k + 1, i)
      .filter((x) => x.kind === 'word')
      .map((x) => x.key);
    if (
      kind === 'password' &&
      between.length >= 1 &&
      ['is', 'was', 'als', 'as'].includes(between[0] as string) &&
      between.slice(1).every((w) => DETERMINERS.has(w) || ['new', 'nieuwe'].includes(w)) &&
      !this.describes(tok.key) &&
      !VALUE_STOPS.has(tok.key) &&
      !LEAD_INS.has(tok.key) &&
      from === k
    ) {
      this.hide({ from: k, to: k, kind }, kind, undefined);
      return true;
    }
    return false;
  }

  /**
   * "my daughter set it to Daisy&Duke3 I think, the password I mean", "heeft het op Opa&Oma50 gezet, het
   * wachtwoord bedoel ik": the word comes after the value, as an afterthought to a sentence that set it.
   */
  private afterthought(i: number, end: number): boolean {
    const tail = [this.key(end), this.key(end + 1)];
    const late =
      (tail[0] === 'i' && (tail[1] === 'mean' || tail[1] === 'meant')) ||
      (tail[0] === 'bedoel' && tail[1] === 'ik') ||
      this.endsLine(end) ||
      (this.t[end]?.kind === 'punct' && this.endsSentence(end));
    if (!late) return false;
    for (let k = i - 1; k >= 0 && i - k < 20; k--) {
      const tok = this.t[k] as Token;
      if (tok.kind === 'newline' || (tok.kind === 'punct' && this.endsSentence(k))) return false;
      if (tok.kind !== 'word' || !this.credential(k)) continue;
      const value = this.chunkRange(k);
      const cue = this.key(value.from - 1);
      const verbAfter = CHANGE_VERBS.has(this.key(value.to + 1)) || CHANGE_VERBS.has(this.key(value.to + 2));
      const verbBefore = [2, 3, 4].some(
        (d) => CHANGE_VERBS.has(this.key(value.from - d)) || ENTRY_VERBS.has(this.key(value.from - d)),
      );
      if ((CHANGE_CUES.has(cue) || cue === 'as' || cue === 'als') && (verbAfter || verbBefore)) {
        this.hide({ from: value.from, to: value.to, kind: 'password' }, 'password', undefined);
        return true;
      }
    }
    return false;
  }

  /** A secret word that gave no value arms the next line: strongly when it ends on a cue or stands alone. */
  private arm(i: number, end: number, kind: Finding): void {
    let k = end;
    let strong = false;
    while (k < this.n && k - end < REACH) {
      const tok = this.t[k] as Token;
      if (tok.kind === 'newline') break;
      if (tok.kind === 'punct') {
        if ([':', '?', '=', '…', '-', '>', '→', '.'].includes(tok.text)) strong = strong || tok.text !== '.';
        k++;
        continue;
      }
      if (
        CUE_WORDS.has(tok.key) ||
        this.pronounCue(k) ||
        [
          'for',
          'voor',
          'van',
          'of',
          'from',
          'uit',
          'the',
          'de',
          'het',
          'mijn',
          'mn',
          'my',
          'i',
          'ik',
          'set',
          'wordt',
          'app',
          'account',
          'phone',
          'telefoon',
        ].includes(tok.key)
      ) {
        if (CUE_WORDS.has(tok.key) || this.pronounCue(k) || tok.key === 'wordt') strong = true;
        k++;
        continue;
      }
      this.armTopic(kind);
      return;
    }
    const lineStart = Math.max(this.lineStartOf(i, 8), i - 8);
    const wordsBefore = this.t
      .slice(lineStart, i)
      .filter((x) => x.kind === 'word')
      .map((x) => x.key);
    const talk = wordsBefore.some((w) =>
      [
        'forgot',
        'forgotten',
        'vergeten',
        'reset',
        'change',
        'kwijt',
        'lost',
        'where',
        'waar',
        'how',
        'hoe',
        'need',
        'nodig',
        'find',
        'vind',
      ].includes(w),
    );
    if (wordsBefore.length <= 3 && !talk) strong = true;
    if (talk) strong = false;
    const value: FollowUp = { value: kind, ...(strong ? { strong: true } : {}) };
    this.armed = this.armed?.strong && !strong ? this.armed : value;
  }

  private armTopic(kind: Finding): void {
    if (!this.armed) this.armed = { value: kind };
  }

  // ── security answers ──────────────────────────────────────────────────────

  private answerTopic(i: number, end: number): void {
    const value = this.forward(i, end, 'security_answer', undefined);
    if (value) {
      this.hide(value, 'security_answer', undefined);
      return;
    }
    if (this.backwardAnswer(i)) return;
    this.security = true;
    if (this.endsLine(end)) this.armed = { value: 'security_answer', strong: true };
  }

  /** "I went to Hillcrest Elementary for my first school", "Fluffy was my first pet". */
  private backwardAnswer(i: number): boolean {
    let k = i - 1;
    while (k >= 0 && this.isWord(k) && DETERMINERS.has(this.key(k))) k--;
    if (k < 1 || !this.isWord(k)) return false;
    if (!['for', 'voor', 'as', 'als', 'was', 'is'].includes(this.key(k))) return false;
    const end = k - 1;
    if (!this.isWord(end) || !this.isCapitalized(end)) return false;
    let from = end;
    while (from - 1 >= 0 && this.isWord(from - 1) && this.isCapitalized(from - 1) && end - from < 3) from--;
    if (from === 0 && end === from && FUNCTION_WORDS.has(this.key(from))) return false;
    this.hide({ from, to: end, kind: 'security_answer' }, 'security_answer', undefined);
    return true;
  }

  /** A line read as an answer, after a security question: "oh its Whiskers", "I put Pepper", "volkswagen". */
  private answerLine(start: number): void {
    let k = start;
    for (let guard = 0; guard < 6 && k < this.n; guard++) {
      const before = k;
      k = this.skipLeadIns(k);
      const pron = this.pronounCue(k);
      if (pron) k = pron;
      if (this.isWord(k) && ['i', 'ik', 'ive', 'id', 'k'].includes(this.key(k)) && this.isWord(k + 1)) {
        let verb = k + 1;
        if (['have', 'heb', 'had', 've', 'just'].includes(this.key(verb))) verb++;
        if (ENTRY_VERBS.has(this.key(verb)) || CUE_WORDS.has(this.key(verb))) k = verb + 1;
      }
      if (['either', 'maybe', 'misschien', 'of', 'either'].includes(this.key(k))) k++;
      if (k === before) break;
    }
    if (k >= this.n || !this.isWord(k)) return;
    const lineEnd = this.lineEndOf(k, REACH);
    const words = this.t.slice(k, lineEnd + 1).filter((x) => x.kind === 'word');
    const first = this.key(k);
    const titleCase = words.length <= 6 && words.filter((w) => /^\p{Lu}/u.test(w.text)).length * 2 >= words.length;
    const clause = this.clause(k, 8, true);
    if (!titleCase) {
      if (this.describes(first) && !NAME_PARTICLES.has(first)) return;
      if (clause.length > 4) return;
      if (
        clause
          .map((m) => this.key(m))
          .some((w) => NEGATIONS.has(w) || (FUNCTION_WORDS.has(w) && !NAME_PARTICLES.has(w)))
      )
        return;
    }
    const run = titleCase
      ? {
          from: k,
          to: words.at(-1) === undefined ? k : this.t.indexOf(words.at(-1) as Token),
          kind: 'security_answer' as const,
        }
      : this.nameRun(k, true);
    if (!run) return;
    this.hide(run, 'security_answer', undefined);
    // "Groningen en Kwispel", "either A or B", "Mrs Henderson and just Henderson"
    let m = run.to + 1;
    while (m < this.n && this.isWord(m) && ['and', 'en', 'or', 'of'].includes(this.key(m))) {
      const next = this.skipLeadIns(m + 1);
      const more = this.nameRun(next, true);
      if (!more) break;
      this.hide(more, 'security_answer', undefined);
      m = more.to + 1;
    }
  }

  // ── lines and labels ──────────────────────────────────────────────────────

  /** "A: Noodle", "Antwoord: Bakker" after a question; each only where a security question is in view. */
  private lineLabel(i: number): void {
    if (!this.security || !this.atLineStartOrAfterQuestion(i)) return;
    const key = this.key(i);
    if (!(key === 'a' || ANSWER_WORDS.has(key))) return;
    const next = this.t[i + 1];
    if (next?.kind !== 'punct' || !(next.text === ':' || next.text === '.' || next.text === '-')) return;
    const v = this.answerValue(i + 2, true);
    if (v) this.hide(v, 'security_answer', undefined);
  }

  /**
   * The value on the lines after an armed line: "its Hopscotch88", "hang on\nDaffodil!5". A credential-like
   * value on any of the first lines wins; an ordinary word is taken from the first line, and only when armed strongly.
   */
  private followUpValue(kind: Finding, strong: boolean, lines: number): void {
    const starts: number[] = [];
    for (let k = 0; k < this.n && starts.length < lines; k = this.lineEndOf(k, REACH * 4) + 2) {
      if ((this.t[k] as Token).kind === 'newline') {
        k--;
        continue;
      }
      starts.push(this.leadInto(k));
    }
    for (const m of starts) {
      const v =
        kind === 'password'
          ? this.credential(m)
            ? this.chunk(m, kind)
            : undefined
          : kind === 'security_answer'
            ? undefined
            : this.valueAt(m, kind, undefined, false);
      if (v) {
        this.hide(v, kind, undefined);
        this.consumed = true;
        return;
      }
    }
    const first = starts[0];
    if (!strong || first === undefined) return;
    const v = kind === 'security_answer' ? this.answerValue(first, true) : this.valueAt(first, kind, undefined, true);
    if (v) {
      this.hide(v, kind, undefined);
      this.consumed = true;
    }
  }

  /** Past what people type before a value: "sorry,", "gevonden:", "ah wait it was", "allez, 't is", "hang on". */
  private leadInto(start: number): number {
    let m = start;
    for (let guard = 0; guard < 12 && m < this.n; guard++) {
      const tok = this.t[m] as Token;
      if (tok.kind === 'punct' && [',', ':', '-', '>', '.', '…', "'", '’', '"', '“'].includes(tok.text)) {
        // A quote opens a value; keep it.
        if ((tok.text === '"' || tok.text === '“') && this.quoted(m, 'password')) break;
        m++;
        continue;
      }
      if (tok.kind !== 'word') break;
      const pron = this.pronounCue(m);
      if (pron) {
        m = pron;
        continue;
      }
      // "i type Rosehip77", "ik typ Zeehond!3", "I entered …"
      if (['i', 'ik', 'k', 'we', 'wij'].includes(tok.key) && this.isWord(m + 1) && ENTRY_VERBS.has(this.key(m + 1))) {
        m += this.isWord(m + 2) && this.key(m + 2) === 'in' ? 3 : 2;
        continue;
      }
      if (LEAD_INS.has(tok.key) || FOLLOW_UP_LEADS.has(tok.key) || CUE_WORDS.has(tok.key)) {
        if (this.credential(m)) break;
        m++;
        continue;
      }
      break;
    }
    return m;
  }

  private nextSentenceValue(k: number, kind: Finding, role: SecretWord['role']): Hit | undefined {
    // "my password. just monkey": only with a lead-in or a credential-like word.
    const m = this.skipLeadIns(k);
    if (m === k && !this.credential(m)) return undefined;
    return this.valueAt(m, kind, role, true);
  }

  // ── numbers and keys without a word ───────────────────────────────────────

  /** A 6-digit code in any usual spelling; never a reference, a phone number, a date, an amount or an IBAN. */
  private standaloneCodes(): void {
    // Read only once a candidate number is there: most messages have none.
    let codeContext: boolean | undefined;
    let referenceInText: boolean | undefined;
    let after = -1;
    for (const i of this.withDigits) {
      if (i <= after || this.claimed.has(i)) continue;
      const tok = this.t[i] as Token;
      const prefixed = /^[A-Z]{1,3}-\d{5,8}$/u.test(tok.text);
      const run = prefixed ? { from: i, to: i, digits: digitsOf(tok) } : this.digitRun(i);
      if (!run) continue;
      after = run.to;
      if (run.digits.length !== 6 && !(prefixed && run.digits.length >= 5)) continue;
      if (!prefixed && !this.codeShaped(run.from, run.to)) continue;
      if (this.numberContext(run.from, run.to)) continue;
      const label = this.labelBefore(run.from);
      if (label === 'reference') continue;
      codeContext ??= this.hasCodeContext();
      referenceInText ??= this.t.some(
        (tok, k) => tok.kind === 'word' && STRONG_REFERENCES.has(tok.key) && !this.claimed.has(k),
      );
      if (label !== 'code' && !codeContext && referenceInText) continue;
      this.hide({ from: run.from, to: run.to, kind: 'verification_code' }, 'verification_code', undefined);
    }
  }

  /** Recovery keys by their shape: four or more groups of letters and digits, BitLocker's 6-digit groups. */
  private groupedKeys(): void {
    let after = -1;
    // A key starts with a dashed group run, a group of 4–6 with a digit or in capitals, or a short one with a digit.
    for (const i of this.keyStarts) {
      if (i <= after || this.claimed.has(i)) continue;
      // Four groups: in one dashed word, or this word and the next three one space apart.
      const first = this.t[i] as Token;
      if (!first.text.includes('-')) {
        const n3 = this.t[i + 3];
        if (!n3 || n3.line !== first.line || !mayStartKey(this.t[i + 1] as Token)) continue;
      }
      const groups: string[] = [];
      let to = i;
      // One token with dashes, or tokens one space apart.
      for (let k = i; k < this.n && groups.length < 16; k++) {
        const tok = this.t[k] as Token;
        if (tok.kind !== 'word' || (k > i && (!tok.space || tok.line !== (this.t[i] as Token).line))) break;
        const parts = tok.text.split('-');
        if (!groupsFit(parts, groups.length === 0)) break;
        groups.push(...parts);
        to = k;
        if (parts.length > 1 && k === i && !(this.t[k + 1]?.space ?? false)) break;
      }
      if (groups.length < 4) continue;
      const all = groups.join('');
      const mixed = /\d/u.test(all) && groups.filter((g) => /[A-Za-z]/u.test(g)).length >= 2;
      const bitlocker = groups.length >= 6 && groups.every((g) => /^\d{6}$/u.test(g));
      if (
        (!mixed && !bitlocker) ||
        this.isIban(i, to) ||
        this.isUuid(i) ||
        this.labelBefore(i, SERIAL_LABELS) === 'reference'
      ) {
        after = to;
        continue;
      }
      this.hide({ from: i, to, kind: 'recovery_key' }, 'recovery_key', undefined);
      after = to;
    }
  }

  /**
   * After a secret, the same line often gives another or corrects it: "was Appel123 en het nieuwe is Peer456",
   * "Biscotti55 sorry i mean Biscotti56", "4829-1735 worked before, the other one 9917-2204".
   */
  private moreOnTheLine(): void {
    for (const hit of [...this.hits]) {
      if (hit.kind === 'pin' || hit.kind === 'security_answer') continue;
      const line = (this.t[hit.to] as Token).line;
      for (let m = hit.to + 1, words = 0; m < this.n && words < 20; m++) {
        const tok = this.t[m] as Token;
        if (tok.line !== line) break;
        if (tok.kind !== 'word') continue;
        words++;
        if (this.claimed.has(m) || this.matchAt(m)?.secret) continue;
        let more: Hit | undefined;
        if (hit.kind === 'password' && this.credential(m)) more = this.chunk(m, 'password');
        else if (hit.kind === 'recovery_key' && this.codeLike(m)) more = this.chunk(m, 'recovery_key');
        else if (hit.kind === 'verification_code') {
          const run = this.digitRun(m);
          if (run && run.digits.length >= 6 && run.digits.length <= 8 && !this.numberContext(run.from, run.to))
            more = { from: run.from, to: run.to, kind: 'verification_code' };
        }
        // Only a candidate is asked what labels it: "order 558812" after a password is an order number.
        if (more && this.labelBefore(more.from) !== 'reference') {
          this.hide(more, hit.kind, undefined);
          m = more.to;
        }
      }
    }
  }

  /** "login sanne1990 / Sanne1990!": a user label, a value, a slash and a credential-like word. */
  private pairs(): void {
    for (const i of this.userLabels) {
      if (i + 3 >= this.n) break;
      let k = i + 1;
      if ((this.t[k] as Token).kind === 'punct' && this.isCueMark(k)) k++;
      if (!this.isWord(k)) continue;
      const user = this.chunkEnd(k);
      const sep = this.t[user + 1];
      if (sep?.kind !== 'punct' || !['/', '|'].includes(sep.text)) continue;
      const value = user + 2;
      if (this.isWord(value) && !this.claimed.has(value) && this.credential(value) && !this.matchAt(value)) {
        this.hide(this.chunk(value, 'password') as Hit, 'password', undefined);
      }
    }
  }

  /** A found secret typed again elsewhere in the message (a pasted SMS repeats its code) is hidden too. */
  private echoes(): void {
    if (this.hits.length === 0) return;
    const values = new Map<string, Finding>();
    for (const hit of this.hits) {
      if (hit.kind === 'pin') continue;
      const text = this.rangeText(hit.from, hit.to);
      const digits = text.replace(/[^0-9]/gu, '');
      if (hit.kind === 'verification_code' && digits.length >= 4) values.set(`#${digits}`, hit.kind);
      if (text.length >= 3 && !/\s/u.test(text)) values.set(text, hit.kind);
    }
    for (let i = 0; i < this.n; i++) {
      if (this.claimed.has(i) || !this.isWord(i)) continue;
      const tok = this.t[i] as Token;
      const kind =
        values.get(tok.text) ?? (/^\d{4,}$/u.test(digitsOf(tok)) ? values.get(`#${digitsOf(tok)}`) : undefined);
      if (kind) this.hide({ from: i, to: i, kind }, kind, undefined);
    }
  }

  /** The support PIN in the PIN step: exactly one 4-digit number, however spaced or spelled. */
  private takePin(): void {
    const candidates: Array<{ from: number; to: number; pin: string }> = [];
    for (let i = 0; i < this.n; i++) {
      if (!this.isWord(i)) continue;
      const run = this.digitRun(i) ?? this.numberWords(i);
      if (!run) continue;
      const overlaps = this.hits.some((h) => h.kind !== 'pin' && h.from <= run.to && run.from <= h.to);
      i = run.to;
      if (overlaps || this.numberContext(run.from, run.to)) continue;
      // 14:30, 12/03, 1.299 are times, dates and amounts.
      if (this.t.slice(run.from, run.to + 1).some((x) => /[:/.,]/u.test(x.text))) continue;
      const tokens = this.t.slice(run.from, run.to + 1).filter((x) => x.kind === 'word');
      // "4410 4410" says one PIN twice.
      const fours = tokens.map((x) => digitsOf(x)).filter((d) => d.length > 0);
      if (run.digits.length === 4) candidates.push({ from: run.from, to: run.to, pin: run.digits });
      else if (fours.length > 1 && fours.every((d) => d === fours[0] && d.length === 4))
        candidates.push({ from: run.from, to: run.to, pin: fours[0] as string });
    }
    const distinct = new Set(candidates.map((c) => c.pin));
    if (distinct.size !== 1) return;
    this.pin = [...distinct][0] ?? null;
    for (const c of candidates) this.hits.push({ from: c.from, to: c.to, kind: 'pin' });
  }

  /** "support pin 0067" before a PIN is asked for: hidden as a PIN, and not called a password. */
  private earlySupportPin(): void {
    for (const i of this.supports) {
      const m = this.matchAt(i + 1);
      if (m?.secret?.role !== 'pin') continue;
      const hitIndex = this.hits.findIndex((h) => h.from >= m.end && h.from <= m.end + 3 && h.kind === 'password');
      if (hitIndex < 0) continue;
      const hit = this.hits[hitIndex] as Hit;
      if (this.rangeText(hit.from, hit.to).replace(/\D/gu, '').length !== 4) continue;
      hit.kind = 'pin';
      this.earlyPin = true;
    }
  }

  // ── shapes ────────────────────────────────────────────────────────────────

  /** Digits in one group or several, one space or one dash apart: 482913, 482 913, 4 8 2 9 1 3, 662 - 104. */
  private digitRun(i: number): { from: number; to: number; digits: string } | undefined {
    if (!this.isWord(i)) return undefined;
    const first = this.t[i] as Token;
    if (!this.digitToken(first)) return undefined;
    let digits = digitsOf(first);
    let to = i;
    let k = i + 1;
    while (k < this.n) {
      const tok = this.t[k] as Token;
      if (tok.line !== first.line) break;
      if (tok.kind === 'punct' && tok.text === '-' && this.t[k + 1] && this.digitToken(this.t[k + 1] as Token)) {
        k++;
        continue;
      }
      if (tok.kind !== 'word' || !this.digitToken(tok) || !(tok.space || (this.t[k - 1] as Token).text === '-')) break;
      if (/[.,:/]/u.test(tok.text) || /[.,:/]/u.test(first.text)) break;
      digits += digitsOf(tok);
      to = k;
      k++;
      if (digits.length > 16) break;
    }
    return { from: i, to, digits };
  }

  private digitToken(tok: Token): boolean {
    return (
      tok.kind === 'word' && tok.digits > 0 && /^[0-9][0-9.,:/-]*!*$/u.test(tok.text) && /[0-9]!*$/u.test(tok.text)
    );
  }

  /** "seven one five two zero nine", "vier acht nul zeven": four or more number words in a row. */
  private numberWords(i: number): { from: number; to: number; digits: string } | undefined {
    let digits = '';
    let k = i;
    while (k < this.n && this.isWord(k) && NUMBER_WORDS.has(this.key(k))) {
      digits += NUMBER_WORDS.get(this.key(k));
      k++;
    }
    if (digits.length < 4) return undefined;
    return { from: i, to: k - 1, digits };
  }

  /** 6 digits as one code is written: 482913, 482 913, 48 29 13, 4 8 2 9 1 3, 482-913, 531.902. */
  private codeShaped(from: number, to: number): boolean {
    const parts = this.t
      .slice(from, to + 1)
      .filter((x) => x.kind === 'word')
      .flatMap((x) => x.text.replace(/!+$/u, '').split(/[-.]/u));
    const shape = parts.map((p) => p.length).join(' ');
    if (this.t.slice(from, to + 1).some((x) => /[,:/]/u.test(x.text))) return false;
    if (this.t.slice(from, to + 1).some((x) => x.text.includes('.')) && shape !== '3 3') return false;
    return (
      ['6', '3 3', '2 2 2', '1 1 1 1 1 1', '3 1 1 1', '1 1 1 3', '4 2', '2 4'].includes(shape) &&
      parts.every((p) => /^\d+$/u.test(p))
    );
  }

  /** A number that is part of a phone number, a price, a date, an amount with a unit, or an IBAN. */
  private numberContext(from: number, to: number): boolean {
    const before = this.t[from - 1];
    const after = this.t[to + 1];
    // Touching the number, with no space between: +31…, €125, #558812, 06-…
    const touching =
      before !== undefined && !(this.t[from] as Token).space && before.line === (this.t[from] as Token).line;
    if (touching && before.kind === 'punct' && ['+', '€', '$', '£', '#', '/', '.', ','].includes(before.text)) {
      if (before.text !== '#' || this.labelBefore(from - 1) !== 'code') return true;
    }
    if (touching && before.kind === 'word' && /[0-9]$/u.test(before.text)) return true;
    if (before?.kind === 'punct' && ['€', '$', '£'].includes(before.text)) return true;
    if (before?.kind === 'word' && ['rs', 'eur', 'usd', 'gbp', 'chf', '€', 'euro'].includes(before.key)) return true;
    if (after && !after.space && after.kind === 'punct' && ['%', '€', '/', ':'].includes(after.text)) return true;
    if (after?.kind === 'word' && !after.space) return true;
    if (this.unitAfter(to)) return true;
    if (this.isIban(from, to)) return true;
    const first = this.t[from] as Token;
    if (looksLikeDate(first.text)) return true;
    return false;
  }

  private unitAfter(to: number): boolean {
    const after = this.t[to + 1];
    if (!after) return false;
    if (after.kind === 'word' && UNITS.has(after.key)) return true;
    if (after.kind === 'word' && ['x', '×'].includes(after.key) && this.t[to + 2]?.kind === 'word') return true;
    // "48,290 loyalty points"
    const second = this.t[to + 2];
    return after.kind === 'word' && second?.kind === 'word' && UNITS.has(second.key) && !SECRET_WORDS.has(after.key);
  }

  /**
   * Which label a number belongs to: the nearest word before it, past "is", "number", "#", ":" and articles,
   * within one clause ("on my phone, 518330" names no label).
   */
  private labelBefore(from: number, labels: ReadonlySet<string> = REFERENCE_LABELS): 'reference' | 'code' | undefined {
    for (let k = from - 1, steps = 0; k >= 0 && steps < 5 && from - k < 12; k--) {
      const tok = this.t[k] as Token;
      if (tok.kind === 'newline') return undefined;
      if (tok.kind === 'punct') {
        if ([':', '#', '-', '(', '='].includes(tok.text)) continue;
        return undefined;
      }
      steps++;
      if (LABEL_FILLER.has(tok.key)) continue;
      // A two-word name first ("sort code", "zip code"): its last word alone may read as a code word.
      for (let back = 1; back <= 2 && k - back >= 0; back++) {
        const joined = this.t
          .slice(k - back, k + 1)
          .map((x) => x.key)
          .join('');
        if (NOT_SECRET_WORDS.has(joined)) return labels === REFERENCE_LABELS ? 'reference' : undefined;
      }
      const m = this.matchAt(k);
      if (m?.secret && m.secret.kind === 'verification_code') return 'code';
      if (m?.notSecret) return labels === REFERENCE_LABELS ? 'reference' : undefined;
      if (labels.has(tok.key)) return 'reference';
      for (let back = 1; back <= 2 && k - back >= 0; back++) {
        const joined = this.t
          .slice(k - back, k + 1)
          .map((x) => x.key)
          .join('');
        if (labels.has(joined) || (labels === REFERENCE_LABELS && NOT_SECRET_WORDS.has(joined))) return 'reference';
        if (SECRET_WORDS.get(joined)?.kind === 'verification_code') return 'code';
      }
      return undefined;
    }
    return undefined;
  }

  private hasCodeContext(): boolean {
    for (let i = 0; i < this.n; i++) {
      if (!this.isWord(i)) continue;
      const key = this.key(i);
      if (/^(verif|bevestig|sms|otp|2fa|authenticat)/u.test(key)) return true;
      const m = this.matchAt(i);
      if (m?.secret) return true;
      if (
        [
          'text',
          'texted',
          'sms',
          'smsje',
          'sent',
          'gestuurd',
          'received',
          'ontvangen',
          'kreeg',
          'gekregen',
          'got',
        ].includes(key)
      )
        return true;
      // "a 6 digit thing", "6 cijfers"
      if (/^\d$/u.test(key) && /^(?:digit|digits|cijfers|cijferig|cijferige)$/u.test(this.key(i + 1))) return true;
    }
    return false;
  }

  private isIban(from: number, to: number): boolean {
    let s = '';
    for (let k = from; k <= Math.min(to + 8, this.n - 1); k++) {
      const tok = this.t[k] as Token;
      if (tok.kind !== 'word' || (k > from && !tok.space)) break;
      s += tok.text.replace(/-/gu, '');
      if (s.length >= 15 && validIban(s)) return true;
    }
    // The IBAN may start before this number.
    for (let k = from - 1; k >= Math.max(0, from - 8); k--) {
      const tok = this.t[k] as Token;
      if (tok.kind !== 'word') break;
      if (/^[A-Z]{2}\d{2}/u.test(tok.text)) {
        let t = '';
        for (let m = k; m < Math.min(this.n, k + 10); m++) {
          const x = this.t[m] as Token;
          if (x.kind !== 'word' || (m > k && !x.space)) break;
          t += x.text;
          if (t.length >= 15 && validIban(t)) return m >= to;
        }
        return false;
      }
    }
    return false;
  }

  private isUuid(i: number): boolean {
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu.test((this.t[i] as Token).text);
  }

  /** Letters with digits or symbols, inner capitals, or 4+ digits: what passwords look like, and words do not. */
  private credential(k: number): boolean {
    const known = this.credentials[k];
    if (known !== 0 && known !== undefined) return known === 1;
    const found = this.readCredential(k);
    if (k >= 0 && k < this.n) this.credentials[k] = found ? 1 : 2;
    return found;
  }

  private readCredential(k: number): boolean {
    if (
      !this.isWord(k) &&
      !(
        this.t[k]?.kind === 'punct' &&
        !QUOTES.has(this.t[k]?.text ?? '') &&
        this.t[k + 1] &&
        !this.t[k + 1]?.space &&
        this.isWord(k + 1)
      )
    )
      return false;
    const range = this.chunkRange(k);
    return this.credentialRange(range.from, range.to);
  }

  private credentialRange(from: number, to: number): boolean {
    const text = this.rangeText(from, to).replace(/[,;)\]?]+$/u, '');
    if (text.length < 3 || text.length > 120) return false;
    if (/^https?:|^www\./iu.test(text)) return false;
    if (looksLikeEmail(text)) return false;
    const letters = /\p{L}/u.test(text);
    const digits = /\d/u.test(text);
    const core = text.replace(/[.!]+$/u, '');
    if (!letters)
      return digits && /^\d{4,}$/u.test(core.replace(/[-\s]/gu, '')) && core.replace(/\D/gu, '').length <= 12;
    if (digits) {
      // "12chars", "4th", "90s", "2fa", "5min", "v2" are no passwords.
      if (
        /^\d+(st|nd|rd|th|e|de|ste|s|x|h|m|min|mins|am|pm|k|gb|mb|kb|ms|cm|mm|km|kg|jr|uur|u|chars|tekens|x)$/iu.test(
          core,
        )
      )
        return false;
      if (/^(v|ios|android|win|windows|mac|iphone|ipad|galaxy|s|a|fa)\d+$/iu.test(core)) return false;
      if (SECRET_WORDS.has(core.toLowerCase()) || NOT_SECRET_WORDS.has(core.toLowerCase())) return false;
      return core.length >= 4;
    }
    if (/[^\p{L}'’-]/u.test(core) && core.length >= 4) return true;
    if (/\p{Ll}\p{Lu}/u.test(core) && core.length >= 6) return true;
    if ((core.match(/-/gu)?.length ?? 0) >= 2 && /\p{Lu}/u.test(core)) return true;
    return false;
  }

  /** A code with letters and digits, 4–12 long: K7P-2QX, 8G4K2M, F7K2Q, G-483920. */
  private alnumCode(k: number): boolean {
    if (!this.isWord(k)) return false;
    const text = this.rangeText(this.chunkRange(k).from, this.chunkRange(k).to).replace(/[.,;!?)]+$/u, '');
    const bare = text.replace(/-/gu, '');
    return (
      /^[A-Za-z0-9-]{4,16}$/u.test(text) &&
      /\d/u.test(bare) &&
      /[A-Za-z]/u.test(bare) &&
      bare.length <= 12 &&
      bare.replace(/\D/gu, '').length >= 2
    );
  }

  private codeLike(k: number): boolean {
    if (!this.isWord(k)) return false;
    const text = (this.t[k] as Token).text;
    return (
      /^[A-Za-z0-9]{2,8}(-[A-Za-z0-9]{2,8})*$/u.test(text) && /\d/u.test(text) && text.replace(/-/gu, '').length >= 4
    );
  }

  // ── token helpers ─────────────────────────────────────────────────────────

  private hide(hit: Hit, kind: Finding, role: SecretWord['role']): void {
    if (hit.from > hit.to) return;
    // In the PIN step, "pin is 4821" and "the code is 4821" are the support PIN itself, taken below.
    if (this.options.expectingPin && (role === 'pin' || kind === 'verification_code')) {
      const digits = this.rangeText(hit.from, hit.to).replace(/\D/gu, '');
      const onlyDigits = this.t.slice(hit.from, hit.to + 1).every((x) => x.kind !== 'word' || this.digitToken(x));
      if (digits.length === 4 && onlyDigits) return;
    }
    this.hits.push(hit);
    for (let m = hit.from; m <= hit.to; m++) this.claimed.add(m);
  }

  private chunk(k: number, kind: Finding): Hit | undefined {
    const r = this.chunkRange(k);
    return { from: r.from, to: r.to, kind };
  }

  /** The whitespace-delimited run of tokens around `k`, without trailing commas, brackets and quotes. */
  private chunkRange(k: number): { from: number; to: number } {
    const from = this.chunkStart(k);
    let to = this.chunkEnd(k);
    while (
      to > from &&
      this.t[to]?.kind === 'punct' &&
      [',', ';', ')', ']', '?', '"', '”', '’', "'", ':', '…'].includes((this.t[to] as Token).text)
    )
      to--;
    return { from, to };
  }

  private chunkStart(k: number): number {
    let from = k;
    while (
      from > 0 &&
      k - from < CHUNK &&
      !(this.t[from] as Token).space &&
      (this.t[from - 1] as Token).kind !== 'newline' &&
      (this.t[from] as Token).kind !== 'newline'
    ) {
      const prev = this.t[from - 1] as Token;
      if (prev.kind === 'punct' && (QUOTES.has(prev.text) || ['(', '[', ':', '='].includes(prev.text))) break;
      from--;
    }
    return from;
  }

  private chunkEnd(k: number): number {
    let to = k;
    while (to + 1 < this.n && to - k < CHUNK) {
      const next = this.t[to + 1] as Token;
      if (next.space || next.kind === 'newline') break;
      to++;
    }
    return to;
  }

  /** The words of the clause from `k`: up to a sentence end, a comma, a bracket or a stop word. */
  private clause(k: number, max: number, answer = false): number[] {
    const out: number[] = [];
    for (let m = k; m < this.n && out.length < max && m - k < REACH; m++) {
      const tok = this.t[m] as Token;
      if (tok.kind === 'newline') break;
      if (tok.kind === 'punct') {
        if (tok.text === '.' && answer && TITLES.has(this.key(m - 1))) continue;
        if (["'", '’', '-', '&', '+', '#', '*', '@'].includes(tok.text)) continue;
        break;
      }
      if (out.length > 0 && VALUE_STOPS.has(tok.key)) break;
      out.push(m);
    }
    return out;
  }

  private quoted(k: number, kind: Finding): Hit | undefined {
    const open = this.t[k];
    if (open?.kind !== 'punct' || !QUOTES.has(open.text)) return undefined;
    for (let m = k + 1; m < Math.min(this.n, k + 40); m++) {
      const tok = this.t[m] as Token;
      if (tok.kind === 'newline') return undefined;
      if (tok.kind === 'punct' && QUOTES.has(tok.text) && m > k + 1) {
        // An apostrophe inside a word is not a closing quote ("St Bede's").
        const next = this.t[m + 1];
        if ((tok.text === "'" || tok.text === '’') && next && !next.space && next.kind === 'word') continue;
        const inner = this.t
          .slice(k + 1, m)
          .filter((x) => x.kind === 'word')
          .map((x) => x.key);
        if (inner.length === 0) return undefined;
        if (kind === 'password' && inner.every((w) => this.describes(w) || NEGATIONS.has(w))) return undefined;
        return { from: k + 1, to: m - 1, kind };
      }
    }
    return undefined;
  }

  private openingQuote(close: number): number | undefined {
    for (let m = close - 1; m >= Math.max(0, close - 40); m--) {
      const tok = this.t[m] as Token;
      if (tok.kind === 'newline') return undefined;
      if (tok.kind === 'punct' && QUOTES.has(tok.text)) return m;
    }
    return undefined;
  }

  private skipLeadIns(k: number): number {
    let m = k;
    while (m < this.n && m - k < 24) {
      const tok = this.t[m] as Token;
      if (tok.kind === 'word' && LEAD_INS.has(tok.key) && !this.credential(m)) {
        // "so" and "dus" only lead in; "ok" may be the start of nothing else.
        m++;
        continue;
      }
      if (tok.kind === 'punct' && [',', '…', '-', ':'].includes(tok.text) && m > k) {
        m++;
        continue;
      }
      break;
    }
    return m;
  }

  /** Past a list bullet at the start of a line: "- ", "* ", "• ", "1. ", "2) ". */
  private skipBullet(k: number): number {
    const tok = this.t[k];
    if (!tok || !this.atLineStart(k)) return k;
    if (tok.kind === 'punct' && ['-', '*', '•', '·', '–'].includes(tok.text)) return k + 1;
    if (tok.kind === 'word' && /^\d{1,2}$/u.test(tok.text) && ['.', ')'].includes(this.t[k + 1]?.text ?? ''))
      return k + 2;
    return k;
  }

  private skipBlankLines(k: number): number {
    let m = k;
    while (m < this.n && m - k < 8 && (this.t[m] as Token).kind === 'newline') m++;
    return m;
  }

  private skipCueMarks(k: number): number {
    let m = k;
    while (m < this.n && m - k < 6 && (this.t[m] as Token).kind === 'punct' && (this.isCueMark(m) || m === k)) m++;
    return m;
  }

  /** ":", "=", "->", "=>", "→", " - ", "—": what sets a value between a word and it. */
  private isCueMark(k: number): boolean {
    const tok = this.t[k] as Token;
    if (tok.kind !== 'punct' || !CUE_MARKS.has(tok.text)) return false;
    // A hyphen sets a value only standing free ("pass - Diwali@2023"), or as the start of an arrow.
    if (tok.text === '-') return tok.space || this.t[k + 1]?.text === '>' || this.t[k + 1]?.text === '-';
    if (tok.text === '>') return this.t[k - 1]?.text === '-' || this.t[k - 1]?.text === '=' || tok.space;
    return true;
  }

  /** "it's", "it is", "het is", "dat was", "'t is": the index after the cue, or 0. */
  private pronounCue(k: number): number {
    if (!this.isWord(k)) return 0;
    const key = this.key(k);
    if (PRONOUN_CUES.has(key)) return k + 1;
    if (
      ['it', 'het', 'dat', 'dit', 'that', 'this', 't', 'ie', 'hij'].includes(key) &&
      this.isWord(k + 1) &&
      ['is', 'was', 's'].includes(this.key(k + 1))
    )
      return k + 2;
    if (key === 'is' && this.isWord(k + 1) && ['ie', 'hij'].includes(this.key(k + 1))) return k + 2;
    // "'t is" arrives as "'", "t", "is".
    return 0;
  }

  private changeVerbNear(i: number): boolean {
    for (let k = i - 1; k >= Math.max(0, i - 4); k--) {
      if (!this.isWord(k)) break;
      if (CHANGE_VERBS.has(this.key(k))) return true;
    }
    for (let k = i + 1; k <= Math.min(this.n - 1, i + 5); k++)
      if (this.isWord(k) && CHANGE_VERBS.has(this.key(k))) return true;
    return false;
  }

  private changeVerbAhead(k: number): boolean {
    for (let m = k; m <= Math.min(this.n - 1, k + 4); m++)
      if (this.isWord(m) && CHANGE_VERBS.has(this.key(m))) return true;
    return false;
  }

  /** ".", "!", "?", ";" followed by a space, a line break or the end; a dot after a title is not one. */
  private endsSentence(k: number): boolean {
    const tok = this.t[k] as Token;
    if (tok.kind !== 'punct' || !SENTENCE_ENDS.has(tok.text)) return false;
    const next = this.t[k + 1];
    if (tok.text === '.' && (TITLES.has(this.key(k - 1)) || ABBREVIATIONS.has(this.key(k - 1)))) return false;
    // "mijn wachtwoord van de... nee, van jullie site": dots before a lower-case word are a pause.
    if (tok.text === '…' || (tok.text === '.' && (this.t[k - 1]?.text === '.' || next?.text === '.'))) {
      let m = k + 1;
      while (m < this.n && m - k < 4 && (this.t[m]?.text === '.' || this.t[m]?.text === '…')) m++;
      const after = this.t[m];
      if (after?.kind === 'word' && /^\p{Ll}/u.test(after.text)) return false;
    }
    // "(its 5 digits??) is 40617": punctuation closed by a bracket ends no sentence.
    let m = k + 1;
    while (m < this.n && m - k < 4 && this.t[m]?.kind === 'punct' && !(this.t[m] as Token).space) {
      if ([')', ']'].includes((this.t[m] as Token).text)) return false;
      m++;
    }
    return !next || next.space || next.kind === 'newline' || (next.kind === 'punct' && next.text !== '-');
  }

  private endsLine(k: number): boolean {
    for (let m = k; m < this.n && m - k < REACH; m++) {
      const tok = this.t[m] as Token;
      if (tok.kind === 'newline') return true;
      if (tok.kind === 'word') return false;
    }
    return true;
  }

  private lineEndsAfter(k: number): boolean {
    return this.endsLine(k + 1) || (this.t[k + 1]?.kind === 'punct' && this.endsSentence(k + 1));
  }

  private lineStartOf(k: number, reach = this.n): number {
    let m = k;
    while (m > 0 && k - m < reach && (this.t[m - 1] as Token).kind !== 'newline') m--;
    return m;
  }

  private lineEndOf(k: number, reach = this.n): number {
    let m = k;
    while (m + 1 < this.n && m - k < reach && (this.t[m + 1] as Token).kind !== 'newline') m++;
    return m;
  }

  private atLineStart(k: number): boolean {
    return k === 0 || (this.t[k - 1] as Token).kind === 'newline';
  }

  private atLineStartOrAfterQuestion(k: number): boolean {
    if (this.atLineStart(k)) return true;
    const prev = this.t[k - 1] as Token;
    return prev.kind === 'punct' && (prev.text === '?' || prev.text === '>');
  }

  /** The nearest word before `k` that is no article or possessive. */
  private prevWord(k: number): number {
    let m = k - 1;
    while (m >= 0 && this.isWord(m) && DETERMINERS.has(this.key(m))) m--;
    return m;
  }

  /** A cue (word or mark) within `within` tokens from `k`. */
  private cueWithin(k: number, within: number): boolean {
    for (let m = k; m < Math.min(this.n, k + within); m++) {
      const tok = this.t[m] as Token;
      if (tok.kind === 'newline') return false;
      if (this.isCueMark(m) || (tok.kind === 'word' && (CUE_WORDS.has(tok.key) || this.pronounCue(m)))) return true;
    }
    return false;
  }

  /** A name may start here: not an article or pronoun, unless a particle of a name ("De Vries", "van den Berg"). */
  private startsName(k: number): boolean {
    const key = this.key(k);
    if (key === 'de' || key === 't' || key === 'la' || key === 'le')
      return this.isCapitalized(k + 1) || NAME_PARTICLES.has(this.key(k + 1)) || this.isCapitalized(k);
    if (NAME_PARTICLES.has(key)) return true;
    return !FUNCTION_WORDS.has(key);
  }

  /** After a label ("lievelingseten: …", "Place of birth - …"), the whole short clause is the answer. */
  private labelValue(k: number): Hit | undefined {
    const clause = this.clause(k, 6, true);
    if (clause.length === 0) return undefined;
    let to = clause.at(-1) as number;
    // "Cork, Ireland": a comma, then one more name at the end of the line.
    const comma = this.t[to + 1];
    if (comma?.kind === 'punct' && comma.text === ',' && this.isCapitalized(to + 2) && this.lineEndsAfter(to + 2))
      to += 2;
    return { from: k, to, kind: 'security_answer' };
  }

  private isWord(k: number): boolean {
    return k >= 0 && k < this.n && (this.t[k] as Token).kind === 'word';
  }

  private key(k: number): string {
    return this.t[k]?.key ?? '';
  }

  private isCapitalized(k: number): boolean {
    return this.isWord(k) && /^\p{Lu}/u.test((this.t[k] as Token).text);
  }

  private rangeText(from: number, to: number): string {
    let s = '';
    for (let m = from; m <= to; m++)
      s += ((this.t[m] as Token).space && m > from ? ' ' : '') + (this.t[m] as Token).text;
    return s;
  }
}

/** 24-11-2026, 12/03/24, 03.11.2023: a day and a month that can be one, either way round. */
function looksLikeDate(text: string): boolean {
  const parts = text.split(/[-/.]/u);
  if (parts.length !== 3 || !parts.every((p) => /^\d+$/u.test(p))) return false;
  const [a, b] = parts.map(Number) as [number, number];
  const third = parts[2] as string;
  if (parts[0]?.length === 4) return b >= 1 && b <= 12;
  if (third.length !== 2 && third.length !== 4) return false;
  return a >= 1 && b >= 1 && ((a <= 31 && b <= 12) || (a <= 12 && b <= 31));
}

function looksLikeEmail(text: string): boolean {
  const at = text.indexOf('@');
  const dot = text.lastIndexOf('.');
  return (
    at > 0 &&
    at === text.lastIndexOf('@') &&
    dot > at + 1 &&
    dot < text.length - 2 &&
    /^[a-z]+$/iu.test(text.slice(dot + 1))
  );
}

function mayStartKey(tok: Token): boolean {
  const text = tok.text;
  if (text.length < 2) return false;
  if (text.length > 6) return text.includes('-');
  if (tok.digits > 0 || text.includes('-')) return true;
  if (text.length < 4) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/** Each group of a key has 4–6 letters or digits (a first one may be shorter), and a digit or capitals. */
function groupsFit(parts: string[], first: boolean): boolean {
  let keyish = 0;
  for (let index = 0; index < parts.length; index++) {
    const p = parts[index] as string;
    const sized = /^[A-Za-z0-9]{4,6}$/u.test(p) || (first && index === 0 && /^[A-Za-z0-9]{2,3}$/u.test(p));
    if (!sized) return false;
    if (/\d/u.test(p) || /^[A-Z]+$/u.test(p)) keyish++;
    else if (parts.length === 1) return false;
  }
  return parts.length === 1 || keyish * 2 >= parts.length;
}

/** ISO 13616: letters as numbers, the whole mod 97 is 1. */
function validIban(candidate: string): boolean {
  const s = candidate.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/u.test(s)) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const c of rearranged) {
    const v = c >= 'A' ? c.charCodeAt(0) - 55 : c.charCodeAt(0) - 48;
    rest = v >= 10 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
  }
  return rest === 1;
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
