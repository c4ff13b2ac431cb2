import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino censors wherever they appear in a log object. Secrets should never reach a log call at all;
 * this list is the second line of defence, and a test greps real log output for every secret it pushed in.
 */
export const REDACT_PATHS = [
  'pin',
  '*.pin',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'pepper',
  '*.pepper',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'req.headers["x-support-verify-signature"]',
  'req.headers["webhook-signature"]',
  'headers.authorization',
  'headers["x-support-verify-signature"]',
  'headers["webhook-signature"]',
  'body',
  '*.body',
  'text',
  '*.text',
];

/** Strips CR/LF and other control characters so user text cannot forge log lines. */
export function oneLine(value: string, max = 500): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  const flat = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/gu, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'support-verify' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
