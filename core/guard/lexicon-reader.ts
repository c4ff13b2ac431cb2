import type { Finding } from './findings.ts';
import type { NamedSecret } from './inbound.ts';
import type { SecretWord } from './lexicon.ts';
import * as lexicon from './lexicon.ts';
import * as shapes from './shapes.ts';
import type { Token } from './text.ts';
import { TokenReader } from './token-reader.ts';

// Bound once: scans read these on every word, and a module namespace reads through getters.
const {
  ANSWER_CUES,
  ANSWER_WORDS,
  BIRTH_PLACES,
  BORN,
  CHANGE_VERBS,
  CUE_WORDS,
  DETERMINERS,
  FAVOURITE,
  FAVOURITE_NOUNS,
  FIRST_NOUNS,
  FUNCTION_WORDS,
  GREW_UP,
  HINT_WORDS,
  LEXICON,
  LEXICON_PREFIXES,
  MIDDLE_NAME,
  NAME_PARTICLES,
  NOT_SECRET_WORDS,
  PARENTS_WORDS,
  PREPOSITIONS,
  QUESTION_LABELS,
  RECOVERY_COUNTS,
  SECRET_SUFFIXES,
  STATE_WORDS,
  STREET_WORDS,
  TOPIC_STARTS,
  TYPO_TARGETS,
} = lexicon;
const { oneSlipApart } = shapes;

export interface WordMatch {
  /** Index after the last token of the match. */
  end: number;
  secret?: SecretWord | undefined;
  notSecret?: boolean | undefined;
  topic?: boolean | undefined;
  question?: boolean | undefined;
  /** The word ends in 's, which is the cue ("the password's …"). */
  contracted?: boolean | undefined;
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

/** What each word is: a secret word, a word that is no secret, a topic of a security question, or nothing. */
export class LexiconReader extends TokenReader {
  constructor(tokens: Token[], security: boolean) {
    super(tokens);
    this.matches = [];
    this.security = security;
  }

  /** What {@link matchAt} found at each token (null: nothing); filled as asked. */
  protected readonly matches: Array<WordMatch | null | undefined>;

  protected security: boolean;

  // ── word matching ─────────────────────────────────────────────────────────
  /** The longest lexicon entry starting at token `i`: a secret word, a word that is no secret, or a topic. */
  protected matchAt(i: number): WordMatch | undefined {
    const known = this.matches[i];
    // "born in …" is a topic only where a security question is in view, which the scan may learn later.
    if (known === null && this.security && BORN.has(this.key(i))) return this.topicAt(i);
    if (known !== undefined) return known ?? undefined;
    const found = this.lookUp(i);
    this.matches[i] = found ?? null;
    return found;
  }

  protected lookUp(i: number): WordMatch | undefined {
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
  protected typoAt(i: number): WordMatch | undefined {
    const tok = this.t[i] as Token;
    const key = tok.leet;
    if (key.length < 7 || key.length > 16 || tok.digits > 0) return undefined;
    for (const [word, secret] of TYPO_TARGETS)
      if (oneSlipApart(key, word))
        return secret.kind === 'security_answer' ? match(i + 1, { topic: true }) : match(i + 1, { secret });
    return undefined;
  }

  protected entry(key: string, end: number): WordMatch | undefined {
    const entry = LEXICON.get(key);
    if (!entry) return undefined;
    // One shape for every match keeps the property reads on it fast.
    return match(end, entry);
  }

  protected suffixAt(i: number): WordMatch | undefined {
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
  protected spacedLetters(i: number): WordMatch | undefined {
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
  protected topicAt(i: number): WordMatch | undefined {
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

  /** A security question, or a topic of one ("first pet", "meisjesnaam"), is named in the text. */
  mentionsSecurity(): boolean {
    if (this.mentionsSecurityQuestion()) return true;
    for (let i = 0; i < this.n; i++) if (this.isWord(i) && this.matchAt(i)?.topic) return true;
    return false;
  }

  protected mentionsSecurityQuestion(): boolean {
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

  /** "de code waarmee ik mijn ipad ontgrendel is …": the code that unlocks a device is its passcode. */
  protected unlockAhead(k: number): boolean {
    for (let m = k; m < Math.min(this.n, k + 7); m++) {
      const tok = this.t[m] as Token;
      if (tok.kind !== 'word' || CUE_WORDS.has(tok.key)) return false;
      if (/^(?:ontgrendel|unlock|vergrendel)/u.test(tok.key)) return true;
    }
    return false;
  }

  /** "code van mijn iphone", "the code of my phone", "code for the ipad": the index after the device word. */
  protected deviceAfter(k: number): number | undefined {
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

  protected describes(key: string): boolean {
    return STATE_WORDS.has(key) || FUNCTION_WORDS.has(key) || PREPOSITIONS.has(key) || HINT_WORDS.has(key);
  }

  protected changeVerbNear(i: number): boolean {
    for (let k = i - 1; k >= Math.max(0, i - 4); k--) {
      if (!this.isWord(k)) break;
      if (CHANGE_VERBS.has(this.key(k))) return true;
    }
    for (let k = i + 1; k <= Math.min(this.n - 1, i + 5); k++)
      if (this.isWord(k) && CHANGE_VERBS.has(this.key(k))) return true;
    return false;
  }

  protected changeVerbAhead(k: number): boolean {
    for (let m = k; m <= Math.min(this.n - 1, k + 4); m++)
      if (this.isWord(m) && CHANGE_VERBS.has(this.key(m))) return true;
    return false;
  }

  /** A name may start here: not an article or pronoun, unless a particle of a name ("De Vries", "van den Berg"). */
  protected startsName(k: number): boolean {
    const key = this.key(k);
    if (key === 'de' || key === 't' || key === 'la' || key === 'le')
      return this.isCapitalized(k + 1) || NAME_PARTICLES.has(this.key(k + 1)) || this.isCapitalized(k);
    if (NAME_PARTICLES.has(key)) return true;
    return !FUNCTION_WORDS.has(key);
  }
}
