import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from 'pino';

// A detail of one word (an error name, a status, a method) is safe to keep.
const ONE_WORD = /^[\w./-]{1,80}$/u;

/**
 * Bolt's and the Web API client's lines without what they carry: at debug they dump request and response
 * bodies ("http request body: {…}") with customers' words, e-mail addresses and serial numbers, which no
 * level may log. A line keeps its label, and its detail only when that is a single word.
 */
export function withoutPayload(text: string): string {
  const colon = text.indexOf(':');
  if (colon < 0) return text.length <= 120 ? text : `${text.slice(0, 120)} [withheld]`;
  const detail = text.slice(colon + 1).trim();
  if (colon <= 120 && (detail === '' || ONE_WORD.test(detail))) return text;
  return `${text.slice(0, Math.min(colon, 120))}: [withheld]`;
}

/**
 * Bolt's logger interface on the service's pino logger, so Slack lines share the JSON format and redaction,
 * and never carry a payload (see {@link withoutPayload}).
 */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  const line = (parts: unknown[]) =>
    withoutPayload(parts.map((p) => (p instanceof Error ? p.name : String(p))).join(' '));
  return {
    debug: (...parts) => child.debug(line(parts)),
    info: (...parts) => child.info(line(parts)),
    warn: (...parts) => child.warn(line(parts)),
    error: (...parts) => child.error(line(parts)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
