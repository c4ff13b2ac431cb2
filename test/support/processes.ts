import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
// The exact command `npm start` runs, so tests that start servers cannot drift from package.json.
const START = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start.split(' ');

export interface ServerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** Resolves once the start banner is out (or the process has exited). */
  started(timeoutMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();

/**
 * Runs the server as `npm start` does, with only PATH and `env` in its environment. With `nodeArgs` it runs
 * `node <nodeArgs> --import tsx bots/main.ts` instead, for flags node refuses in NODE_OPTIONS (`--cpu-prof`).
 */
export function startServerProcess(env: Record<string, string>, nodeArgs?: string[]): ServerProcess {
  const [bin = 'tsx', ...args] = START;
  const command = nodeArgs ? process.execPath : join(ROOT, 'node_modules', '.bin', bin);
  const commandArgs = nodeArgs ? [...nodeArgs, '--import', 'tsx', 'bots/main.ts'] : args;
  const child = spawn(command, commandArgs, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // tsx runs the server in a child node process: a group of its own lets a kill reach both.
    detached: true,
  });
  running.add(child);
  const output = captureOutput(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return {
    child,
    stdout: output.stdout,
    stderr: output.stderr,
    exited,
    started: (timeoutMs = 15_000) =>
      until(() => output.stdout().includes('Configuration:') || child.exitCode !== null, timeoutMs),
  };
}

/** Kills every server a test started and has not stopped; a failed assertion must not leave one running. */
export function killServerProcesses(): void {
  for (const child of running) signalServer(child, 'SIGKILL');
}

/** Signals the server and the node process tsx started for it. */
export function signalServer(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

/** `npm run -s <script> -- …args` from the project's root, as an operator runs it; `input` goes to stdin. */
export async function runNpmScript(
  script: string,
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn('npm', ['run', '-s', script, ...(args.length ? ['--', ...args] : [])], {
    cwd: new URL('../../', import.meta.url).pathname,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = captureOutput(child);
  child.stdin?.end(options.input ?? '');
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, out: output.stdout(), err: output.stderr() };
}

function captureOutput(child: ChildProcess): { stdout(): string; stderr(): string } {
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  return { stdout: () => out, stderr: () => err };
}
