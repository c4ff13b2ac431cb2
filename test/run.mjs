// `npm test`'s mocha step. A few specs run in a second mocha process beside the rest, so the two cores of a CI machine
// share the work and the whole suite stays well inside CI's ten minutes: the fuzz spec is CPU-bound on its own (84,000
// requests, about 100 s alone); the other two mostly wait (a real 30 s device prompt running out on a replica that
// replaced a killed one; a Sentinel failover), so beside the rest their waiting costs no time. Their report is printed
// after the main one, so the two never interleave.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const ISOLATED = [
  'test/system/fuzz.spec.ts',
  'test/system/deadlines-across-replicas.spec.ts',
  'test/system/redis-topologies.spec.ts',
];
const mocha = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
const config = JSON.parse(readFileSync(new URL('../.mocharc.json', import.meta.url), 'utf8'));

// The isolated run takes every setting of .mocharc.json but its spec list.
const isolatedArgs = [
  '--no-config',
  ...config['node-option'].flatMap((option) => ['--node-option', option]),
  '--timeout',
  String(config.timeout),
  '--slow',
  String(config.slow),
  '--reporter',
  config.reporter,
  ...(config.exit ? ['--exit'] : []),
  ...ISOLATED,
];
const mainArgs = [...ISOLATED.flatMap((spec) => ['--ignore', spec]), ...process.argv.slice(2)];

function run(args, captured) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [mocha, ...args], {
      stdio: captured ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    const output = [];
    if (captured) {
      child.stdout.on('data', (chunk) => output.push(chunk));
      child.stderr.on('data', (chunk) => output.push(chunk));
    }
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(output) }));
  });
}

const isolated = run(isolatedArgs, true);
const main = await run(mainArgs, false);
const fuzz = await isolated;
process.stdout.write(`\n--- ${ISOLATED.join(', ')} (run beside the rest) ---\n`);
process.stdout.write(fuzz.output);
process.exit(main.code !== 0 ? main.code : fuzz.code);
