/** Word-bounded, so "Rex" is found as a word and not inside "Rexford", nor a PIN inside a hex hash. */
export function occurs(haystack: string, secret: string): boolean {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  return new RegExp(`(?<![0-9A-Za-z])${escaped}(?![0-9A-Za-z])`, 'u').test(haystack);
}

/**
 * The text with its identifiers and counters blanked: UUIDs, ISO timestamps, and the audit chain's sequence
 * numbers (stream field `n`, as the Redis dump shows it) and the Bot Connector double's activity ids. A 4-digit secret such as "1357" otherwise turns up by
 * chance as a group of some session's UUID, or as the number of the 1,357th audit entry; neither is a leak.
 */
export function withoutIds(text: string): string {
  return (
    text
      // A session id's slot tag (keys.ts) is blanked with its UUID.
      .replace(
        /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:-[a-z][0-9a-z]{3}(?![0-9a-z]))?/giu,
        '<uuid>',
      )
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?/gu, '<time>')
      .replace(/"n","\d+"/gu, '"n","<seq>"')
      // The Bot Connector double numbers the activities it accepts act-1, act-2, …; the relay keeps those ids.
      .replace(/act-\d+/gu, 'act-<n>')
  );
}
