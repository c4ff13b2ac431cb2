import { expect } from 'chai';
import {
  AccountNotFoundError,
  asCodedError,
  ErrorCode,
  IllegalTransitionError,
  isCodedError,
  RateLimitedError,
  UnknownError,
} from '../../../core/errors.ts';

describe('errors', () => {
  it('gives every error a stable code with the project prefix', () => {
    for (const code of Object.values(ErrorCode)) expect(code).to.match(/^sv_[a-z_]+$/u);
    expect(new IllegalTransitionError('failed', 'pin_accepted').code).to.equal(ErrorCode.IllegalTransition);
    expect(new RateLimitedError('prompts-15m', 1500).message).to.contain('2 s');
  });

  it('keeps the looked-up email out of the not-found message', () => {
    expect(new AccountNotFoundError().message).to.not.contain('@');
  });

  it('wraps anything unknown, keeping it as the cause', () => {
    const original = new TypeError('boom');
    const wrapped = asCodedError(original);
    expect(wrapped).to.be.instanceOf(UnknownError);
    expect(wrapped.code).to.equal(ErrorCode.Unknown);
    expect(wrapped.cause).to.equal(original);
    expect(asCodedError('text').message).to.equal('text');
  });

  it('passes coded errors through unchanged', () => {
    const error = new AccountNotFoundError();
    expect(asCodedError(error)).to.equal(error);
    expect(isCodedError(error)).to.equal(true);
    expect(isCodedError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).to.equal(false);
  });
});
