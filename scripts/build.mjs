// `npm run build`: the TypeScript of core/, adapters/ and bots/ compiled to JavaScript in dist/ (imports rewritten
// from .ts to .js), with the files the server reads at run time (page assets, the demo directory, the app
// manifests and their schemas) copied beside it. Production runs `node dist/bots/main.js`: no compiler at run time.
// `--out DIR` builds elsewhere inside the project (a test builds its own copy so it never races a developer's dist).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = new URL('../', import.meta.url).pathname;
const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist' } } });
const out = resolve(ROOT, values.out);
if (relative(ROOT, out).startsWith('..')) throw new Error(`--out must be inside ${ROOT}`);

/** Copied as they are: everything the compiled code opens by a path next to its own. */
const RUNTIME_FILES = [
  'bots/playground/assets',
  'bots/webchat/assets',
  'bots/devices/assets',
  'adapters/accounts/demo-directory.json',
  'manifest/slack/manifest.yaml',
  'manifest/teams',
  'manifest/schemas',
];

export function build() {
  const started = Date.now();
  // Only what a build writes: dist/manifest/ outputs of `npm run manifest` stay.
  for (const folder of ['core', 'adapters', 'bots']) rmSync(join(out, folder), { recursive: true, force: true });
  // typescript's exports map hides its bin; the file is where npm installs it.
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    // An install without dev dependencies (npm ci --omit=dev) runs a dist/ built beforehand, as the image does.
    console.error(
      'support-verify: dist/ needs building, and TypeScript is not installed: run npm install, then npm run build',
    );
    process.exit(1);
  }
  const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out], {
    stdio: 'inherit',
  });
  if (compiled.status !== 0) process.exit(compiled.status ?? 1);
  for (const path of RUNTIME_FILES) {
    mkdirSync(join(out, path, '..'), { recursive: true });
    cpSync(join(ROOT, path), join(out, path), { recursive: true });
  }
  // The compiled files are ES modules: without this, a dist/ copied elsewhere would be read as CommonJS.
  // The version too: /openapi.json reports it.
  const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  writeFileSync(
    join(out, 'package.json'),
    `${JSON.stringify({ name, version, type: 'module', private: true }, null, 2)}\n`,
  );
  writeFileSync(join(out, '.built'), `${new Date().toISOString()}\n`);
  return Date.now() - started;
}

if (process.argv[1] && resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const ms = build();
  console.log(
    `built ${relative(ROOT, out) || '.'}/ in ${(ms / 1000).toFixed(1)} s: node ${relative(process.cwd(), join(out, 'bots/main.js'))}`,
  );
}
