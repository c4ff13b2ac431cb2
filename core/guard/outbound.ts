import { UnsafeOutboundError } from '../errors.ts';
import { MAX_SCAN_CHARS, namedSecrets } from './inbound.ts';
import { words } from './lexicon.ts';
import { type Token, tokenize } from './text.ts';

/**
 * The outbound check reads a text the way the inbound scan does (the same normalization, tokens and lexicon)
 * and asks, clause by clause: is someone here asked to give a secret? A reassurance is not an ask, and a
 * reassurance followed by an ask is one.
 */

// Verbs that ask the reader to hand something over.
const GIVE = words(`
  send give tell share type enter provide read say reply respond paste forward spell dictate confirm submit drop pop
  put post write text message email pass hand input fill key note show mention repeat quote list
  sending giving telling sharing typing entering providing reading saying pasting forwarding spelling confirming
  submitting dropping popping putting posting writing texting emailing passing handing filling
  shared told typed entered provided pasted forwarded confirmed submitted passed handed gave given
  stuur stuurt sturen geef geeft geven vertel vertellen deel delen typ typen tik tikken voer vul vullen lees zeg
  zeggen noem noemen antwoord bevestig bevestigen plak plakken spel spellen doorgeven doorsturen
  intypen invullen invoeren voorlezen opgeven melden doorgeeft noemt
  deelt stuurt typt vult leest zegt plakt meldt bevestigt voert tikt doorstuurt vertelt spelt
  zet zetten plaats plaatsen
`);
// "it would be great to have your recovery key", "mag ik je code krijgen": receiving what is yours.
const RECEIVE = words('have get receive hear krijgen hebben ontvangen horen');
const POSSESSIVE = words('your je uw jouw');
// Words that make a clause a request without a verb of giving: "I need your password", "mag ik uw wachtwoord".
const NEED = words('need needs require requires want nodig graag please pls kindly');
const MODAL_YOU = words('can could would will kun kunt wil wilt zou zoudt mag');
const YOU = words('you u je jij jou');
const QUESTION = words('what whats which how wat welke welk hoe');
// After a question word: "what is", "what does … show", "wat staat er", "hoe heette".
const QUESTION_VERBS = words(
  'is s was are were does do did show shows say says said read reads see staat staan stond stonden heette heet heten luidt zijn toont zegt zei zie ziet heb hebt had have used typed entered put gebruikt ingevuld ingetypt',
);
const NEGATION = words(
  'never not dont doesnt wont cant cannot shouldnt no nobody noone nooit niet geen niemand hoeft hoef hoeven',
);
// Dutch puts its negation after the object: "deel je wachtwoord met niemand", "lees de code niet voor".
const TRAILING_NEGATION = words('niemand niet nooit nobody');
// Someone else asks: "if anyone asks for your code", "vraagt iemand om je sms-code?".
const THIRD_PARTY = words(
  'anyone anybody someone somebody iemand scammer scammers fraudster fraudsters oplichter oplichters criminals caller',
);
// "If the website asks for your security answer": the site or the app asks, where the customer signs in.
const ASKING_PLACES = words('website site app portal portaal page pagina form formulier system systeem');
const FIRST_PERSON = words('i we ik wij ive weve ill well id wed im');
const FIRST_PERSON_AUX = words(
  'will shall have has am are going to just also can could ll ve ga gaan zal zullen heb hebben hebt kan kunnen nu now even',
);
// The reader is sent to enter it elsewhere: "on the login page, not here", "in de app".
const ELSEWHERE = words(
  'loginpage inlogpagina website site webpagina app prompt device apparaat toestel screen scherm field browser portal portaal there daar',
);
const NOT_HERE = words(
  'nothere niethier nietindezechat nietinditgesprek nothereplease ratherthaninthischat insteadofhere nietinthischat notinthischat inplaatsvanhier',
);
const PRONOUNS = words('it them that this those these they het hem hij die dat ze deze zij');
// After "het": a particle or adverb shows it is a pronoun ("typ het hier"), a noun that it is an article.
const AFTER_PRONOUN = words(
  'here hier now nu maar even door in op dan voor gerust ook wel snel meteen dus please graag alsjeblieft alstublieft to aan me mij ons us',
);
const FILLERS = words(
  'just only and now next also too even please pls thanks thank you thx then first again graag alstublieft alsjeblieft aub nog ook even nu en dan eerst weer your you je jouw uw my the de het a een this that account current own huidige eigen',
);
const LET_KNOW = words('know weten');
const WHEN = words('when once if whether after wanneer zodra als nadat of');
const SUBJECTS = words('we were i im ive you youre they theyre ik wij jij u ze dan');
const CLAUSE_WORDS = words('but maar then dan however echter behalve except although though');
const SUBORDINATE = words('if when once after before until unless als wanneer zodra nadat voordat totdat tenzij');
const ERROR_CONTEXT = words('error errors fout foutmelding foutcode errormessage');
// "the code was sent to your phone", "de code wordt gestuurd": a passive is a statement, not a request.
const PASSIVE = words('was were is are been being be wordt werd worden zijn is gets got');
// Words before a verb of giving that make it a noun: "a text", "een e-mail", "the message".
const ARTICLES = words('a an the een de het your uw this that my mijn our');
// Verbs of entering something somewhere: "enter it on the login page", "vul die in op de inlogpagina".
const ENTER = words('enter type typ tik vul voer put fill key input use gebruik entered typed ingevuld ingetypt');
// Paraphrases of a one-time code: "the number we just texted you", "de cijfers uit het sms'je".
const CODE_THINGS = words('number numbers digits digit cijfers cijfer nummer getal woorden words letters');
// How a code reached the reader: "we just texted you", "die je net kreeg"; or where it is: "in the text message".
const CODE_SENT = words(
  'sent texted emailed gestuurd gesmst stuurden kreeg gekregen received ontvangen wrote opgeschreven arrived came binnenkwam aangekomen',
);
const CODE_PLACES = words('sms smsje smsjes text textmessage message email mail bericht berichtje authenticator');
const IN_FROM = words('in from uit van op by per via');
// What may follow a secret in a verbless ask: "the code from the SMS", "uw pincode van de bankpas".
const ELLIPTICAL_TAIL = words(
  'from in of on uit van op the de het your je uw sms smsje text message email mail app authenticator phone telefoon bankpas pas card kaart portal mother mothers mom mum moeder father vader',
);
// "phone number", "order number": numbers that are no code.
const NUMBER_QUALIFIERS = words(
  'phone telefoon order bestel account customer klant serial serie tracking case ticket invoice factuur house huis',
);
// "your PIN", "card PIN", "de pincode van je bankpas": a PIN that is no support PIN.
const OWN_PIN = words('your je uw jouw account card bank debit credit sim phone telefoon pinpas bankpas creditcard');
const CREDENTIALS = words(
  'credentials credential inloggegevens inlogdata inloggevens logingegevens accountgegevens wachtwoordgegevens tekenreeks',
);
const DETAILS = words('details detail info information data gegevens');
const SIGN_IN = words('login logon signin inlog inloggen inlogt logt aanmelden aanmeldt signon');

type NounKind = 'secret' | 'support';

interface Clause {
  from: number;
  to: number;
}

class OutboundReader {
  private readonly t: Token[];
  private readonly noun: Array<NounKind | undefined> = [];

  constructor(text: string) {
    this.t = tokenize(text, Math.min(text.length, MAX_SCAN_CHARS));
    for (const named of namedSecrets(this.t)) {
      // What this product asks for is the support PIN: "the PIN" is it; "your PIN", "the card PIN" are not.
      const support = named.pin && (this.supportBefore(named.from) || !this.ownPin(named.from, named.to));
      for (let k = named.from; k <= named.to; k++) this.noun[k] = support ? 'support' : 'secret';
    }
    // "supportpincode", "support-PIN" as one word.
    for (let k = 0; k < this.t.length; k++) {
      const key = this.key(k);
      if (key.startsWith('support') && /pin/u.test(key)) this.noun[k] = 'support';
      // "the PIN field", "het pincodeveld": a field on a form, not a secret.
      if (this.noun[k] && /(?:field|veld|box|vak)$/u.test(key)) this.noun[k] = undefined;
      if (this.noun[k] === 'secret' && ['field', 'veld', 'box', 'vak', 'invoerveld'].includes(this.key(k + 1)))
        this.noun[k] = undefined;
    }
  }

  asks(): boolean {
    let lastNoun: NounKind | undefined;
    let previous: { clause: Clause; secret: boolean } | undefined;
    for (const clause of this.clauses()) {
      const nouns = this.nounsIn(clause);
      // "never ask for your password, verification codes, recovery key": a list goes on as it began.
      const listItem =
        previous?.secret === true &&
        this.t[clause.from - 1]?.text === ',' &&
        nouns.secret &&
        !CLAUSE_WORDS.has(this.key(clause.from)) &&
        !this.request(clause, this.keys(clause)) &&
        !this.question(this.keys(clause));
      if (!listItem && this.asksIn(clause, nouns, lastNoun)) return true;
      if (nouns.secret) lastNoun = 'secret';
      else if (nouns.support) lastNoun = 'support';
      previous = { clause, secret: nouns.secret };
    }
    return false;
  }

  private asksIn(
    clause: Clause,
    nouns: { secret: boolean; support: boolean },
    lastNoun: NounKind | undefined,
  ): boolean {
    const keys = this.keys(clause);
    if (keys.length === 0) return false;
    if (this.exempt(keys)) return false;
    const request = this.request(clause, keys);
    if (nouns.secret) {
      if (this.negatedBefore(clause, keys)) return false;
      if (request || this.question(keys) || this.elliptical(clause)) return true;
      return false;
    }
    // "I won't ask for your password. Now type it here:" — a pronoun for the secret named before.
    if (
      lastNoun === 'secret' &&
      (this.giveIn(clause) || this.needIn(clause)) &&
      this.pronounObject(clause) &&
      !this.negatedBefore(clause, keys)
    )
      return true;
    if (lastNoun === 'secret' && this.question(keys) && this.pronounObject(clause) && !this.negatedBefore(clause, keys))
      return true;
    return false;
  }

  /** "voor deze controle heb ik hem wel nodig", "I need it": a need of ours, not a "please". */
  private needIn(clause: Clause): boolean {
    for (let k = clause.from; k <= clause.to; k++)
      if (
        ['need', 'needs', 'require', 'requires', 'want', 'nodig'].includes(this.key(k)) &&
        !this.readerSubject(k, clause.from)
      )
        return true;
    return false;
  }

  private giveIn(clause: Clause): boolean {
    for (let k = clause.from; k <= clause.to; k++) if (this.giveVerb(k, clause.from)) return true;
    return false;
  }

  /** Clauses: split at sentence ends, commas, colons, dashes, brackets, line breaks and "but"/"maar". */
  private clauses(): Clause[] {
    const out: Clause[] = [];
    let from = 0;
    for (let k = 0; k < this.t.length; k++) {
      const tok = this.t[k] as Token;
      const breaks =
        tok.kind === 'newline' ||
        (tok.kind === 'punct' &&
          ['.', '!', '?', ';', ':', ',', '(', ')', '—', '–', '…', '"', '“', '”'].includes(tok.text)) ||
        (tok.kind === 'punct' && tok.text === '-' && tok.space) ||
        (tok.kind === 'word' &&
          (CLAUSE_WORDS.has(tok.key) ||
            // "als je het niet erg vindt" opens a clause; "als antwoord op" does not.
            (SUBORDINATE.has(tok.key) &&
              k > from &&
              (tok.key !== 'als' || SUBJECTS.has(this.key(k + 1)) || this.key(k + 1) === 'het')))) ||
        // "… and we're done", "en dan zijn we klaar": a new subject starts a new clause.
        (tok.kind === 'word' && (tok.key === 'and' || tok.key === 'en') && SUBJECTS.has(this.key(k + 1)));
      if (!breaks) continue;
      if (k > from) out.push({ from, to: k - 1 });
      from = tok.kind === 'word' ? k : k + 1;
    }
    if (from < this.t.length) out.push({ from, to: this.t.length - 1 });
    return out;
  }

  private nounsIn(clause: Clause): { secret: boolean; support: boolean } {
    let secret = false;
    let support = false;
    for (let k = clause.from; k <= clause.to; k++) {
      if (this.noun[k] === 'secret') secret = true;
      if (this.noun[k] === 'support') support = true;
    }
    if (!secret)
      secret = this.paraphrase(clause) || (this.paraphrase(this.sentenceOf(clause)) && this.asksShape(clause));
    // "Welke code staat er in de foutmelding?": an error code.
    if (
      secret &&
      this.keys(clause).some((w) => ERROR_CONTEXT.has(w)) &&
      !this.keys(clause).some((w) => /^(?:password|wachtwoord)/u.test(w))
    )
      secret = false;
    return { secret, support };
  }

  /** The sentence a clause stands in: up to the sentence ends around it. */
  private sentenceOf(clause: Clause): Clause {
    let from = clause.from;
    let to = clause.to;
    const ends = (k: number) => {
      const tok = this.t[k];
      return !tok || tok.kind === 'newline' || (tok.kind === 'punct' && ['.', '!', '?', ';'].includes(tok.text));
    };
    while (from > 0 && !ends(from - 1) && clause.from - from < 40) from--;
    while (to + 1 < this.t.length && !ends(to + 1) && to - clause.to < 40) to++;
    return { from, to };
  }

  /** The clause has the form of a question or a request, whatever it names. */
  private asksShape(clause: Clause): boolean {
    const keys = this.keys(clause);
    return this.question(keys) || this.request(clause, keys);
  }

  /** Secrets named without their words: credentials, "the number we just texted you", "what you type to sign in". */
  private paraphrase(clause: Clause): boolean {
    const keys = this.keys(clause);
    if (keys.some((w) => CREDENTIALS.has(w))) return true;
    for (let i = 0; i + 1 < keys.length; i++) {
      if (SIGN_IN.has(keys[i] as string) && DETAILS.has(keys[i + 1] as string)) return true;
      if ((keys[i] as string) + (keys[i + 1] as string) === 'signin' && DETAILS.has(keys[i + 2] ?? '')) return true;
    }
    if (keys.some((w) => DETAILS.has(w)) && keys.some((w) => SIGN_IN.has(w) || w === 'sign')) return true;
    for (let i = 0; i < keys.length; i++) {
      if (!CODE_THINGS.has(keys[i] as string) || NUMBER_QUALIFIERS.has(keys[i - 1] ?? '')) continue;
      const rest = keys.slice(i + 1, i + 13);
      if (rest.some((w) => CODE_SENT.has(w))) return true;
      for (let j = 0; j + 1 < rest.length && j < 12; j++)
        if (
          IN_FROM.has(rest[j] as string) &&
          (CODE_PLACES.has(rest[j + 1] as string) || CODE_PLACES.has(rest[j + 2] ?? ''))
        )
          return true;
    }
    if (keys.some((w) => w === 'authenticator' || w.startsWith('authenticator'))) return true;
    // "What's the thing you type when you sign in", "Wat typ je in als je inlogt"
    const typing = keys.some((w) => ['type', 'enter', 'typ', 'vul', 'voer', 'tik'].includes(w));
    const signing =
      keys.some((w) => SIGN_IN.has(w)) || keys.join(' ').includes('sign in') || keys.join(' ').includes('log in');
    return typing && signing && keys.some((w) => QUESTION.has(w));
  }

  private request(clause: Clause, keys: string[]): boolean {
    for (let k = clause.from; k <= clause.to; k++) {
      const key = this.key(k);
      if (this.giveVerb(k, clause.from)) return true;
      // "we need your code" asks; "you'll need your password to sign in" tells.
      if (NEED.has(key) && !this.readerSubject(k, clause.from)) return true;
      if (RECEIVE.has(key) && POSSESSIVE.has(this.key(k + 1)) && this.noun[k + 2]) return true;
      if (
        key === 'let' &&
        ['me', 'us'].includes(this.key(k + 1)) &&
        (LET_KNOW.has(this.key(k + 2)) || this.key(k + 2) === 'have')
      ) {
        if (WHEN.has(this.key(k + 3))) return false;
        return true;
      }
      if (key === 'laat' && keys.includes('weten')) return !WHEN.has(keys[keys.indexOf('weten') + 1] ?? '');
      // "mag ik …", "may I have …", "can I have …": asking without a verb of giving.
      if ((key === 'mag' || key === 'may') && ['ik', 'i'].includes(this.key(k + 1))) return true;
      if (MODAL_YOU.has(key) && this.key(k + 1) === 'i' && ['have', 'get'].includes(this.key(k + 2))) return true;
      if (key === 'kan' && this.key(k + 1) === 'ik' && this.keys(clause).some((w) => ['krijgen', 'hebben'].includes(w)))
        return true;
      if (
        ['ask', 'asking', 'vraag', 'vragen'].includes(key) &&
        ['for', 'om', 'naar'].includes(this.key(k + 1)) &&
        !this.firstPersonNegated(k) &&
        // "I'll have to ask for your recovery key", "ik vraag om je code"
        (k === clause.from || [1, 2, 3, 4].some((d) => k - d >= clause.from && FIRST_PERSON.has(this.key(k - d))))
      )
        return true;
    }
    return false;
  }

  /**
   * The reader is the subject of a need: "you'll need your password to sign in", "u heeft uw wachtwoord nodig"
   * tell; "I need your code", "ik heb je wachtwoord nodig", "heb ik je codes nodig" ask.
   */
  private readerSubject(k: number, from: number): boolean {
    const reader = (key: string) => ['you', 'youll', 'youd', 'youre', 'je', 'jij', 'u'].includes(key);
    if (this.key(k) === 'nodig') {
      for (let a = k - 1; a >= from && a >= k - 8; a--) {
        if (!['heb', 'hebt', 'heeft', 'hebben', 'had', 'hadden'].includes(this.key(a))) continue;
        const before = this.key(a - 1);
        const after = this.key(a + 1);
        if (FIRST_PERSON.has(before) || FIRST_PERSON.has(after)) return false;
        return (a - 1 >= from && reader(before)) || reader(after);
      }
      return false;
    }
    for (let m = k - 1; m >= from && m >= k - 3; m--) {
      const key = this.key(m);
      if (reader(key)) return true;
      if (
        FIRST_PERSON.has(key) ||
        !['will', 'would', 'll', 'd', 'also', 'just', 'still', 'only', 'really', 'do', 'dont'].includes(key)
      )
        return false;
    }
    return false;
  }

  /** A verb of giving that asks: not ours ("I'll send"), not a noun ("a text"), not a passive ("was sent"). */
  private giveVerb(k: number, from: number): boolean {
    const key = this.key(k);
    if (!GIVE.has(key) || this.noun[k]) return false;
    if (k > from && ARTICLES.has(this.key(k - 1))) return false;
    if (
      (k > from && PASSIVE.has(this.key(k - 1))) ||
      (k - 1 > from && PASSIVE.has(this.key(k - 2)) && !YOU.has(this.key(k - 1)))
    )
      return false;
    if (key === 'key' && this.key(k + 1) !== 'in') return false;
    // "… and don't share it", "deel hem met niemand": a give that is told not to happen asks nothing.
    if ([1, 2].some((d) => k - d >= from && NEGATION.has(this.key(k - d)))) return false;
    return !this.firstPersonBefore(k, from);
  }

  /** "What is your password?", "Hoe heette je eerste huisdier?", "What does it say?" */
  private question(keys: string[]): boolean {
    for (let i = 0; i < keys.length; i++) {
      if (!QUESTION.has(keys[i] as string)) continue;
      if (keys[i] === 'whats') return true;
      for (let j = i + 1; j <= i + 4 && j < keys.length; j++) if (QUESTION_VERBS.has(keys[j] as string)) return true;
    }
    return false;
  }

  /** "Just your password.", "Your 2FA code, please.", "En de verificatiecode?", "Password?" */
  private elliptical(clause: Clause): boolean {
    for (let k = clause.from; k <= clause.to; k++) {
      if (this.t[k]?.kind !== 'word') continue;
      if (this.noun[k]) continue;
      if (!FILLERS.has(this.key(k)) && !ELLIPTICAL_TAIL.has(this.key(k))) return false;
    }
    return true;
  }

  /** Exempt clauses: someone else asks, the reader goes elsewhere to enter it, or a statement of what we did. */
  private exempt(keys: string[]): boolean {
    if (keys.some((w) => THIRD_PARTY.has(w))) return true;
    // "if they ask for your code": they ask; "what are they?" is another matter.
    for (let i = 0; i + 1 < keys.length; i++)
      if (
        (keys[i] === 'they' || keys[i] === 'ze') &&
        ['ask', 'asks', 'call', 'calls', 'say', 'claim', 'vragen', 'bellen'].includes(keys[i + 1] as string)
      )
        return true;
    for (let i = 0; i + 1 < keys.length; i++)
      if (
        ASKING_PLACES.has(keys[i] as string) &&
        ['asks', 'vraagt', 'wants', 'wil', 'prompts', 'requests'].includes(keys[i + 1] as string)
      )
        return true;
    const joined = keys.join('');
    for (const w of NOT_HERE) if (joined.includes(w)) return true;
    if (!keys.some((w) => ENTER.has(w))) return false;
    // "please type it there rather than in this chat": there, where it was asked for.
    if (keys.includes('there') || keys.includes('daar')) return true;
    for (let i = 0; i + 1 < keys.length; i++) {
      if (['on', 'in', 'into', 'at', 'op', 'via'].includes(keys[i] as string)) {
        const next =
          keys[i + 1] === 'the' ||
          keys[i + 1] === 'de' ||
          keys[i + 1] === 'het' ||
          keys[i + 1] === 'your' ||
          keys[i + 1] === 'je' ||
          keys[i + 1] === 'uw'
            ? keys[i + 2]
            : keys[i + 1];
        const after = keys[keys.indexOf(next ?? '', i) + 1] ?? '';
        if (
          next &&
          (ELSEWHERE.has(next) || ELSEWHERE.has(next + after) || /(?:app|pagina|page|website|site)$/u.test(next))
        )
          return true;
      }
    }
    return false;
  }

  /** "I'll send", "we've sent", "ik stuur je": we give, nobody is asked. */
  private firstPersonBefore(k: number, from: number): boolean {
    for (let m = k - 1; m >= from && m >= k - 4; m--) {
      const key = this.key(m);
      if (FIRST_PERSON.has(key)) return true;
      if (!FIRST_PERSON_AUX.has(key) && !['je', 'you', 'u'].includes(key)) return false;
    }
    // Dutch inversion: "stuur ik", "geef ik"
    return FIRST_PERSON.has(this.key(k + 1));
  }

  private firstPersonNegated(k: number): boolean {
    for (let m = k - 1; m >= Math.max(0, k - 4); m--) if (NEGATION.has(this.key(m))) return true;
    return false;
  }

  /** A negation before the secret or the request ("never share your code", "no need to tell me"), or after it in Dutch. */
  private negatedBefore(clause: Clause, keys: string[]): boolean {
    let firstNoun = clause.to;
    for (let k = clause.from; k <= clause.to; k++)
      if (this.noun[k] === 'secret') {
        firstNoun = k;
        break;
      }
    for (let k = clause.from; k < firstNoun; k++)
      if (NEGATION.has(this.key(k)) && !['hesitate', 'aarzel', 'wait', 'forget', 'vergeet'].includes(this.key(k + 1)))
        return true;
    return keys.some((w) => TRAILING_NEGATION.has(w)) || (keys.includes('no') && keys.includes('need'));
  }

  private pronounObject(clause: Clause): boolean {
    for (let k = clause.from; k <= clause.to; k++) {
      const key = this.key(k);
      // "the one you just got", "degene die je kreeg"
      if ((key === 'one' || key === 'ones') && ['the', 'that', 'this'].includes(this.key(k - 1))) return true;
      if (key === 'degene' || key === 'diegene') return true;
      if (!PRONOUNS.has(key)) continue;
      if (['it', 'them', 'they', 'hem', 'hij', 'ze', 'zij'].includes(key)) return true;
      const next = this.t[k + 1];
      if (next?.kind !== 'word' || k === clause.to || AFTER_PRONOUN.has(next.key) || GIVE.has(next.key)) return true;
    }
    return false;
  }

  private ownPin(from: number, to: number): boolean {
    if (OWN_PIN.has(this.key(from - 1)) || OWN_PIN.has(this.key(from - 2))) return true;
    if (['van', 'of', 'for', 'voor'].includes(this.key(to + 1)))
      return OWN_PIN.has(this.key(to + 2)) || OWN_PIN.has(this.key(to + 3));
    return /^(?:sim|card|bank)/u.test(this.key(from));
  }

  private supportBefore(k: number): boolean {
    return this.key(k - 1) === 'support' || this.key(k).startsWith('support');
  }

  private keys(clause: Clause): string[] {
    const out: string[] = [];
    for (let k = clause.from; k <= clause.to; k++) if (this.t[k]?.kind === 'word') out.push(this.key(k));
    return out;
  }

  private key(k: number): string {
    const tok = this.t[k];
    return tok?.kind === 'word' ? tok.leet : '';
  }
}

/**
 * Whether a text the bot is about to send asks anyone for a password, a verification code, a recovery key
 * or a security answer. Reassurances ("we will never ask for your password") are allowed.
 */
export function asksForSecret(text: string): boolean {
  return new OutboundReader(text).asks();
}

/** Throws {@link UnsafeOutboundError} when `text` asks for a secret; every outbound text goes through here. */
export function assertSafeOutbound(text: string, key = 'message'): string {
  if (asksForSecret(text)) throw new UnsafeOutboundError(key);
  return text;
}

// The catalog renders the same few thousand texts again and again (labels, headings, a flow's card three times):
// the verdict is a function of the text alone, so a safe one is remembered. Bounded, oldest first out; longer
// texts are checked every time.
const SAFE_TEXTS_MAX = 5_000;
const SAFE_TEXT_MAX_LENGTH = 2_000;
const safeTexts = new Set<string>();

/** As {@link assertSafeOutbound}, remembering texts found safe: for catalog renders, which repeat. */
export function assertSafeOutboundRemembered(text: string, key = 'message'): string {
  if (safeTexts.has(text)) return text;
  assertSafeOutbound(text, key);
  if (text.length <= SAFE_TEXT_MAX_LENGTH) {
    if (safeTexts.size >= SAFE_TEXTS_MAX) safeTexts.delete(safeTexts.values().next().value as string);
    safeTexts.add(text);
  }
  return text;
}
