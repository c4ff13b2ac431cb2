import { type FrontDoorBench, percentile, round } from './figures.ts';
/** What `npm run bench` reports about the portal PIN API, beside bare restify with one Redis call per PIN. */
export interface PortalFigures {
  pinsPerSec: number;
  barePinsPerSec: number;
  ratio: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuMsPerPin: number;
  redisCommandsPerPin: number;
  errors: number;
}

export interface PortalBenchOptions extends FrontDoorBench {
  ours: string;
  bare: string;
  /** Portal keys to take turns with: each has its own per-minute allowance. */
  keys: readonly string[];
  pins: number;
  nextAccount(): number;
}

/** PINs issued as fast as `concurrency` portal backends ask, on ours and on the bare service. */
export async function measurePortal(options: PortalBenchOptions): Promise<PortalFigures> {
  let errors = 0;
  let key = 0;
  const issue = async (base: string, latencies?: number[]) => {
    const n = options.nextAccount();
    const started = performance.now();
    const response = await fetch(`${base}/v1/accounts/acct-${n}/support-pins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.keys[key++ % options.keys.length]}` },
    });
    await response.text();
    latencies?.push(performance.now() - started);
    if (response.status !== 201) errors++;
  };
  const run = async (base: string, total: number, latencies?: number[]) => {
    const started = performance.now();
    await options.pool(total, options.concurrency, () => issue(base, latencies));
    return total / ((performance.now() - started) / 1000);
  };
  await run(options.bare, 300);
  await run(options.ours, 300);
  errors = 0;
  const barePinsPerSec = await run(options.bare, options.pins);
  await options.quiet();
  const latencies: number[] = [];
  const cpuBefore = options.cpuMs();
  const pinsPerSec = await run(options.ours, options.pins, latencies);
  await options.quiet();
  const serverCpuMsPerPin = (options.cpuMs() - cpuBefore) / options.pins;
  const counted = 100;
  const redisCommandsPerPin = await options.redisCommandsPerFlow(
    () => run(options.ours, counted).then(() => {}),
    counted,
  );
  const sorted = latencies.sort((a, b) => a - b);
  return {
    pinsPerSec: round(pinsPerSec),
    barePinsPerSec: round(barePinsPerSec),
    ratio: round(pinsPerSec / barePinsPerSec, 3),
    p50Ms: round(percentile(sorted, 50), 2),
    p99Ms: round(percentile(sorted, 99), 2),
    serverCpuMsPerPin: round(serverCpuMsPerPin, 2),
    redisCommandsPerPin: round(redisCommandsPerPin),
    errors,
  };
}
