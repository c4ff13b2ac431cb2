/**
 * The guard's reading of a text: one linear pass that normalizes each character (NFKC, any script's digits as
 * ASCII, invisible characters dropped) and cuts the text into tokens that remember where they stand in the
 * original, so what is hidden is exactly what was typed.
 */

export type TokenKind = 'word' | 'punct' | 'newline';

export interface Token {
  /** Offsets in the original text, `end` exclusive; invisible characters inside a token lie within. */
  start: number;
  end: number;
  kind: TokenKind;
  /** Normalized, case kept: what shape checks read. */
  text: string;
  /** Lower case, accents and look-alike letters folded, inner `.-_'/` removed: what word lists match. */
  key: string;
  /** `key` with leetspeak folded (`p4ssw0rd` → `password`); the same as `key` for most words. */
  leet: string;
  /** Whitespace (not a line break) stands before it. */
  space: boolean;
  /** How many ASCII digits `text` holds. */
  digits: number;
  /** Index of the line within the text, counting from 0. */
  line: number;
}

// Character classes.
const INVISIBLE = 0;
const SPACE = 1;
const NEWLINE = 2;
const WORD = 3;
const JOINER = 4;
const PUNCT = 5;

interface CharInfo {
  cls: number;
  /** The normalized form (may be several characters, or none). */
  norm: string;
  /** Lower case, accents removed, look-alikes as Latin. */
  fold: string;
}

// Cyrillic and Greek letters that pass for Latin ones, and Latin letters NFKD leaves alone.
const LOOK_ALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  з: '3',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  п: 'n',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ү: 'y',
  һ: 'h',
  ӏ: 'l',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  μ: 'u',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ϲ: 'c',
  ı: 'i',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ħ: 'h',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
};

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '€': 'e',
};

const ASCII: CharInfo[] = [];
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  let cls = PUNCT;
  if (c === 10 || c === 11 || c === 12 || c === 13) cls = NEWLINE;
  else if (c === 9 || c === 32) cls = SPACE;
  else if (c < 32 || c === 127) cls = INVISIBLE;
  else if (/[A-Za-z0-9@$|!]/u.test(ch)) cls = WORD;
  else if (/[.\-_'/,:]/u.test(ch)) cls = JOINER;
  ASCII.push({ cls, norm: cls === INVISIBLE ? '' : ch, fold: ch.toLowerCase() });
}

const NON_ASCII = new Map<number, CharInfo>();

function isInvisible(cp: number): boolean {
  return (
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0000 && cp <= 0xe007f) ||
    (cp >= 0x1f3fb && cp <= 0x1f3ff) ||
    cp === 0xfeff ||
    cp === 0x00ad ||
    cp === 0x034f ||
    cp === 0x061c ||
    cp === 0x180e ||
    cp === 0x20e3
  );
}

/** The value of a decimal digit of any script: digits come in runs of ten, starting at zero. */
function digitValue(cp: number): number {
  let zero = cp;
  while (zero > 0 && cp - zero < 10 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
  return (cp - zero) % 10;
}

function info(cp: number): CharInfo {
  if (cp < 128) return ASCII[cp] as CharInfo;
  const known = NON_ASCII.get(cp);
  if (known) return known;
  const made = describe(cp);
  // Bounded: a hostile text can bring at most every code point once, and most bring a handful.
  if (NON_ASCII.size < 20_000) NON_ASCII.set(cp, made);
  return made;
}

function describe(cp: number): CharInfo {
  if (isInvisible(cp)) return { cls: INVISIBLE, norm: '', fold: '' };
  // Emoji decorate ("pass🔑word", "Moon🌙light55"); like zero-width characters they neither split nor count.
  if (/\p{Extended_Pictographic}/u.test(String.fromCodePoint(cp))) return { cls: INVISIBLE, norm: '', fold: '' };
  if (cp === 0x85 || cp === 0x2028 || cp === 0x2029) return { cls: NEWLINE, norm: '\n', fold: '\n' };
  const ch = String.fromCodePoint(cp);
  if (/\s/u.test(ch)) return { cls: SPACE, norm: ' ', fold: ' ' };
  if (/\p{Nd}/u.test(ch)) {
    const digit = String(digitValue(cp));
    return { cls: WORD, norm: digit, fold: digit };
  }
  const norm = ch.normalize('NFKC');
  if (norm.length === 1 && norm.charCodeAt(0) < 128) {
    const ascii = ASCII[norm.charCodeAt(0)] as CharInfo;
    // A full-width colon or a look-alike letter classes as its ASCII form.
    return { cls: ascii.cls === INVISIBLE ? PUNCT : ascii.cls, norm, fold: ascii.fold };
  }
  if (/^[\p{L}\p{N}\p{M}]+$/u.test(norm)) {
    const lower = norm.toLowerCase();
    const fold = [...lower]
      .map((c) => LOOK_ALIKES[c] ?? c)
      .join('')
      .normalize('NFKD')
      .replace(/\p{M}/gu, '');
    return { cls: /^\p{M}+$/u.test(norm) ? INVISIBLE : WORD, norm: /^\p{M}+$/u.test(norm) ? '' : norm, fold };
  }
  if (ch === '’' || ch === '‘' || ch === '‐' || ch === '‑')
    return { cls: JOINER, norm: ch, fold: ch === '’' || ch === '‘' ? "'" : '-' };
  return { cls: PUNCT, norm, fold: norm };
}

const KEY_DROP_TEST = /[.\-_'/,:]/u;

/** Cuts `text` (at most `limit` characters of it) into tokens; linear in the length read. */
export function tokenize(text: string, limit = text.length): Token[] {
  return new Tokenizer(text).run(Math.min(limit, text.length));
}

/** One pass over the text; a class rather than closures, as it runs for every message. */
class Tokenizer {
  private readonly tokens: Token[] = [];
  private line = 0;
  private space = false;
  // The word being built: while it is plain (ASCII, nothing skipped), its text is the input from wStart to wNext.
  private wStart = -1;
  private wEnd = 0;
  private wNext = 0;
  private wPlain = true;
  private wText = '';
  private wFold = '';
  private joinerAt = -1;
  private joiner = '';
  /** Digits in the word, and whether it holds anything but letters and digits (joiners, @ $ ! |, non-ASCII). */
  private wDigits = 0;
  private wMarks = false;

  constructor(private readonly text: string) {}

  run(end: number): Token[] {
    const text = this.text;
    let i = 0;
    while (i < end) {
      const cp = text.codePointAt(i) as number;
      const len = cp > 0xffff ? 2 : 1;
      const c = info(cp);
      if (c.cls === INVISIBLE) {
        // Inside or right after a word (a keycap 7️⃣, a soft hyphen) it belongs to the word.
        if (this.wStart >= 0 && this.joinerAt < 0) this.wEnd = i + len;
        i += len;
        continue;
      }
      if (c.cls === WORD) {
        if (this.joinerAt >= 0) {
          // A joiner between two word characters stays inside the word: e-mail, 482-913, 14:30, p.a.s.s.
          if (joinerFits(this.joiner, this.wordSoFar(), text, i, end))
            this.append(
              this.joinerAt,
              1,
              this.joiner,
              this.joiner === '’' ? "'" : this.joiner,
              this.joiner.charCodeAt(0),
            );
          else {
            this.flush();
            this.punct(this.joinerAt, 1, this.joiner);
          }
          this.joinerAt = -1;
        }
        // Plain ASCII right after the word so far: nothing to build until the word ends.
        if (cp < 128 && this.wStart >= 0 && this.wPlain && i === this.wNext) {
          this.wNext = i + 1;
          this.wEnd = i + 1;
          if (cp >= 48 && cp <= 57) this.wDigits++;
          else if (!isAsciiLetter(cp)) this.wMarks = true;
          i++;
          continue;
        }
        this.append(i, len, c.norm, c.fold, cp);
        i += len;
        continue;
      }
      if (this.joinerAt >= 0) {
        this.flush();
        this.punct(this.joinerAt, 1, this.joiner);
        this.joinerAt = -1;
      }
      if (c.cls === JOINER && this.wStart >= 0) {
        this.joinerAt = i;
        this.joiner = c.norm;
        i += len;
        continue;
      }
      this.flush();
      if (c.cls === SPACE) {
        this.space = true;
      } else if (c.cls === NEWLINE) {
        // \r\n is one break.
        if (!(cp === 13 && text.charCodeAt(i + 1) === 10)) {
          this.tokens.push({
            start: i,
            end: i + len,
            kind: 'newline',
            text: '\n',
            key: '\n',
            leet: '\n',
            space: this.space,
            digits: 0,
            line: this.line,
          });
          this.line++;
          this.space = false;
        }
      } else {
        this.punct(i, len, c.norm);
      }
      i += len;
    }
    if (this.joinerAt >= 0) {
      this.flush();
      this.punct(this.joinerAt, 1, this.joiner);
    }
    this.flush();
    return this.tokens;
  }

  private append(at: number, len: number, norm: string, fold: string, cp: number): void {
    if (this.wStart < 0) {
      this.wStart = at;
      this.wNext = at;
      this.wPlain = true;
      this.wDigits = 0;
      this.wMarks = false;
    }
    if (norm.length === 1 && norm >= '0' && norm <= '9') this.wDigits++;
    else if (!isAsciiLetter(cp)) this.wMarks = true;
    if (this.wPlain && (cp >= 128 || at !== this.wNext)) {
      // Something was normalized or skipped: from here the word is built character by character.
      this.wText = this.text.slice(this.wStart, this.wNext);
      this.wFold = this.wText.toLowerCase();
      this.wPlain = false;
    }
    if (!this.wPlain) {
      this.wText += norm;
      this.wFold += fold;
    }
    this.wNext = at + len;
    this.wEnd = at + len;
  }

  private wordSoFar(): string {
    return this.wPlain ? this.text.slice(this.wStart, this.wNext) : this.wText;
  }

  private flush(): void {
    if (this.wStart < 0) return;
    if (this.wPlain) {
      this.wText = this.text.slice(this.wStart, this.wNext);
      this.wFold = this.wText.toLowerCase();
    }
    this.tokens.push(
      makeWord(this.wStart, this.wEnd, this.wText, this.wFold, this.space, this.line, this.wDigits, this.wMarks),
    );
    this.space = false;
    this.wStart = -1;
    this.wText = '';
    this.wFold = '';
  }

  private punct(at: number, len: number, norm: string): void {
    this.tokens.push({
      start: at,
      end: at + len,
      kind: 'punct',
      text: norm,
      key: norm,
      leet: norm,
      space: this.space,
      digits: 0,
      line: this.line,
    });
    this.space = false;
  }
}

/** `,` `:` and `/` join digits only (1.299,00 · 14:30 · 12/03); `/` also joins two single letters (p/w). */
function joinerFits(joiner: string, word: string, text: string, next: number, end: number): boolean {
  if (joiner !== ',' && joiner !== ':' && joiner !== '/') return true;
  const before = word.at(-1) ?? '';
  const after = text[next] ?? '';
  if (isDigit(before) && isDigit(after)) return true;
  if (joiner !== '/') return false;
  const afterNext = next + 1 < end ? (text[next + 1] ?? ' ') : ' ';
  return word.length === 1 && !/[\p{L}\p{N}]/u.test(afterNext) && /\p{L}/u.test(after);
}

function isAsciiLetter(cp: number): boolean {
  return (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

const KEY_DROP_RE = /[.\-_'/,:]/gu;

function makeWord(
  start: number,
  end: number,
  text: string,
  fold: string,
  space: boolean,
  line: number,
  digits: number,
  marks: boolean,
): Token {
  // Letters only (most words): the key is the lower case, and there is no leetspeak to fold.
  if (!marks && digits === 0) return { start, end, kind: 'word', text, key: fold, leet: fold, space, digits, line };
  let key = fold;
  if (fold.length > 1 && KEY_DROP_TEST.test(fold)) key = fold.replace(KEY_DROP_RE, '');
  // A trailing "!" is punctuation to a reader ("Hi!"); inside a word it is leetspeak (p!n).
  while (key.endsWith('!')) key = key.slice(0, -1);
  return { start, end, kind: 'word', text, key, leet: leetOf(key), space, digits, line };
}

function leetOf(key: string): string {
  let letters = false;
  let leet = false;
  for (let i = 0; i < key.length && !(letters && leet); i++) {
    const c = key.charCodeAt(i);
    if (c >= 97 && c <= 122) letters = true;
    else if ((c >= 48 && c <= 57) || c === 64 || c === 36 || c === 33 || c === 124 || c === 8364) leet = true;
  }
  if (!letters || !leet) return key;
  let out = '';
  for (const c of key) out += LEET[c] ?? c;
  return out;
}

/** The digits of a token. */
export function digitsOf(token: Token): string {
  let out = '';
  for (let i = 0; i < token.text.length; i++) {
    const c = token.text.charCodeAt(i);
    if (c >= 48 && c <= 57) out += token.text[i];
  }
  return out;
}
