/**
 * The email or phone number in a customer's message, if it holds one, to pre-fill who to verify. Read in one
 * pass over the text: a message is the customer's to write, and may be long and made to be slow.
 */
export function verifyQueryFrom(text: string): string | undefined {
  return emailIn(text) ?? phoneIn(text);
}

const LOCAL = /[A-Za-z0-9._%+-]/u;
const DOMAIN = /[A-Za-z0-9.-]/u;

/** The first address: each "@" is read once, its local part back to the previous non-address character. */
function emailIn(text: string): string | undefined {
  let from = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > from && LOCAL.test(text[start - 1] as string)) start--;
    let end = at + 1;
    while (end < text.length && DOMAIN.test(text[end] as string)) end++;
    from = at + 1;
    if (start === at) continue;
    const domain = text.slice(at + 1, end).replace(/\.+$/u, '');
    const dot = domain.lastIndexOf('.');
    const tld = domain.slice(dot + 1);
    if (dot > 0 && tld.length >= 2 && /^[A-Za-z]+$/u.test(tld)) return `${text.slice(start, at)}@${domain}`;
  }
  return undefined;
}

/** The first run of 9 to 20 digits, spaces, brackets, dots and dashes that starts and ends with a digit (and +). */
function phoneIn(text: string): string | undefined {
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (!isDigit(c) && !(c === '+' && isDigit(text[i + 1] ?? ''))) {
      i++;
      continue;
    }
    let j = i + 1;
    let lastDigit = isDigit(c) ? i : -1;
    while (j < text.length && /[\d\s().-]/u.test(text[j] as string) && j - i < 21) {
      if (isDigit(text[j] as string)) lastDigit = j;
      j++;
    }
    const length = lastDigit - i + 1;
    if (lastDigit > i && length >= 9 && length <= 20) return text.slice(i, lastDigit + 1).trim();
    // Nothing in this run; the next run starts after it, so no character is read twice from here.
    i = Math.max(j, i + 1);
  }
  return undefined;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
