import { readFileSync } from 'node:fs';
import { MemorySessionStore } from '../../adapters/store/memory-session-store.ts';
import { ConversationGuard } from '../../core/conversation-guard.ts';
import { asksForSecret, type Finding } from '../../core/guard/index.ts';
import { FakeClock } from './clock.ts';

/** One labelled customer message of a corpus, as the corpus writers wrote it (test/fixtures/guard/*.json). */
export interface InboundCase {
  id: string;
  group: string;
  lang: 'en' | 'nl';
  text: string;
  secrets: Array<{ value: string; kind: Finding }>;
  /** Earlier lines of the same conversation, within the last minute, oldest first. */
  context?: Array<{ from: 'customer' | 'agent'; text: string }>;
  expectingPin?: boolean;
  pin?: string | null;
  note?: string;
}

export interface OutboundCase {
  id: string;
  group: string;
  lang: 'en' | 'nl';
  label: 'ask' | 'safe';
  text: string;
}

/** The cases of corpus files in test/fixtures/guard/, in file order. */
function loadCases<T>(files: string[]): T[] {
  return files.flatMap(
    (file) =>
      (JSON.parse(readFileSync(new URL(`../fixtures/guard/${file}`, import.meta.url), 'utf8')) as { cases: T[] }).cases,
  );
}

export const loadInbound = (...files: string[]): InboundCase[] => loadCases<InboundCase>(files);
export const loadOutbound = (...files: string[]): OutboundCase[] => loadCases<OutboundCase>(files);

export interface InboundOutcome {
  case: InboundCase;
  /** Every occurrence of every secret lies inside a hidden run. */
  hidden: boolean;
  /** The secrets that are still (partly) visible. */
  visible: string[];
  /** Each labelled kind is among the findings. */
  kindsFound: boolean;
  /** A harmless message was changed or reported. */
  falseAlarm: boolean;
  pinRight: boolean;
  redacted: string;
}

/**
 * One case as a channel reads it: the earlier lines through the conversation's guard (the agent's as lines the
 * guard only learns from), then the message itself, a second after the last of them.
 */
export async function evaluateInbound(c: InboundCase): Promise<InboundOutcome> {
  const clock = new FakeClock();
  const guard = new ConversationGuard(new MemorySessionStore(clock), clock);
  for (const line of c.context ?? []) {
    if (line.from === 'agent') await guard.otherLine('c:case', line.text);
    else await guard.line('c:case', 'customer', line.text);
    clock.advance(1_000);
  }
  const scan = await guard.line('c:case', 'customer', c.text, { expectingPin: c.expectingPin === true });
  const covered = (start: number, end: number) =>
    scan.hidden.some((s) => s.kind !== 'pin' && s.start <= start && end <= s.end);
  const visible: string[] = [];
  for (const { value } of c.secrets) {
    for (let at = c.text.indexOf(value); at >= 0; at = c.text.indexOf(value, at + 1)) {
      if (!covered(at, at + value.length)) {
        visible.push(value);
        break;
      }
    }
  }
  const nonPin = scan.hidden.filter((s) => s.kind !== 'pin');
  return {
    case: c,
    hidden: visible.length === 0,
    visible,
    kindsFound: c.secrets.every((s) => scan.findings.includes(s.kind)),
    falseAlarm: c.secrets.length === 0 && (nonPin.length > 0 || scan.findings.length > 0),
    pinRight: !c.expectingPin || scan.pin === (c.pin ?? null),
    redacted: scan.redacted,
  };
}

export interface GroupFigures {
  group: string;
  cases: number;
  secretCases: number;
  /** Secret cases whose secrets are all hidden and whose kinds are all reported. */
  recall: number;
  hidden: number;
  benign: number;
  falseAlarms: number;
  pinWrong: number;
}

export function figuresByGroup(outcomes: InboundOutcome[]): GroupFigures[] {
  const groups = new Map<string, InboundOutcome[]>();
  for (const o of outcomes) groups.set(o.case.group, [...(groups.get(o.case.group) ?? []), o]);
  return [...groups.entries()].map(([group, list]) => {
    const secret = list.filter((o) => o.case.secrets.length > 0);
    return {
      group,
      cases: list.length,
      secretCases: secret.length,
      recall: secret.length === 0 ? 1 : secret.filter((o) => o.hidden && o.kindsFound).length / secret.length,
      hidden: secret.filter((o) => o.hidden).length,
      benign: list.length - secret.length,
      falseAlarms: list.filter((o) => o.falseAlarm).length,
      pinWrong: list.filter((o) => !o.pinRight).length,
    };
  });
}

/** The per-group table the corpus tests print. */
export function formatFigures(figures: GroupFigures[]): string {
  const rows = figures.map(
    (f) =>
      `${f.group.padEnd(28)} ${String(f.cases).padStart(4)} ${f.secretCases ? `${(f.recall * 100).toFixed(1).padStart(6)}%` : '      -'} ${String(f.secretCases - f.hidden).padStart(8)} ${String(f.benign).padStart(7)} ${String(f.falseAlarms).padStart(7)} ${String(f.pinWrong).padStart(6)}`,
  );
  return [`${'group'.padEnd(28)} cases  recall  visible  benign  alarms  pin≠`, ...rows].join('\n');
}

export interface OutboundOutcome {
  case: OutboundCase;
  asks: boolean;
  right: boolean;
}

export function evaluateOutbound(c: OutboundCase): OutboundOutcome {
  const asks = asksForSecret(c.text);
  return { case: c, asks, right: asks === (c.label === 'ask') };
}

/**
 * Inputs made to be slow, for the property test and `npm run bench`: each is a long run of something the old
 * patterns (or a careless rule) re-read.
 */
export function adversarialInputs(length = 100_000): Record<string, string> {
  const run = (piece: string) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length);
  return {
    'code is, then spaces': `code is${' '.repeat(length)}x`,
    'one digit': run('1'),
    'digits one space apart': run('1 '),
    'digits and dashes': run('12-'),
    'spaced code': run('4 8 2 9 1 3 '),
    'password, again and again': run('password '),
    'password: again and again': run('password: '),
    'my password is, again': run('my password is '),
    'ww ww': run('ww '),
    'code 1 code 1': run('code 1 '),
    'first pet,': run('first pet, '),
    'spaced letters': run('p a s s w o r d '),
    'secret words of every kind': run('password code pin wachtwoord recovery key seed phrase first pet maiden name '),
    'cues only': run('is was : = -> '),
    'password, then punctuation': `password ${run('!')}`,
    'password, then brackets': `password ${run('(')}`,
    'password, then quotes': `password is ${run('"')}`,
    'password, then dashes': `password ${run('- ')}`,
    'no spaces': `password=${run('(a')}`,
    'zero-width inside': run('pass\u200bword\u200b'),
    'combining marks': run('a\u0301'),
    'new code points': Array.from({ length }, (_, i) => String.fromCodePoint(0x4e00 + (i % 20_000))).join(''),
    'at signs': run('a@'),
    'e-mail addresses': run('alex@example.com '),
    'Q: A:': run('Q: A: '),
    'number words': run('one two three four '),
    'key groups': run('AB12 '),
    'IBAN-like groups': run('NL91 ABNA '),
    'apostrophe s': run("'s "),
    'line breaks': `password${run('\n')}`,
    'pw per line': run('pw\n'),
  };
}
