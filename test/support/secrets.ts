/** Word-bounded, so "Rex" is found as a word and not inside "Rexford", nor a PIN inside a hex hash. */
export function occurs(haystack: string, secret: string): boolean {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  return new RegExp(`(?<![0-9A-Za-z])${escaped}(?![0-9A-Za-z])`, 'u').test(haystack);
}
