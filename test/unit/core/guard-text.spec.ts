import { expect } from 'chai';
import { tokenize } from '../../../core/guard/text.ts';

const words = (text: string) => tokenize(text).filter((t) => t.kind === 'word');

describe('guard: reading a text into tokens', () => {
  it('keeps the original offsets of every token, across surrogate pairs and skipped characters', () => {
    const text = '🙂 pass\u200bword: ４８２９１３!';
    for (const t of tokenize(text))
      expect(
        text
          .slice(t.start, t.end)
          .replace(/\u200b/gu, '')
          .normalize('NFKC'),
      ).to.equal(t.text);
  });

  it('folds full-width letters, digits of any script, look-alike letters and leetspeak for matching', () => {
    expect(words('ｐａｓｓｗｏｒｄ').map((t) => t.key)).to.deep.equal(['password']);
    expect(words('٤٨٢٩١٣').map((t) => t.text)).to.deep.equal(['482913']);
    expect(words('p\u0430ssw\u043erd').map((t) => t.key)).to.deep.equal(['password']);
    expect(words('p4ssw0rd w@chtw00rd').map((t) => t.leet)).to.deep.equal(['password', 'wachtwoord']);
    // The shape of a value is read from its text, which leetspeak leaves alone.
    expect(words('Summer2024!').map((t) => t.text)).to.deep.equal(['Summer2024!']);
  });

  it('drops zero-width and bidi characters inside words, and keeps them inside the token', () => {
    const [token] = words('wacht\u200bwo\u202eord');
    expect(token?.key).to.equal('wachtwoord');
    expect(token?.end).to.equal('wacht\u200bwo\u202eord'.length);
  });

  it('joins the inner punctuation of words and numbers, and nothing else', () => {
    expect(words('e-mail 482-913 14:30 1.299,00 p/w sms-code').map((t) => t.text)).to.deep.equal([
      'e-mail',
      '482-913',
      '14:30',
      '1.299,00',
      'p/w',
      'sms-code',
    ]);
    expect(tokenize('password:hunter2').map((t) => t.text)).to.deep.equal(['password', ':', 'hunter2']);
    expect(tokenize('wachtw. ok').map((t) => t.text)).to.deep.equal(['wachtw', '.', 'ok']);
  });

  it('counts lines and marks the space before a token', () => {
    const tokens = tokenize('Username\r\nalex  pw\nx');
    expect(tokens.map((t) => [t.kind, t.line, t.space])).to.deep.equal([
      ['word', 0, false],
      ['newline', 0, false],
      ['word', 1, false],
      ['word', 1, true],
      ['newline', 1, false],
      ['word', 2, false],
    ]);
  });

  it('stops at the limit it is given', () => {
    expect(tokenize('one two three', 7).map((t) => t.text)).to.deep.equal(['one', 'two']);
  });
});
