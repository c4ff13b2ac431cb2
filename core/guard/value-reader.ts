import type { Finding } from './findings.ts';
import type { ScanOptions } from './inbound.ts';
import type { SecretWord } from './lexicon.ts';
import * as lexicon from './lexicon.ts';
import { LexiconReader } from './lexicon-reader.ts';
import * as shapes from './shapes.ts';
import type { Token } from './text.ts';
import * as text from './text.ts';
import type { Hit } from './token-reader.ts';

// Bound once: scans read these on every word, and a module namespace reads through getters.
const {
  ANSWER_WORDS,
  CUE_WORDS,
  DETERMINERS,
  ENTRY_VERBS,
  FUNCTION_WORDS,
  HINT_WORDS,
  LABEL_FILLER,
  LEAD_INS,
  NAME_PARTICLES,
  NEGATIONS,
  NOT_SECRET_WORDS,
  NUMBER_WORDS,
  PREPOSITIONS,
  QUOTES,
  REFERENCE_LABELS,
  SECRET_WORDS,
  SECURITY_QUESTION,
  STATE_WORDS,
  TITLES,
  UNITS,
  VALUE_STOPS,
} = lexicon;
const { isParticiple, looksLikeDate, looksLikeEmail, validIban } = shapes;
const { digitsOf } = text;

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

/** What a value of each kind looks like where it starts: a password, a code, a key, an answer, a number. */
export class ValueReader extends LexiconReader {
  constructor(
    tokens: Token[],
    protected readonly options: ScanOptions,
  ) {
    super(tokens, options.after?.security === true);
    this.claimed = new ClaimedTokens();
  }

  protected readonly hits: Hit[] = [];

  /** Token indexes already hidden or read as part of a value. */
  protected readonly claimed: ClaimedTokens;

  /** Whether the chunk at each token looks like a credential: 0 not yet read, 1 yes, 2 no. */
  protected readonly credentials: number[] = [];

  /** A value right after a secret word, without a cue: "pw Marmite4eva", "passcode 482917", "OTP 77310". */
  protected directValue(k: number, kind: Finding, role: SecretWord['role']): Hit | undefined {
    if (kind === 'verification_code' || role === 'pin') return this.codeValue(k, kind, role, false);
    if (kind === 'recovery_key') return this.recoveryValue(k, false);
    if (this.credential(k)) return this.chunk(k, kind);
    return undefined;
  }

  /** The value starting at token `k`, by kind; `strong` also takes ordinary words. */
  protected valueAt(
    k: number,
    kind: Finding,
    role: SecretWord['role'],
    strong: boolean,
    plain = false,
  ): Hit | undefined {
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
  protected passwordValue(start: number, strong: boolean, plain = false): Hit | undefined {
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

  /** A one-time code: digits in any grouping, a code with letters and digits, or digits read out in words. */
  protected codeValue(start: number, kind: Finding, role: SecretWord['role'], afterCue: boolean): Hit | undefined {
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

  protected recoveryValue(start: number, afterCue: boolean): Hit | undefined {
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
  protected answerValue(start: number, strong: boolean, label = false): Hit | undefined {
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
  protected nameRun(start: number, lowerToo: boolean): Hit | undefined {
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

  // ── shapes ────────────────────────────────────────────────────────────────
  /** Digits in one group or several, one space or one dash apart: 482913, 482 913, 4 8 2 9 1 3, 662 - 104. */
  protected digitRun(i: number): { from: number; to: number; digits: string } | undefined {
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

  protected digitToken(tok: Token): boolean {
    return (
      tok.kind === 'word' && tok.digits > 0 && /^[0-9][0-9.,:/-]*!*$/u.test(tok.text) && /[0-9]!*$/u.test(tok.text)
    );
  }

  /** "seven one five two zero nine", "vier acht nul zeven": four or more number words in a row. */
  protected numberWords(i: number): { from: number; to: number; digits: string } | undefined {
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
  protected codeShaped(from: number, to: number): boolean {
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
  protected numberContext(from: number, to: number): boolean {
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

  protected unitAfter(to: number): boolean {
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
  protected labelBefore(
    from: number,
    labels: ReadonlySet<string> = REFERENCE_LABELS,
  ): 'reference' | 'code' | undefined {
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

  protected hasCodeContext(): boolean {
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

  protected isIban(from: number, to: number): boolean {
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

  protected isUuid(i: number): boolean {
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu.test((this.t[i] as Token).text);
  }

  /** Letters with digits or symbols, inner capitals, or 4+ digits: what passwords look like, and words do not. */
  protected credential(k: number): boolean {
    const known = this.credentials[k];
    if (known !== 0 && known !== undefined) return known === 1;
    const found = this.readCredential(k);
    if (k >= 0 && k < this.n) this.credentials[k] = found ? 1 : 2;
    return found;
  }

  protected readCredential(k: number): boolean {
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

  protected credentialRange(from: number, to: number): boolean {
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
  protected alnumCode(k: number): boolean {
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

  protected codeLike(k: number): boolean {
    if (!this.isWord(k)) return false;
    const text = (this.t[k] as Token).text;
    // Groups of 2–8 letters and digits joined by dashes, with a digit somewhere and 4 characters at least.
    const groups = text.split('-');
    return (
      groups.every((g) => /^[A-Za-z0-9]{2,8}$/u.test(g)) && /\d/u.test(text) && text.length - groups.length + 1 >= 4
    );
  }

  // ── token helpers ─────────────────────────────────────────────────────────
  protected hide(hit: Hit, kind: Finding, role: SecretWord['role']): void {
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

  protected quoted(k: number, kind: Finding): Hit | undefined {
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

  protected skipLeadIns(k: number): number {
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

  /** After a label ("lievelingseten: …", "Place of birth - …"), the whole short clause is the answer. */
  protected labelValue(k: number): Hit | undefined {
    const clause = this.clause(k, 6, true);
    if (clause.length === 0) return undefined;
    let to = clause.at(-1) as number;
    // "Cork, Ireland": a comma, then one more name at the end of the line.
    const comma = this.t[to + 1];
    if (comma?.kind === 'punct' && comma.text === ',' && this.isCapitalized(to + 2) && this.lineEndsAfter(to + 2))
      to += 2;
    return { from: k, to, kind: 'security_answer' };
  }
}
