import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { request } from '../support/http.ts';
import { killServerProcesses, signalServer, startServerProcess, until } from '../support/processes.ts';
import { freePort } from '../support/redis-server.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
// Inside the project so the compiled files find node_modules by walking up, as dist/ does; never the developer's dist/.
const OUT = join(ROOT, 'node_modules', '.cache', 'support-verify-build-spec');

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) =>
    statSync(join(folder, name)).isFile(),
  );
}

describe('npm run build', function () {
  this.timeout(90_000);
  let outbox: string;
  before(() => {
    rmSync(OUT, { recursive: true, force: true });
    const built = spawnSync('npm', ['run', '-s', 'build', '--', '--out', relative(ROOT, OUT)], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).to.equal(0);
    expect(built.stdout).to.match(/^built node_modules\/\.cache\/support-verify-build-spec\/ in \d+\.\d s/u);
    outbox = mkdtempSync(join(tmpdir(), 'sv-build-'));
  });
  afterEach(killServerProcesses);
  after(() => {
    rmSync(OUT, { recursive: true, force: true });
    rmSync(outbox, { recursive: true, force: true });
  });

  it('emits JavaScript only, every relative import rewritten to .js, with the files read at run time beside it', () => {
    const files = filesUnder(OUT);
    expect(
      files.filter((name) => name.endsWith('.ts')),
      'no TypeScript is left to compile at run time',
    ).to.deep.equal([]);
    expect(files).to.include.members([
      'bots/main.js',
      'bots/webchat/assets/chat.js',
      'bots/playground/assets/playground.html',
      'adapters/accounts/demo-directory.json',
      'manifest/slack/manifest.yaml',
      'package.json',
    ]);
    for (const name of files.filter((file) => file.endsWith('.js') && !file.includes('/assets/'))) {
      const source = readFileSync(join(OUT, name), 'utf8');
      expect(source, name).to.not.match(/from '\.{1,2}\/[^']*\.ts'/u);
    }
    expect(JSON.parse(readFileSync(join(OUT, 'package.json'), 'utf8'))).to.include({ type: 'module' });
  });

  it('runs with plain node, no tsx: the playground, a support PIN, and a clean stop on SIGTERM', async () => {
    const port = await freePort();
    const run = startServerProcess({ PORT: String(port), OUTBOX_DIR: outbox }, [], [join(OUT, 'bots/main.js')]);
    await run.started();
    expect(run.stdout()).to.contain(`support-verify is running at http://127.0.0.1:${port}`);
    const page = await request(`http://127.0.0.1:${port}/`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('<title>');
    expect((await request(`http://127.0.0.1:${port}/webchat.js`)).status).to.equal(200);
    // dist/package.json carries the version, so the compiled server's contracts name it too.
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect((await request(`http://127.0.0.1:${port}/openapi.json`)).json.info).to.include({ version });
    const pin = await request(`http://127.0.0.1:${port}/v1/accounts/demo-alex/support-pins`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-portal-key' },
    });
    expect(pin.status).to.equal(201);
    signalServer(run.child, 'SIGTERM');
    expect(await run.exited).to.equal(0);
    expect(run.stderr()).to.not.match(/Error|Warning/u);
  });
});

describe('npm start on a fresh clone', function () {
  this.timeout(90_000);
  afterEach(killServerProcesses);

  it('builds dist/ when it is missing or stale, then serves the compiled server', async () => {
    const port = await freePort();
    const outbox = mkdtempSync(join(tmpdir(), 'sv-npm-start-'));
    const child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: String(port), OUTBOX_DIR: outbox },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await until(() => out.includes('Configuration:') || child.exitCode !== null, 60_000);
      expect(out).to.contain(`support-verify is running at http://127.0.0.1:${port}`);
      expect(existsSync(join(ROOT, 'dist/bots/main.js'))).to.equal(true);
      expect((await request(`http://127.0.0.1:${port}/`)).status).to.equal(200);
    } finally {
      signalServer(child, 'SIGTERM');
      await exited;
      rmSync(outbox, { recursive: true, force: true });
    }
  });
});
