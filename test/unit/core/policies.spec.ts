import { expect } from 'chai';
import { PolicyOutOfBoundsError } from '../../../core/errors.ts';
import { DEFAULT_POLICIES, type NumericPolicy, POLICY_BOUNDS, resolvePolicies } from '../../../core/policies.ts';

describe('policies', () => {
  it('defaults to the numbers in docs/architecture.md#configurable-policies', () => {
    expect(resolvePolicies()).to.deep.equal({
      pinValidMinutes: 10,
      pinTriesPerSession: 3,
      pinFailuresPerAccountPerDay: 10,
      devicePromptSeconds: 120,
      devicePromptsPer15Minutes: 3,
      numberMatching: true,
      denyCooldownMinutes: 30,
      grantMinutes: 15,
      sessionMinutes: 30,
      agentVerificationsPerHour: 30,
      portalPinsPerMinute: 120,
    });
  });

  it('has the bounds from docs/architecture.md#configurable-policies', () => {
    expect(POLICY_BOUNDS).to.deep.equal({
      pinValidMinutes: { min: 1, max: 10 },
      pinTriesPerSession: { min: 1, max: 5 },
      pinFailuresPerAccountPerDay: { min: 3, max: 20 },
      devicePromptSeconds: { min: 30, max: 300 },
      devicePromptsPer15Minutes: { min: 1, max: 10 },
      denyCooldownMinutes: { min: 5, max: 1440 },
      grantMinutes: { min: 1, max: 60 },
      sessionMinutes: { min: 5, max: 120 },
      agentVerificationsPerHour: { min: 5, max: 200 },
      portalPinsPerMinute: { min: 10, max: 6000 },
    });
  });

  for (const [name, { min, max }] of Object.entries(POLICY_BOUNDS) as [NumericPolicy, { min: number; max: number }][]) {
    describe(name, () => {
      it(`accepts ${min} and ${max}`, () => {
        expect(resolvePolicies({ [name]: min })[name]).to.equal(min);
        expect(resolvePolicies({ [name]: max })[name]).to.equal(max);
      });

      it(`refuses ${min - 1}, ${max + 1}, fractions and non-numbers`, () => {
        for (const bad of [min - 1, max + 1, min + 0.5, Number.NaN, '5' as unknown as number]) {
          expect(() => resolvePolicies({ [name]: bad }), String(bad)).to.throw(PolicyOutOfBoundsError, name);
        }
      });
    });
  }

  it('lists every problem at once', () => {
    try {
      resolvePolicies({ pinTriesPerSession: 9, grantMinutes: 0, numberMatching: 'yes' as unknown as boolean });
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).to.be.instanceOf(PolicyOutOfBoundsError);
      expect((error as PolicyOutOfBoundsError).problems).to.have.length(3);
    }
  });

  it('is frozen once resolved, and leaves the defaults alone', () => {
    const policies = resolvePolicies({ grantMinutes: 5 });
    expect(Object.isFrozen(policies)).to.equal(true);
    expect(DEFAULT_POLICIES.grantMinutes).to.equal(15);
  });
});
