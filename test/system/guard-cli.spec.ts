import { expect } from 'chai';
import { runNpmScript } from '../support/processes.ts';

/** Runs `npm run -s guard -- …args`, exactly as DESIGN.md fixes it, with `input` on stdin. */
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

  it('refuses an unknown option', async () => {
    const { code, stderr } = await guard('x\n', ['--loud']);
    expect(code).to.equal(2);
    expect(stderr).to.contain('unknown option --loud');
  });
});
