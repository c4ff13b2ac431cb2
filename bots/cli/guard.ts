import { createInterface } from 'node:readline';
import { asksForSecret, scanInbound } from '../../core/guard/index.ts';

// `npm run -s guard [-- --expecting-pin | --outbound]`: one JSON object per line of standard input.
const args = new Set(process.argv.slice(2));
const unknown = [...args].filter((a) => a !== '--expecting-pin' && a !== '--outbound');
if (unknown.length > 0) {
  process.stderr.write(`guard: unknown option ${unknown.join(' ')}; use --expecting-pin or --outbound\n`);
  process.exit(2);
}
const outbound = args.has('--outbound');
const expectingPin = args.has('--expecting-pin');

for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
  const result = outbound ? { asksSecret: asksForSecret(line) } : scanInbound(line, { expectingPin });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
