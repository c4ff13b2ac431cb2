import { parseArgs } from 'node:util';
import { RedisAuditLog } from '../../adapters/audit/redis-audit-log.ts';
import { loadConfig } from '../../adapters/config/config.ts';
import { connectRedis, whenReady } from '../../adapters/redis/connect.ts';
import { AUDIT_EVENTS } from '../../core/audit.ts';
import { ConfigInvalidError } from '../../core/errors.ts';
import { optionProblem } from './options.ts';

// `npm run audit -- verify [--json]` checks every retained entry's seal and sequence (exit 1 on a problem);
// `npm run audit -- export --since <time>` writes entries as NDJSON for a SIEM. Both read the configuration
// the server reads (REDIS_URL or REDIS_CLUSTER_NODES or REDIS_SENTINELS, AUDIT_KEY, AUDIT_RETENTION_DAYS).
const USAGE = 'usage: npm run audit -- verify [--json] | export --since <ISO time, epoch ms, or e.g. 24h, 7d>';

function fail(message: string, code = 2): never {
  process.stderr.write(`audit: ${message}\n`);
  process.exit(code);
}

/** An ISO time, epoch milliseconds, or an age such as `90m`, `24h` or `7d`. */
function parseSince(value: string, now: number): number | undefined {
  const age = /^(\d{1,6})([mhd])$/u.exec(value);
  if (age) return now - Number(age[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 'm' | 'h' | 'd'];
  if (/^\d{1,15}$/u.test(value)) return Number(value);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

let parsed: ReturnType<typeof readArguments>;
try {
  parsed = readArguments();
} catch (error) {
  fail(`${optionProblem(error)}. ${USAGE}`);
}
const command = parsed.positionals[0];
if ((command !== 'verify' && command !== 'export') || parsed.positionals.length > 1) fail(USAGE);
const { json } = parsed.values;
if (command === 'export' && json) fail(`export writes NDJSON; --json is for verify. ${USAGE}`);
if (command === 'verify' && parsed.values.since !== undefined) fail(`--since is for export. ${USAGE}`);
let since = 0;
if (command === 'export' && parsed.values.since !== undefined) {
  const at = parseSince(parsed.values.since, Date.now());
  if (at === undefined) fail(`--since needs a time. ${USAGE}`);
  since = at;
}

function readArguments() {
  return parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, since: { type: 'string' } },
  });
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigInvalidError) fail(`invalid configuration:\n  ${error.problems.join('\n  ')}`);
  throw error;
}
if (!config.redis) {
  // Embedded mode: the trail lives in the running server's memory, so that server checks it and reports.
  if (command === 'export')
    fail('export reads the durable trail in Redis: set REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS');
  const url = `http://127.0.0.1:${config.port}/playground/audit/verify`;
  const answer = await fetch(url).catch(() => undefined);
  if (!answer?.ok)
    fail(
      `no REDIS_URL, so the trail is the embedded server's memory, and no embedded server answered at ${url}; start it with npm start (or set REDIS_URL for the durable trail)`,
      3,
    );
  const report = (await answer.json()) as { entries: number; segments: number; problems: string[] };
  if (json) process.stdout.write(`${JSON.stringify({ ...report, embedded: true })}\n`);
  else {
    for (const problem of report.problems) process.stdout.write(`PROBLEM ${problem}\n`);
    process.stdout.write(
      `${report.entries} entries in the embedded server's memory (${report.segments} segment(s)): ${
        report.problems.length === 0 ? 'every seal and sequence checks out' : `${report.problems.length} problem(s)`
      }; they are gone when it stops — set REDIS_URL for a durable trail\n`,
    );
  }
  process.exit(report.problems.length === 0 ? 0 : 1);
}

const redis = connectRedis(config.redis, { commandTimeoutMs: 10_000 });
try {
  await whenReady(redis, 5000);
} catch {
  redis.disconnect();
  fail('Redis is not reachable', 3);
}
const log = new RedisAuditLog(redis, { key: config.auditKey, retentionDays: config.auditRetentionDays });
let exitCode = 0;
if (command === 'verify') {
  const report = await log.verify();
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    for (const problem of report.problems) process.stdout.write(`PROBLEM ${problem}\n`);
    process.stdout.write(
      `${report.entries} entries in ${report.segments} segment(s): ${
        report.problems.length === 0 ? 'every seal and sequence checks out' : `${report.problems.length} problem(s)`
      }\n`,
    );
  }
  exitCode = report.problems.length === 0 ? 0 : 1;
} else {
  for await (const page of log.pages(since)) {
    const lines = page.map(({ id, event, seal }) =>
      JSON.stringify({
        id,
        ...event,
        at: new Date(event.at).toISOString(),
        owasp: AUDIT_EVENTS[event.type],
        seal: { segment: seal.r, n: Number(seal.n), mac: seal.h },
      }),
    );
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  }
}
await redis.quit();
process.exit(exitCode);
