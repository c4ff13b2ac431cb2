/** What every front door's measurement is handed by the bench: how to run load and read the costs. */
export interface FrontDoorBench {
  concurrency: number;
  /** Runs `total` tasks, at most `concurrency` at a time. */
  pool(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void>;
  /** The server process's CPU time so far, in ms. */
  cpuMs(): number;
  /** Waits until the server has finished what it does after the answers (renders). */
  quiet(): Promise<void>;
  /** Redis commands sent per flow while `run` runs `flows` flows. */
  redisCommandsPerFlow(run: () => Promise<void>, flows: number): Promise<number>;
}

/** The value at `p` percent of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
