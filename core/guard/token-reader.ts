import type { Finding } from './findings.ts';
import * as lexicon from './lexicon.ts';
import type { Token } from './text.ts';

// Bound once: scans read these on every word, and a module namespace reads through getters.
const { ABBREVIATIONS, CUE_MARKS, CUE_WORDS, DETERMINERS, PRONOUN_CUES, QUOTES, SENTENCE_ENDS, TITLES, VALUE_STOPS } =
  lexicon;

/** How far any one rule walks from where it starts, in tokens: what keeps the whole scan linear. */
export const REACH = 48;
/** The most tokens one whitespace-delimited chunk may have to be read as one value. */
export const CHUNK = 40;

export interface Hit {
  /** First and last token index, inclusive. */
  from: number;
  to: number;
  kind: Finding | 'pin';
}

/** A message's tokens and how to walk them: words, chunks between spaces, clauses, sentences and lines. */
export class TokenReader {
  constructor(tokens: Token[]) {
    this.t = tokens;
    this.n = tokens.length;
  }

  protected readonly t: Token[];

  protected readonly n: number;

  /** Tokens that may form one word: next to each other or one space apart, on one line. */
  protected joined(k: number): boolean {
    const tok = this.t[k] as Token;
    const prev = this.t[k - 1] as Token;
    return tok.line === prev.line && prev.kind === 'word';
  }

  /** The first word within `span` words from `from` that passes `test`, or -1 (stops at punctuation). */
  protected near(from: number, span: number, test: (key: string) => boolean): number {
    for (let k = from; k <= from + span && k < this.n; k++) {
      if (!this.isWord(k)) return -1;
      if (test(this.key(k))) return k;
    }
    return -1;
  }

  protected chunk(k: number, kind: Finding): Hit | undefined {
    const r = this.chunkRange(k);
    return { from: r.from, to: r.to, kind };
  }

  /** The whitespace-delimited run of tokens around `k`, without trailing commas, brackets and quotes. */
  protected chunkRange(k: number): { from: number; to: number } {
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

  protected chunkStart(k: number): number {
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

  protected chunkEnd(k: number): number {
    let to = k;
    while (to + 1 < this.n && to - k < CHUNK) {
      const next = this.t[to + 1] as Token;
      if (next.space || next.kind === 'newline') break;
      to++;
    }
    return to;
  }

  /** The words of the clause from `k`: up to a sentence end, a comma, a bracket or a stop word. */
  protected clause(k: number, max: number, answer = false): number[] {
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

  protected openingQuote(close: number): number | undefined {
    for (let m = close - 1; m >= Math.max(0, close - 40); m--) {
      const tok = this.t[m] as Token;
      if (tok.kind === 'newline') return undefined;
      if (tok.kind === 'punct' && QUOTES.has(tok.text)) return m;
    }
    return undefined;
  }

  /** Past a list bullet at the start of a line: "- ", "* ", "• ", "1. ", "2) ". */
  protected skipBullet(k: number): number {
    const tok = this.t[k];
    if (!tok || !this.atLineStart(k)) return k;
    if (tok.kind === 'punct' && ['-', '*', '•', '·', '–'].includes(tok.text)) return k + 1;
    if (tok.kind === 'word' && /^\d{1,2}$/u.test(tok.text) && ['.', ')'].includes(this.t[k + 1]?.text ?? ''))
      return k + 2;
    return k;
  }

  protected skipBlankLines(k: number): number {
    let m = k;
    while (m < this.n && m - k < 8 && (this.t[m] as Token).kind === 'newline') m++;
    return m;
  }

  protected skipCueMarks(k: number): number {
    let m = k;
    while (m < this.n && m - k < 6 && (this.t[m] as Token).kind === 'punct' && (this.isCueMark(m) || m === k)) m++;
    return m;
  }

  /** ":", "=", "->", "=>", "→", " - ", "—": what sets a value between a word and it. */
  protected isCueMark(k: number): boolean {
    const tok = this.t[k] as Token;
    if (tok.kind !== 'punct' || !CUE_MARKS.has(tok.text)) return false;
    // A hyphen sets a value only standing free ("pass - Diwali@2023"), or as the start of an arrow.
    if (tok.text === '-') return tok.space || this.t[k + 1]?.text === '>' || this.t[k + 1]?.text === '-';
    if (tok.text === '>') return this.t[k - 1]?.text === '-' || this.t[k - 1]?.text === '=' || tok.space;
    return true;
  }

  /** "it's", "it is", "het is", "dat was", "'t is": the index after the cue, or 0. */
  protected pronounCue(k: number): number {
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

  /** ".", "!", "?", ";" followed by a space, a line break or the end; a dot after a title is not one. */
  protected endsSentence(k: number): boolean {
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

  protected endsLine(k: number): boolean {
    for (let m = k; m < this.n && m - k < REACH; m++) {
      const tok = this.t[m] as Token;
      if (tok.kind === 'newline') return true;
      if (tok.kind === 'word') return false;
    }
    return true;
  }

  protected lineEndsAfter(k: number): boolean {
    return this.endsLine(k + 1) || (this.t[k + 1]?.kind === 'punct' && this.endsSentence(k + 1));
  }

  protected lineStartOf(k: number, reach = this.n): number {
    let m = k;
    while (m > 0 && k - m < reach && (this.t[m - 1] as Token).kind !== 'newline') m--;
    return m;
  }

  protected lineEndOf(k: number, reach = this.n): number {
    let m = k;
    while (m + 1 < this.n && m - k < reach && (this.t[m + 1] as Token).kind !== 'newline') m++;
    return m;
  }

  protected atLineStart(k: number): boolean {
    return k === 0 || (this.t[k - 1] as Token).kind === 'newline';
  }

  protected atLineStartOrAfterQuestion(k: number): boolean {
    if (this.atLineStart(k)) return true;
    const prev = this.t[k - 1] as Token;
    return prev.kind === 'punct' && (prev.text === '?' || prev.text === '>');
  }

  /** The nearest word before `k` that is no article or possessive. */
  protected prevWord(k: number): number {
    let m = k - 1;
    while (m >= 0 && this.isWord(m) && DETERMINERS.has(this.key(m))) m--;
    return m;
  }

  /** A cue (word or mark) within `within` tokens from `k`. */
  protected cueWithin(k: number, within: number): boolean {
    for (let m = k; m < Math.min(this.n, k + within); m++) {
      const tok = this.t[m] as Token;
      if (tok.kind === 'newline') return false;
      if (this.isCueMark(m) || (tok.kind === 'word' && (CUE_WORDS.has(tok.key) || this.pronounCue(m)))) return true;
    }
    return false;
  }

  protected isWord(k: number): boolean {
    return k >= 0 && k < this.n && (this.t[k] as Token).kind === 'word';
  }

  protected key(k: number): string {
    return this.t[k]?.key ?? '';
  }

  protected isCapitalized(k: number): boolean {
    return this.isWord(k) && /^\p{Lu}/u.test((this.t[k] as Token).text);
  }

  protected rangeText(from: number, to: number): string {
    let s = '';
    for (let m = from; m <= to; m++)
      s += ((this.t[m] as Token).space && m > from ? ' ' : '') + (this.t[m] as Token).text;
    return s;
  }
}
