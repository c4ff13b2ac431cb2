import { createInterface } from 'node:readline';
import { asksForSecret, type MarkerLocale, scanInbound } from '../../core/guard/index.ts';

// `npm run -s guard [-- --expecting-pin | --outbound] [--json] [--locale nl]`: one JSON object per input line.
// With --json each line is a JSON string, so one message may hold line breaks and is scanned whole.
const USAGE = 'use --expecting-pin or --outbound, --json, --locale en|nl';
const argv = process.argv.slice(2);
const flags = new Set<string>();
let locale: MarkerLocale = 'en';
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i] as string;
  if (arg === '--locale' || arg.startsWith('--locale=')) {
    const value = arg.includes('=') ? arg.slice('--locale='.length) : argv[++i];
    if (value !== 'en' && value !== 'nl') fail(`--locale takes en or nl, not ${JSON.stringify(value ?? '')}`);
    locale = value;
  } else if (arg === '--expecting-pin' || arg === '--outbound' || arg === '--json') flags.add(arg);
  else fail(`unknown option ${arg}`);
}
const outbound = flags.has('--outbound');
const expectingPin = flags.has('--expecting-pin');
const json = flags.has('--json');
if (outbound && expectingPin) fail('--outbound and --expecting-pin do not go together');

let bad = 0;
let number = 0;
for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
  number++;
  let text = line;
  if (json) {
    const parsed = parseJsonString(line);
    if (parsed === undefined) {
      bad++;
      // One object per input line, so the answers stay next to their questions.
      process.stdout.write(`${JSON.stringify({ error: `line ${number} is not a JSON string` })}\n`);
      continue;
    }
    text = parsed;
  }
  const result = outbound ? { asksSecret: asksForSecret(text) } : inbound(text);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
if (bad > 0) process.exitCode = 1;

/** The interface docs/architecture.md#cli-scripts fixes: findings, redacted and pin, nothing more. */
function inbound(text: string): { findings: string[]; redacted: string; pin: string | null } {
  const { findings, redacted, pin } = scanInbound(text, { expectingPin, locale });
  return { findings, redacted, pin };
}

function parseJsonString(line: string): string | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function fail(message: string): never {
  process.stderr.write(`guard: ${message}; ${USAGE}\n`);
  process.exit(2);
}
