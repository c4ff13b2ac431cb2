import { type ChildProcess, spawn } from 'node:child_process';

const ROOT = new URL('../../', import.meta.url).pathname;

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
 * Runs the server's entry point from its TypeScript (`node --import tsx bots/main.ts`, what `npm start` runs
 * once compiled), with only PATH and `env` in its environment; `nodeArgs` go to node first (`--cpu-prof`).
 * `entry` runs another entry point instead, such as a compiled `dist/bots/main.js`.
 */
export function startServerProcess(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  entry: string[] = ['--import', 'tsx', 'bots/main.ts'],
): ServerProcess {
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A group of its own lets a kill reach anything the server started.
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

/** Signals the server's process group. */
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
