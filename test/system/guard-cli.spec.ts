import { expect } from 'chai';
import { runNpmScript } from '../support/processes.ts';

/** Runs `npm run -s guard -- …args`, exactly as docs/architecture.md#cli-scripts fixes it, with `input` on stdin. */
async function guard(
  input: string,
  args: string[] = [],
): Promise<{ code: number | null; lines: unknown[]; stderr: string }> {
  const { code, out, err } = await runNpmScript('guard', args, { input });
  return {
    code,
    lines: out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
    stderr: err,
  };
}

describe('npm run -s guard', function () {
  this.timeout(30_000);

  it('writes one JSON object per input line: findings, redacted text and no PIN', async () => {
    const { code, lines } = await guard('my password is hunter2\nI forgot my password\n482 913\n4821\n');
    expect(code).to.equal(0);
    expect(lines).to.deep.equal([
      { findings: ['password'], redacted: 'my password is [hidden]', pin: null },
      { findings: [], redacted: 'I forgot my password', pin: null },
      { findings: ['verification_code'], redacted: '[hidden]', pin: null },
      { findings: [], redacted: '4821', pin: null },
    ]);
  });

  it('captures the PIN with --expecting-pin', async () => {
    const { lines } = await guard('4821\nthe pin is 0392\n482913\n', ['--expecting-pin']);
    expect(lines).to.deep.equal([
      { findings: [], redacted: '[PIN]', pin: '4821' },
      { findings: [], redacted: 'the pin is [PIN]', pin: '0392' },
      { findings: ['verification_code'], redacted: '[hidden]', pin: null },
    ]);
  });

  it('judges outbound texts with --outbound', async () => {
    const { lines } = await guard('Please send us your password\nWe will never ask for your password.\n', [
      '--outbound',
    ]);
    expect(lines).to.deep.equal([{ asksSecret: true }, { asksSecret: false }]);
  });

  it('handles CRLF input, empty lines and a last line without a newline', async () => {
    const { lines } = await guard('password: Abc123!\r\n\r\nok');
    expect(lines).to.deep.equal([
      { findings: ['password'], redacted: 'password: [hidden]', pin: null },
      { findings: [], redacted: '', pin: null },
      { findings: [], redacted: 'ok', pin: null },
    ]);
  });

  it('reads each line as a JSON string with --json, so a message with line breaks is scanned whole', async () => {
    const sms = 'Your Apple ID Code is:\n662019\n\n@apple.com #662019';
    const qa = 'Q: What was the name of your first pet?\nA: Noodle';
    const { code, lines } = await guard(`${JSON.stringify(sms)}\n${JSON.stringify(qa)}\n"4821"\n`, ['--json']);
    expect(code).to.equal(0);
    expect(lines).to.deep.equal([
      {
        findings: ['verification_code'],
        redacted: 'Your Apple ID Code is:\n[hidden]\n\n@apple.com #[hidden]',
        pin: null,
      },
      { findings: ['security_answer'], redacted: 'Q: What was the name of your first pet?\nA: [hidden]', pin: null },
      { findings: [], redacted: '4821', pin: null },
    ]);
    const pin = await guard('"de pin is\\n4821"\n', ['--json', '--expecting-pin']);
    expect(pin.lines).to.deep.equal([{ findings: [], redacted: 'de pin is\n[PIN]', pin: '4821' }]);
    const asks = await guard(`${JSON.stringify('We never ask for codes.\nNow type it here:')}\n`, [
      '--json',
      '--outbound',
    ]);
    expect(asks.lines).to.deep.equal([{ asksSecret: true }]);
  });

  it('answers a line that is not a JSON string with an error in its place, and exits 1', async () => {
    const { code, lines } = await guard('not json\n"my password is hunter2"\n42\n', ['--json']);
    expect(code).to.equal(1);
    expect(lines).to.deep.equal([
      { error: 'line 1 is not a JSON string' },
      { findings: ['password'], redacted: 'my password is [hidden]', pin: null },
      { error: 'line 3 is not a JSON string' },
    ]);
  });

  it('writes the marker in Dutch with --locale nl', async () => {
    const { lines } = await guard('mijn ww is Zomer2024!\n', ['--locale', 'nl']);
    expect(lines).to.deep.equal([{ findings: ['password'], redacted: 'mijn ww is [verborgen]', pin: null }]);
    expect((await guard('x\n', ['--locale', 'de'])).code).to.equal(2);
  });

  it('refuses an unknown option', async () => {
    const { code, stderr } = await guard('x\n', ['--loud']);
    expect(code).to.equal(2);
    expect(stderr).to.contain('unknown option --loud');
    const bare = await guard('x\n', ['--locale']);
    expect(bare.code).to.equal(2);
    expect(bare.stderr).to.contain('--locale needs a value');
    expect((await guard('x\n', ['stray'])).stderr).to.contain('unexpected argument');
  });
});
