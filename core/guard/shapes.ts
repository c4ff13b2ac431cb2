import * as lexicon from './lexicon.ts';
import type { Token } from './text.ts';

/** Shapes of values, checked character by character or with patterns that take linear time. */

// Bound once: scans read it on every word, and a module namespace reads through getters.
const { IRREGULAR_PARTICIPLES } = lexicon;

/** "linked", "expired", "working", "geblokkeerd", "veranderd": a participle says what state a secret is in. */
export function isParticiple(tok: Token): boolean {
  if (tok.kind !== 'word' || /[^a-zà-ÿ]/u.test(tok.text)) return false;
  const w = tok.key;
  if (IRREGULAR_PARTICIPLES.has(w)) return true;
  if (w.length >= 5 && /(?:ed|ing)$/u.test(w)) return true;
  if (w.length < 6 || w.length > 13) return false;
  return /^ge/u.test(w) ? /(?:d|t|en)$/u.test(w) : /^(?:ver|be|ont|her)/u.test(w) && /(?:d|en)$/u.test(w);
}

/** Damerau–Levenshtein distance of at most 1, without building a table: both words are short. */
export function oneSlipApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** 24-11-2026, 12/03/24, 03.11.2023: a day and a month that can be one, either way round. */
export function looksLikeDate(text: string): boolean {
  const parts = text.split(/[-/.]/u);
  if (parts.length !== 3 || !parts.every((p) => /^\d+$/u.test(p))) return false;
  const [a, b] = parts.map(Number) as [number, number];
  const third = parts[2] as string;
  if (parts[0]?.length === 4) return b >= 1 && b <= 12;
  if (third.length !== 2 && third.length !== 4) return false;
  return a >= 1 && b >= 1 && ((a <= 31 && b <= 12) || (a <= 12 && b <= 31));
}

export function looksLikeEmail(text: string): boolean {
  const at = text.indexOf('@');
  const dot = text.lastIndexOf('.');
  return (
    at > 0 &&
    at === text.lastIndexOf('@') &&
    dot > at + 1 &&
    dot < text.length - 2 &&
    /^[a-z]+$/iu.test(text.slice(dot + 1))
  );
}

export function mayStartKey(tok: Token): boolean {
  const text = tok.text;
  if (text.length < 2) return false;
  if (text.length > 6) return text.includes('-');
  if (tok.digits > 0 || text.includes('-')) return true;
  if (text.length < 4) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/** Each group of a key has 4–6 letters or digits (a first one may be shorter), and a digit or capitals. */
export function groupsFit(parts: string[], first: boolean): boolean {
  let keyish = 0;
  for (let index = 0; index < parts.length; index++) {
    const p = parts[index] as string;
    const sized = /^[A-Za-z0-9]{4,6}$/u.test(p) || (first && index === 0 && /^[A-Za-z0-9]{2,3}$/u.test(p));
    if (!sized) return false;
    if (/\d/u.test(p) || /^[A-Z]+$/u.test(p)) keyish++;
    else if (parts.length === 1) return false;
  }
  return parts.length === 1 || keyish * 2 >= parts.length;
}

/** ISO 13616: letters as numbers, the whole mod 97 is 1. */
export function validIban(candidate: string): boolean {
  const s = candidate.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/u.test(s)) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const c of rearranged) {
    const v = c >= 'A' ? c.charCodeAt(0) - 55 : c.charCodeAt(0) - 48;
    rest = v >= 10 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
  }
  return rest === 1;
}
