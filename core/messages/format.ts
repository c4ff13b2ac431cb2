import type { Locale } from './catalog.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

/** A date and time a person reads in an email or a chat that cannot localise it: "24 Nov 2026, 17:45 UTC". */
export function formatDateTime(epochMs: number, locale: Locale, timeZone = 'UTC'): string {
  const key = `${locale}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone,
    });
    formats.set(key, format);
  }
  return `${format.format(epochMs)} ${timeZone}`;
}
