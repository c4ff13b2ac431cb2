// `npm run test:container` (opt-in, not part of `npm test`): builds the image from the Dockerfile, starts it in
// production mode with a Redis container, and runs a device and a PIN verification against it, with Slack, the
// device service, the account directory and SMTP as doubles on this machine (both containers use the host's
// network, so the doubles on 127.0.0.1 are reachable and nothing is published). It checks /healthz, /readyz,
// the image's HEALTHCHECK turning healthy, the non-root uid, and that a stop ends it with exit 0 in under 5 s.
// Every container it makes is removed, also on failure or Ctrl-C; the images are kept as a cache.
//
// Engine: CONTAINER_ENGINE=docker|podman, else docker with a reachable daemon (started here, as root, when
// dockerd is installed but not running, and stopped again at the end), else podman. Where none can run it says
// what is missing and exits 2. Base images: NODE_IMAGE / REDIS_IMAGE, else node:24-bookworm-slim and redis:7
// (local or pulled), else built offline by deploy/container/offline-base-image.sh (debootstrap, as root).
// Behind a TLS-intercepting proxy npm ci needs its CA: EXTRA_CA_CERT_FILE, else the certificates of
// NODE_EXTRA_CA_CERTS that Node does not already trust, go to the build as EXTRA_CA_CERT.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { expect } from 'chai';
import { TEST_DEVICE_SECRET, TEST_PORTAL_KEY } from '../support/app.ts';
import { verifyWithLibrary } from '../support/device-signing.ts';
import { directoryDouble } from '../support/directory-double.ts';
import { request } from '../support/http.ts';
import { until } from '../support/processes.ts';
import type { RecordingServer } from '../support/recording-server.ts';
import { freePort } from '../support/redis-server.ts';
import { Replicas } from '../support/replicas.ts';
import { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, type SlackCall, shownText, TEAM } from '../support/slack.ts';
import { smtpDouble } from '../support/smtp-double.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const OFFLINE_BASE = join(ROOT, 'deploy/container/offline-base-image.sh');
const UPSTREAM_NODE = 'docker.io/library/node:24-bookworm-slim';
const UPSTREAM_REDIS = 'docker.io/library/redis:7';
const IMAGE = 'localhost/support-verify:container-test';
const RUN_ID = `${process.pid}-${randomBytes(3).toString('hex')}`;
const work = mkdtempSync(join(tmpdir(), 'sv-container-'));

interface Engine {
  bin: 'docker' | 'podman';
  version: string;
  /** The dockerd this run started, stopped again at the end. */
  daemon?: ChildProcess;
}
interface Ran {
  code: number | null;
  out: string;
  err: string;
}

const timings: Array<{ step: string; seconds: number }> = [];
const checked: string[] = [];
const notes: string[] = [];
const containers: string[] = [];
let engine: Engine | undefined;
/** Commands still running, ended first on Ctrl-C so none creates a container after the clean-up. */
const inFlight = new Set<ChildProcess>();
let interrupted = false;

/** A command, asynchronously: the doubles run in this process and must keep answering meanwhile. */
function run(bin: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    inFlight.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 127, out, err: `${err}${error.message}` });
    });
    child.on('close', (code) => {
      inFlight.delete(child);
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

async function ctr(args: string[], timeoutMs?: number): Promise<Ran> {
  if (!engine) throw new Error('no engine');
  return run(engine.bin, args, timeoutMs === undefined ? {} : { timeoutMs });
}

async function must(args: string[], timeoutMs?: number): Promise<string> {
  const ran = await ctr(args, timeoutMs);
  if (ran.code !== 0)
    throw new Error(`${engine?.bin} ${args.slice(0, 3).join(' ')} … failed (${ran.code}): ${tail(ran.err || ran.out)}`);
  return ran.out.trim();
}

const tail = (text: string, lines = 12) => text.trim().split('\n').slice(-lines).join('\n');
const installed = (name: string) =>
  spawnSync('sh', ['-c', `command -v ${name} || test -x /usr/sbin/${name} && echo /usr/sbin/${name}`]).status === 0;

async function step<T>(name: string, action: () => Promise<T>): Promise<T> {
  const started = Date.now();
  process.stdout.write(`- ${name} … `);
  try {
    const result = await action();
    const seconds = (Date.now() - started) / 1000;
    timings.push({ step: name, seconds });
    process.stdout.write(`${seconds.toFixed(1)} s\n`);
    return result;
  } catch (error) {
    process.stdout.write('FAILED\n');
    throw error;
  }
}

function check(what: string, assertion: () => void): void {
  assertion();
  checked.push(what);
}

// --- engine ---------------------------------------------------------------------------------------------------

async function findEngine(): Promise<Engine> {
  const wanted = process.env.CONTAINER_ENGINE;
  if (wanted && wanted !== 'docker' && wanted !== 'podman')
    throw new Error('CONTAINER_ENGINE must be docker or podman');
  const why: string[] = [];
  if (!wanted || wanted === 'docker') {
    const docker = await tryDocker();
    if ('bin' in docker) return docker;
    why.push(`docker: ${docker.why}`);
  }
  if (!wanted || wanted === 'podman') {
    if (!installed('podman')) why.push('podman: not installed');
    else {
      const version = await run('podman', ['version', '--format', '{{.Server.Version}}']);
      if (version.code === 0) return { bin: 'podman', version: `podman ${version.out.trim()}` };
      why.push(`podman: installed, but \`podman version\` fails: ${tail(version.err, 2)}`);
    }
  }
  process.stderr.write(
    [
      '',
      'npm run test:container cannot run: no container engine is usable on this machine.',
      ...why.map((line) => `  ${line}`),
      'To get one (Debian/Ubuntu, as root): `apt-get install docker.io` (this script starts dockerd when it is',
      'installed and not running) or `apt-get install podman`; or set DOCKER_HOST to a reachable Docker daemon.',
      'CONTAINER_ENGINE=docker|podman picks one. README.md, "Deployment", has the details.',
      '',
    ].join('\n'),
  );
  rmSync(work, { recursive: true, force: true });
  process.exit(2);
}

async function tryDocker(): Promise<Engine | { why: string }> {
  if (!installed('docker')) return { why: 'the docker CLI is not installed' };
  const version = async () => run('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 15_000 });
  const first = await version();
  if (first.code === 0) return { bin: 'docker', version: `docker ${first.out.trim()}` };
  const unreachable = `no daemon answers (${tail(first.err, 1)})`;
  if (process.env.DOCKER_HOST) return { why: `${unreachable}; DOCKER_HOST is set, so no local dockerd is started` };
  if (!installed('dockerd')) return { why: `${unreachable}, and dockerd is not installed` };
  if (process.getuid?.() !== 0) return { why: `${unreachable}; dockerd is installed but starting it needs root` };
  const log = join(tmpdir(), `support-verify-dockerd-${RUN_ID}.log`);
  const out = openSync(log, 'a');
  const daemon = spawn('dockerd', [], {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` },
  });
  daemon.unref();
  notes.push(`started dockerd (pid ${daemon.pid}, log ${log}); it is stopped again at the end`);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && daemon.exitCode === null) {
    const again = await version();
    if (again.code === 0) return { bin: 'docker', version: `docker ${again.out.trim()} (started here)`, daemon };
    await new Promise((r) => setTimeout(r, 500));
  }
  daemon.kill('SIGTERM');
  return { why: `${unreachable}; dockerd was started but did not answer within 30 s: ${tail(readLog(log), 3)}` };
}

const readLog = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

// --- images ---------------------------------------------------------------------------------------------------

async function baseImage(kind: 'node' | 'redis', override: string | undefined, upstream: string): Promise<string> {
  if (override) {
    notes.push(`${kind} base: ${override} (given)`);
    return override;
  }
  if ((await ctr(['image', 'inspect', upstream])).code === 0) {
    notes.push(`${kind} base: ${upstream} (present)`);
    return upstream;
  }
  const pulled = await ctr(['pull', upstream], 300_000);
  if (pulled.code === 0) {
    notes.push(`${kind} base: ${upstream} (pulled)`);
    return upstream;
  }
  const reason = tail(pulled.err || pulled.out, 1);
  const made = await run('bash', [OFFLINE_BASE, kind], {
    env: { ...process.env, ENGINE: engine?.bin ?? 'docker' },
    timeoutMs: 900_000,
  });
  if (made.code !== 0)
    throw new Error(`cannot pull ${upstream} (${reason}), nor build an offline base: ${tail(made.err)}`);
  const image = made.out.trim().split('\n').at(-1) ?? '';
  notes.push(`${kind} base: ${image} (offline build: ${upstream} cannot be pulled: ${reason})`);
  return image;
}

/** PEM of the CAs the build must trust beyond Node's own (a TLS-intercepting proxy), or '' for none. */
function extraCaCerts(): string {
  if (process.env.EXTRA_CA_CERT_FILE) return readFileSync(process.env.EXTRA_CA_CERT_FILE, 'utf8');
  const bundle = process.env.NODE_EXTRA_CA_CERTS;
  if (!bundle) return '';
  const body = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/gu, '');
  const known = new Set(rootCertificates.map(body));
  const pems = readLog(bundle).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/gu) ?? [];
  return pems.filter((pem) => !known.has(body(pem))).join('\n');
}

async function build(nodeImage: string): Promise<void> {
  const ca = extraCaCerts();
  if (ca) notes.push(`build trusts ${ca.match(/BEGIN CERTIFICATE/gu)?.length} extra CA certificates (EXTRA_CA_CERT)`);
  const args = [
    'build',
    ...(engine?.bin === 'podman' ? ['--format', 'docker'] : []),
    '--build-arg',
    `NODE_IMAGE=${nodeImage}`,
    ...(ca ? ['--build-arg', `EXTRA_CA_CERT=${ca}`] : []),
    '-t',
    IMAGE,
    ROOT,
  ];
  const built = await ctr(args, 1_200_000);
  writeFileSync(join(work, 'build.log'), `${built.out}\n${built.err}`);
  if (built.code !== 0) throw new Error(`the image did not build:\n${tail(`${built.out}\n${built.err}`, 30)}`);
}

// --- containers -----------------------------------------------------------------------------------------------

async function start(name: string, args: string[]): Promise<string> {
  const full = `sv-ct-${name}-${RUN_ID}`;
  if (interrupted) throw new Error('interrupted');
  containers.push(full);
  await must(['run', '-d', '--name', full, '--label', `support-verify.test=${RUN_ID}`, '--network=host', ...args]);
  return full;
}

/** Every container this run made, by name and by label (one whose `run` was cut short has no name here yet). */
async function removeContainers(): Promise<void> {
  const labelled = await ctr(['ps', '-aq', '--filter', `label=support-verify.test=${RUN_ID}`]);
  const all = [...new Set([...containers.splice(0), ...labelled.out.split(/\s+/u).filter(Boolean)])];
  if (all.length) await ctr(['rm', '-f', '-v', ...all], 60_000);
}

/** The HEALTHCHECK's verdict; podman runs it only when asked (it schedules checks through systemd). */
async function health(name: string): Promise<string> {
  if (engine?.bin === 'podman') await ctr(['healthcheck', 'run', name], 30_000);
  return (await ctr(['inspect', '--format', '{{.State.Health.Status}}', name])).out.trim();
}

/** Secrets as files, as Kubernetes or compose mount them: readable by the app's uid only. */
function secretFiles(values: Record<string, string>): string {
  const dir = join(work, 'secrets');
  spawnSync('mkdir', ['-p', dir]);
  for (const [name, value] of Object.entries(values)) {
    const path = join(dir, name);
    writeFileSync(path, `${value}\n`);
    if (process.getuid?.() === 0) {
      chownSync(path, 10001, 10001);
      chmodSync(path, 0o400);
    } else chmodSync(path, 0o444);
  }
  chmodSync(dir, 0o755);
  return dir;
}

// --- the run --------------------------------------------------------------------------------------------------

const replicas = new Replicas();
let directory: RecordingServer | undefined;
let smtp: Awaited<ReturnType<typeof smtpDouble>> | undefined;
let appName = '';

async function main(): Promise<void> {
  const began = Date.now();
  engine = await step('find a container engine', findEngine);
  console.log(`  ${engine.version}`);
  const nodeImage = await step('node base image', () => baseImage('node', process.env.NODE_IMAGE, UPSTREAM_NODE));
  const redisImage = await step('redis image', () => baseImage('redis', process.env.REDIS_IMAGE, UPSTREAM_REDIS));
  await step('build the image (Dockerfile)', () => build(nodeImage));

  const [inspected] = JSON.parse(await must(['image', 'inspect', IMAGE])) as Array<{
    Config: { User: string; Healthcheck?: { Test?: string[] }; Env: string[]; Cmd: string[] };
    Healthcheck?: { Test?: string[] };
  }>;
  // docker keeps the HEALTHCHECK in the image's Config, podman beside it.
  const image = { ...inspected?.Config, Healthcheck: inspected?.Config.Healthcheck ?? inspected?.Healthcheck };
  check('the image runs as uid 10001, NODE_ENV=production, node dist/bots/main.js, with a HEALTHCHECK', () => {
    expect(image.User).to.equal('10001:10001');
    expect(image.Env).to.be.an('array');
    expect(image.Env).to.include('NODE_ENV=production');
    expect(image.Cmd).to.deep.equal(['node', 'dist/bots/main.js']);
    expect(image.Healthcheck?.Test?.join(' ')).to.contain('/healthz');
  });

  const redisPort = await freePort();
  await step('start Redis', async () => {
    await start('redis', [
      redisImage,
      'redis-server',
      '--bind',
      '127.0.0.1',
      '--port',
      String(redisPort),
      '--appendonly',
      'yes',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ]);
    const name = containers.at(-1) ?? '';
    await until(
      async () => (await ctr(['exec', name, 'redis-cli', '-p', String(redisPort), 'ping'])).out.trim() === 'PONG',
      30_000,
    );
  });

  const port = await freePort();
  const metricsPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  await step('start the app (production, secrets from files, read-only root)', async () => {
    smtp = await smtpDouble();
    const doubles = await replicas.startDoubles(`redis://127.0.0.1:${redisPort}`);
    directory = await directoryDouble();
    const accountsUrl = await directory.start();
    const secrets = secretFiles({
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      PIN_PEPPER: randomBytes(24).toString('hex'),
      AUDIT_KEY: randomBytes(24).toString('hex'),
      PORTAL_API_KEYS: TEST_PORTAL_KEY,
      DEVICE_WEBHOOK_SECRETS: TEST_DEVICE_SECRET,
      SMTP_URL: smtp.url,
      SLACK_SIGNING_SECRET,
      SLACK_BOT_TOKEN,
    });
    const configDir = join(work, 'config');
    spawnSync('mkdir', ['-p', configDir]);
    writeFileSync(
      join(configDir, 'config.json'),
      JSON.stringify({ company: 'Container Test Co', agents: { slack: { teamIds: [TEAM] } } }),
    );
    chmodSync(configDir, 0o755);
    chmodSync(join(configDir, 'config.json'), 0o444);
    const env: Record<string, string> = {
      PORT: String(port),
      HOST: '127.0.0.1',
      METRICS_PORT: String(metricsPort),
      PUBLIC_URL: url,
      SLACK_API_URL: doubles.SLACK_API_URL ?? '',
      DEVICE_WEBHOOK_URL: doubles.DEVICE_WEBHOOK_URL ?? '',
      ACCOUNTS_URL: `${accountsUrl}/v1`,
      CONFIG_FILE: '/etc/support-verify/config.json',
      SHUTDOWN_DRAIN_SECONDS: '2',
      LOG_LEVEL: 'info',
      ...Object.fromEntries(
        ['REDIS_URL', 'PIN_PEPPER', 'AUDIT_KEY', 'PORTAL_API_KEYS', 'DEVICE_WEBHOOK_SECRETS', 'SMTP_URL']
          .concat(['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN'])
          .map((name) => [`${name}_FILE`, `/run/secrets/${name}`]),
      ),
    };
    appName = await start('app', [
      '--read-only',
      '--tmpfs',
      '/tmp',
      '--health-interval=2s',
      '--health-start-period=10s',
      '-v',
      `${secrets}:/run/secrets:ro`,
      '-v',
      `${configDir}:/etc/support-verify:ro`,
      ...Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
      IMAGE,
    ]);
    replicas.attach(url);
    await until(async () => (await request(`${url}/healthz`).catch(() => undefined))?.status === 200, 60_000);
    const state = await must(['inspect', '--format', '{{.State.Status}}', appName]);
    if (state !== 'running') throw new Error(`the app is ${state}:\n${await logs(appName)}`);
  });

  await step('health endpoints, metrics, uid', async () => {
    const live = await request(`${url}/healthz`);
    const ready = await request(`${url}/readyz`);
    const deep = await request(`${url}/healthz?deep`);
    check('/healthz 200, /readyz 200 (ready, store reachable), /healthz?deep 200', () => {
      expect(live.status).to.equal(200);
      expect(ready.status).to.equal(200);
      expect(ready.json).to.deep.include({ status: 'ready', store: 'reachable' });
      expect(deep.status).to.equal(200);
    });
    const publicMetrics = await request(`${url}/metrics`);
    const metrics = await request(`http://127.0.0.1:${metricsPort}/metrics`);
    check('/metrics only on the loopback METRICS_PORT, support_verify_store_up 1', () => {
      expect(publicMetrics.status).to.not.equal(200);
      expect(metrics.status).to.equal(200);
      expect(metrics.text).to.match(/^support_verify_store_up 1$/mu);
    });
    const status = await must(['exec', appName, 'cat', '/proc/1/status']);
    const command = (await must(['exec', appName, 'cat', '/proc/1/cmdline'])).split('\0').join(' ').trim();
    const banner = await logs(appName);
    check('PID 1 is node as uid 10001 (not root), in production mode', () => {
      expect(command).to.equal('node dist/bots/main.js');
      expect(status).to.match(/^Uid:\s+10001\s/mu);
      expect(banner).to.contain('production');
    });
  });

  await step('HEALTHCHECK turns healthy', async () => {
    let verdict = '';
    await until(async () => {
      verdict = await health(appName);
      return verdict === 'healthy';
    }, 60_000);
    check(`HEALTHCHECK healthy (${engine?.bin === 'podman' ? 'podman healthcheck run' : 'run by docker'})`, () =>
      expect(verdict).to.equal('healthy'),
    );
  });

  await step('device flow (Slack /verify, Trusted device, signed prompt, signed answer)', async () => {
    const agent = 'U0AGENTA1';
    const { answer } = await replicas.deviceFlow({ command: 0, button: 0, device: 0 }, agent, 'alex@example.com');
    const prompt = replicas.devices.requests.at(-1);
    const shown = await replicas.cardUpdates(agent, 2);
    check('device flow: the prompt reached the device double signed, the signed answer verified the card', () => {
      // A receiver written against the standardwebhooks library accepts it.
      expect(prompt && verifyWithLibrary(TEST_DEVICE_SECRET, prompt)).to.deep.equal(JSON.parse(prompt?.body ?? ''));
      expect(answer.json).to.deep.equal({ state: 'verified' });
      expect(shownText(shown.at(-1) as SlackCall))
        .to.contain('is verified')
        .and.contain('DMPXK1ALEX01');
    });
  });

  await step('PIN flow (portal API issues a PIN, the agent enters it)', async () => {
    const agent = 'U0AGENTB2';
    const { issued, submit } = await replicas.pinFlow({ command: 0, button: 0, portal: 0, submit: 0 }, agent, {
      email: 'jan@example.nl',
      accountId: 'demo-jan',
    });
    const shown = await replicas.cardUpdates(agent, 2);
    check('PIN flow: portal API 201, the PIN modal accepted, the card verified', () => {
      expect(issued.status).to.equal(201);
      expect(submit.status).to.equal(200);
      expect(shownText(shown.at(-1) as SlackCall)).to.contain('F17ZJ3JAN003');
    });
    await until(() => (smtp?.received.length ?? 0) >= 2, 15_000);
    check('outcome emails went out through SMTP_URL', () => expect(smtp?.received.length).to.be.at.least(2));
  });

  await step('stop: drains (/readyz 503), exits 0 in under 5 s', async () => {
    const started = Date.now();
    const stopping = ctr(['stop', '-t', '10', appName], 30_000);
    await new Promise((r) => setTimeout(r, 700));
    const draining = await request(`${url}/readyz`).catch(() => undefined);
    const stopped = await stopping;
    const seconds = (Date.now() - started) / 1000;
    const exit = await must(['inspect', '--format', '{{.State.ExitCode}}', appName]);
    const out = await logs(appName);
    notes.push(`stop took ${seconds.toFixed(2)} s with SHUTDOWN_DRAIN_SECONDS=2`);
    check(`stop: /readyz 503 while draining, exit 0 in ${seconds.toFixed(1)} s (< 5 s)`, () => {
      expect(stopped.code, stopped.err).to.equal(0);
      expect(draining?.status).to.equal(503);
      expect(exit).to.equal('0');
      expect(seconds).to.be.below(5);
      expect(out).to.contain('shutting down');
    });
  });

  console.log(`\ncontainer test passed in ${((Date.now() - began) / 1000).toFixed(1)} s on ${engine.version}`);
}

async function logs(name: string): Promise<string> {
  const ran = await ctr(['logs', name]);
  return `${ran.out}${ran.err}`;
}

async function cleanUp(): Promise<void> {
  if (engine) {
    if (appName && process.exitCode)
      process.stderr.write(`\napp logs (last lines):\n${tail(await logs(appName), 40)}\n`);
    await removeContainers();
    const left = await ctr(['ps', '-aq', '--filter', `label=support-verify.test=${RUN_ID}`]);
    if (left.out.trim()) process.stderr.write(`containers left behind: ${left.out}\n`);
    const daemon = engine.daemon?.pid;
    if (daemon) {
      const gone = () => {
        try {
          process.kill(daemon, 0);
          return false;
        } catch {
          return true;
        }
      };
      if (!gone()) process.kill(daemon, 'SIGTERM');
      await until(gone, 20_000);
      if (!gone()) process.stderr.write(`dockerd (pid ${daemon}) has not stopped after 20 s\n`);
    }
  }
  await replicas.stop().catch(() => undefined);
  await directory?.stop().catch(() => undefined);
  await smtp?.close().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}

function report(): void {
  console.log('\nchecked:');
  for (const line of checked) console.log(`  ✔ ${line}`);
  if (notes.length) console.log('notes:');
  for (const line of notes) console.log(`  - ${line}`);
  console.log('timings:');
  for (const { step: name, seconds } of timings) console.log(`  ${seconds.toFixed(1).padStart(6)} s  ${name}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\n${signal}: cleaning up\n`);
    const ending = [...inFlight].map((child) => new Promise((resolve) => child.once('close', resolve)));
    for (const child of inFlight) child.kill('SIGTERM');
    void Promise.race([Promise.all(ending), new Promise((r) => setTimeout(r, 15_000))])
      .then(cleanUp)
      .finally(() => process.exit(130));
  });

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  if (!interrupted) process.stderr.write(`\ncontainer test FAILED: ${(error as Error).message}\n`);
} finally {
  // After a signal its handler cleans up and exits 130.
  if (!interrupted) {
    report();
    await cleanUp();
  }
}
if (!interrupted) process.exit(process.exitCode ?? 0);
