import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { asksForSecret, type MarkerLocale, scanInbound } from '../../core/guard/index.ts';
import { optionProblem } from './options.ts';

// `npm run -s guard [-- --expecting-pin | --outbound] [--json] [--locale nl]`: one JSON object per input line.
// With --json each line is a JSON string, so one message may hold line breaks and is scanned whole.
const USAGE = 'use --expecting-pin or --outbound, --json, --locale en|nl';
let options: { 'expecting-pin': boolean; outbound: boolean; json: boolean; locale: string };
try {
  ({ values: options } = parseArgs({
    options: {
      'expecting-pin': { type: 'boolean', default: false },
      outbound: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      locale: { type: 'string', default: 'en' },
    },
  }));
} catch (error) {
  fail(optionProblem(error));
}
const { outbound, json } = options;
const expectingPin = options['expecting-pin'];
if (options.locale !== 'en' && options.locale !== 'nl')
  fail(`--locale takes en or nl, not ${JSON.stringify(options.locale)}`);
const locale: MarkerLocale = options.locale;
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
