import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import safeRegex from 'safe-regex2';

// Every source file of the product: core and the front doors read what customers and platforms send.
const ROOT = new URL('../../../', import.meta.url);
function sources(dir: string): string[] {
  return readdirSync(new URL(dir, ROOT), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(`${dir}${entry.name}/`) : entry.name.endsWith('.ts') ? [`${dir}${entry.name}`] : [],
  );
}
const FILES = [...sources('core/'), ...sources('bots/')];

/** The regular expression literals of a source file: `/…/flags` where an expression may start. */
function regexLiterals(source: string): string[] {
  const found: string[] = [];
  // A slash after one of these starts a regex, not a division.
  const before = /[(,=:[!&|?{};]/u;
  for (let i = 0; i < source.length; i++) {
    if (source[i] !== '/' || source[i + 1] === '/' || source[i + 1] === '*') {
      if (source[i] === '/' && source[i + 1] === '/') i = source.indexOf('\n', i);
      else if (source[i] === '/' && source[i + 1] === '*') i = source.indexOf('*/', i) + 1;
      else if (source[i] === "'" || source[i] === '"' || source[i] === '`') {
        const quote = source[i];
        for (i++; i < source.length && source[i] !== quote; i++) if (source[i] === '\\') i++;
      }
      if (i < 0) break;
      continue;
    }
    const prefix = source.slice(Math.max(0, i - 8), i).trimEnd();
    if (prefix !== '' && !before.test(prefix.slice(-1)) && !prefix.endsWith('return')) continue;
    let j = i + 1;
    let inClass = false;
    for (; j < source.length && source[j] !== '\n'; j++) {
      if (source[j] === '\\') j++;
      else if (source[j] === '[') inClass = true;
      else if (source[j] === ']') inClass = false;
      else if (source[j] === '/' && !inClass) break;
    }
    if (source[j] !== '/') continue;
    found.push(source.slice(i + 1, j));
    i = j;
  }
  return found;
}

describe('every pattern in core and the front doors takes linear time', () => {
  for (const file of FILES) {
    it(`${file}: no nested quantifiers, and no new RegExp built from text`, () => {
      const source = readFileSync(new URL(file, ROOT), 'utf8');
      const unsafe = regexLiterals(source).filter((pattern) => !safeRegex(pattern));
      expect(unsafe, 'patterns with a quantified group that holds a quantifier').to.deep.equal([]);
      expect(source, 'a pattern built at run time is not checked here').to.not.match(/new RegExp\(/u);
    });
  }

  it('finds the patterns it checks', () => {
    const patterns = regexLiterals(readFileSync(new URL('core/guard/shapes.ts', ROOT), 'utf8'));
    expect(patterns.length).to.be.at.least(5);
    expect(regexLiterals('const a = /(a+)+$/u; const b = x / 2 / y;')).to.deep.equal(['(a+)+$']);
    expect(safeRegex('(a+)+$')).to.equal(false);
  });
});
