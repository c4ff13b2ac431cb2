import { FINDING_KINDS, type Finding } from './findings.ts';
import type { FollowUp, SecretSpan } from './inbound.ts';
import type { SecretWord } from './lexicon.ts';
import * as lexicon from './lexicon.ts';
import * as shapes from './shapes.ts';
import type { Token } from './text.ts';
import * as text from './text.ts';
import { type Hit, REACH } from './token-reader.ts';
import { ValueReader } from './value-reader.ts';

// Bound once: scans read these on every word, and a module namespace reads through getters.
const {
  ANSWER_CUES,
  ANSWER_WORDS,
  CHANGE_CUES,
  CHANGE_VERBS,
  CUE_WORDS,
  DETERMINERS,
  ENTRY_VERBS,
  FILLER_REFERENCES,
  FOLLOW_UP_LEADS,
  FUNCTION_WORDS,
  LEAD_INS,
  NAME_PARTICLES,
  NEGATIONS,
  QUOTES,
  SERIAL_LABELS,
  STRONG_REFERENCES,
  USER_LABELS,
  VALUE_STOPS,
} = lexicon;
const { groupsFit, mayStartKey } = shapes;
const { digitsOf } = text;

/**
 * The rules that tie a secret word to its value: cues after filler words, values before the word, label lines,
 * answers to security questions, numbers and keys without a word, the support PIN; and what a line arms.
 */
export class Scanner extends ValueReader {
  /** Secret words a forward read passed over as filler; they are read with the value it found. */
  protected passed: number[] = [];

  protected readonly skip = new Set<number>();

  // Candidates, in order, collected by classify().
  protected readonly withDigits: number[] = [];

  protected readonly keyStarts: number[] = [];

  protected readonly userLabels: number[] = [];

  protected readonly supports: number[] = [];

  pin: string | null = null;

  earlyPin = false;

  protected armed: FollowUp | null = null;

  /** The armed value of the previous line was found on this one. */
  protected consumed = false;

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
  protected onlyCues(): boolean {
    const words = this.t.filter((x) => x.kind === 'word');
    return (
      words.length > 0 &&
      words.length <= 3 &&
      words.every(
        (x) => CUE_WORDS.has(x.key) || ['it', 'het', 'dat', 't', 'namely', 'namelijk', 'that'].includes(x.key),
      )
    );
  }

  /**
   * One pass over the words: which may start a number, a key, a user/password pair or an early support PIN (the
   * later passes visit only those), and whether any rule could fire at all. Each rule starts at a word that
   * begins a lexicon entry or a topic, ends in a secret suffix, holds a digit, looks like a key group, labels a
   * user, or is a single letter; most chat has none.
   */
  protected classify(): boolean {
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

  // ── after a secret word ───────────────────────────────────────────────────
  protected secretWord(i: number, end: number, word: SecretWord): void {
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

  /**
   * What follows a secret word: filler words, then a cue ("is", ":", "→", "changed … to"), then the value; or a
   * credential-like value right after the word. Returns the value's tokens.
   */
  protected forward(i: number, j: number, kind: Finding, role: SecretWord['role']): Hit | undefined {
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
          const v = this.afterCue(this.skipCueMarks(k), kind, role);
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
        const v = this.afterCue(from, kind, role);
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
  protected afterCue(k: number, kind: Finding, role: SecretWord['role']): Hit | undefined {
    if (k < this.n && (this.t[k] as Token).kind === 'newline') return this.valueAt(k + 1, kind, role, true);
    return this.valueAt(k, kind, role, true);
  }

  /** "nothing fancy, it's football", "is niet moeilijk hoor: tulpen": a second cue later in the sentence. */
  protected continuation(k: number, kind: Finding, role: SecretWord['role']): Hit | undefined {
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

  /** "X is my password", "I used 'fluffy' as my password", "X was what I changed my password to". */
  protected backward(i: number, kind: Finding): boolean {
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
  protected afterthought(i: number, end: number): boolean {
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
  protected arm(i: number, end: number, kind: Finding): void {
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

  protected armTopic(kind: Finding): void {
    if (!this.armed) this.armed = { value: kind };
  }

  // ── security answers ──────────────────────────────────────────────────────
  protected answerTopic(i: number, end: number): void {
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
  protected backwardAnswer(i: number): boolean {
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
  protected answerLine(start: number): void {
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
  protected lineLabel(i: number): void {
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
  protected followUpValue(kind: Finding, strong: boolean, lines: number): void {
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
  protected leadInto(start: number): number {
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

  protected nextSentenceValue(k: number, kind: Finding, role: SecretWord['role']): Hit | undefined {
    // "my password. just monkey": only with a lead-in or a credential-like word.
    const m = this.skipLeadIns(k);
    if (m === k && !this.credential(m)) return undefined;
    return this.valueAt(m, kind, role, true);
  }

  // ── numbers and keys without a word ───────────────────────────────────────
  /** A 6-digit code in any usual spelling; never a reference, a phone number, a date, an amount or an IBAN. */
  protected standaloneCodes(): void {
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
  protected groupedKeys(): void {
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
  protected moreOnTheLine(): void {
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
  protected pairs(): void {
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
  protected echoes(): void {
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
  protected takePin(): void {
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
  protected earlySupportPin(): void {
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
}
