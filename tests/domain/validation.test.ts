import { describe, expect, it } from 'vitest';
import { validateStep, toRawInput, isStepComplete } from '../../src/domain/validation';
import { STEPS } from '../../src/domain/application';
import { round, VALID_INPUT } from '../fixtures';

describe('validateStep', () => {
  const r = round();

  it('accepts every step of a complete application and normalises values', () => {
    for (const step of STEPS) expect(validateStep(step, VALID_INPUT[step], r, 'complete').ok).toBe(true);
    const org = validateStep('organisation', VALID_INPUT.organisation, r, 'complete');
    expect(org.ok && org.value.coApplicants).toEqual(['Travers Welzijn', 'Sportbedrijf Zwolle']);
    const budget = validateStep('budget', VALID_INPUT.budget, r, 'complete');
    expect(budget.ok && budget.value.amount).toBe(12500);
  });

  it.each([
    ['organisation', { ...VALID_INPUT.organisation, organisation: '  ' }, 'organisation', 'required'],
    ['organisation', { ...VALID_INPUT.organisation, contactEmail: 'anouk@' }, 'contactEmail', 'email'],
    ['organisation', { ...VALID_INPUT.organisation, contactPhone: 'bel me' }, 'contactPhone', 'phone'],
    ['organisation', { ...VALID_INPUT.organisation, organisation: 'x'.repeat(121) }, 'organisation', 'tooLong'],
    ['organisation', { ...VALID_INPUT.organisation, coApplicants: Array.from({ length: 11 }, (_, i) => `P${i}`).join('\n') }, 'coApplicants', 'tooMany'],
    ['question', { ...VALID_INPUT.question, wijk: 'Amsterdam-Noord' }, 'wijk', 'unknownWijk'],
    ['approach', { ...VALID_INPUT.approach, ambitions: 'contact,wereldvrede' }, 'ambitions', 'unknownAmbition'],
    ['budget', { ...VALID_INPUT.budget, amount: '12500.50' }, 'amount', 'wholeEuros'],
    ['budget', { ...VALID_INPUT.budget, amount: 'veel' }, 'amount', 'wholeEuros'],
    ['budget', { ...VALID_INPUT.budget, amount: '0' }, 'amount', 'positive'],
    ['budget', { ...VALID_INPUT.budget, amount: '15001' }, 'amount', 'aboveMax'],
    ['budget', { ...VALID_INPUT.budget, periodStart: '2027-02-30' }, 'periodStart', 'date'],
    ['budget', { ...VALID_INPUT.budget, periodEnd: '2026-12-31' }, 'periodEnd', 'periodOrder'],
  ] as const)('%s: refuses %s → %s', (step, raw, field, code) => {
    const res = validateStep(step, raw, r, 'complete');
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error[field]).toBe(code);
  });

  it('reads amounts the way people write them, but never cents', () => {
    const amount = (a: string) => {
      const res = validateStep('budget', { ...VALID_INPUT.budget, amount: a }, r, 'complete');
      return res.ok ? res.value.amount : res.error.amount;
    };
    expect(amount('12.500')).toBe(12500);
    expect(amount('€ 12 500')).toBe(12500);
    expect(amount('15000')).toBe(15000);
    expect(amount('12,50')).toBe('wholeEuros');
  });

  it('partial: going back allows empty required fields but not wrong ones', () => {
    expect(validateStep('organisation', { organisation: 'Buurtkracht' }, r, 'partial').ok).toBe(true);
    expect(validateStep('organisation', { contactEmail: 'nope' }, r, 'partial').ok).toBe(false);
  });

  it('round-trips stored fields through the raw card shape', () => {
    const fields = Object.assign(
      {},
      ...STEPS.map((s) => {
        const v = validateStep(s, VALID_INPUT[s], r, 'complete');
        if (!v.ok) throw new Error(s);
        return v.value;
      }),
    );
    for (const step of STEPS) expect(isStepComplete(r)(step, fields)).toBe(true);
    expect(toRawInput(fields).ambitions).toBe('contact,kansen');
  });
});
