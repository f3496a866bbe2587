import { describe, expect, it } from 'vitest';
import { newDraft, STEPS, submit, withStep } from '../../src/domain/application';
import { attachmentRulesOf, DEFAULT_ATTACHMENT_RULES, documentOf, missingDocuments } from '../../src/domain/attachments';
import { ApplicationForm, DEFAULT_FORM, FormQuestion, FormStep, QUESTION_LIMITS, stepAnswerChars } from '../../src/domain/form';
import { isStepComplete, toRawInput, validateStep } from '../../src/domain/validation';
import { CUSTOM_FORM, CUSTOM_INPUT, worstForm } from '../support/forms';
import { NOW, round, VALID_INPUT } from '../fixtures';

const r = round();
const custom = round({ form: CUSTOM_FORM });
const one = (q: FormQuestion): FormStep => ({ id: 'x', questions: [q] });
const own = (q: Partial<FormQuestion> & Pick<FormQuestion, 'type'>): FormQuestion => ({
  id: 'q1',
  label: { nl: 'Vraag', en: 'Question' },
  required: true,
  ...q,
});
/** The answer to one own question, or its error code. */
function answer(q: FormQuestion, raw: string | undefined, completeness: 'complete' | 'partial' = 'complete') {
  const res = validateStep(one(q), { [q.id]: raw }, r, completeness);
  return res.ok ? res.value.answers?.[q.id] : res.error[q.id];
}

describe('answers to the round’s own questions, per type', () => {
  it('short and long text: up to maxLength (never above the type’s ceiling), one more is too long', () => {
    const short = own({ type: 'shortText', maxLength: 80 });
    expect(answer(short, 'ä'.repeat(80))).toBe('ä'.repeat(80));
    expect(answer(short, 'ä'.repeat(81))).toBe('tooLong');
    const ceiling = own({ type: 'shortText' });
    expect(answer(ceiling, 'a'.repeat(QUESTION_LIMITS.shortText))).toHaveLength(QUESTION_LIMITS.shortText);
    expect(answer(ceiling, 'a'.repeat(QUESTION_LIMITS.shortText + 1))).toBe('tooLong');
    // A maxLength above the ceiling is held to the ceiling.
    const long = own({ type: 'longText', maxLength: 99_999 });
    expect(answer(long, 'a'.repeat(QUESTION_LIMITS.longText))).toHaveLength(QUESTION_LIMITS.longText);
    expect(answer(long, 'a'.repeat(QUESTION_LIMITS.longText + 1))).toBe('tooLong');
    expect(answer(long, 'regel 1\r\nregel 2')).toBe('regel 1\nregel 2');
  });

  it('hostile text: control characters refused, blank and zero-width only is empty', () => {
    const q = own({ type: 'longText' });
    expect(answer(q, 'a\u0007b')).toBe('controlCharacters');
    expect(answer(q, ' \u200b\u2060 ')).toBe('required');
    expect(answer({ ...q, required: false }, ' \u200b ')).toBeUndefined();
    expect(answer(own({ type: 'choice', choices: [{ id: 'a', label: { nl: 'A', en: 'A' } }] }), 'a\u0000')).toBe('controlCharacters');
  });

  it('euros: whole euros within min and max (both included); cents, below and above refused', () => {
    const q = own({ type: 'euros', min: 100, max: 5000 });
    expect(answer(q, '€ 5.000')).toBe(5000);
    expect(answer(q, '100')).toBe(100);
    expect(answer(q, '5001')).toBe('aboveMax');
    expect(answer(q, '99')).toBe('belowMin');
    expect(answer(q, '12,50')).toBe('wholeEuros');
    expect(answer(q, '-5')).toBe('positive');
  });

  it('number: decimals with comma or dot, the range holds, text is refused', () => {
    const q = own({ type: 'number', min: 1, max: 500 });
    expect(answer(q, '25')).toBe(25);
    expect(answer(q, '2,5')).toBe(2.5);
    expect(answer(q, '500')).toBe(500);
    expect(answer(q, '501')).toBe('aboveMax');
    expect(answer(q, '0')).toBe('belowMin');
    expect(answer(q, 'veel')).toBe('number');
    expect(answer(q, '1e5')).toBe('number');
  });

  it('date, e-mail and phone as the bound fields check them', () => {
    expect(answer(own({ type: 'date' }), '2027-02-28')).toBe('2027-02-28');
    expect(answer(own({ type: 'date' }), '2027-02-30')).toBe('date');
    expect(answer(own({ type: 'email' }), 'Anouk@Example.NL')).toBe('anouk@example.nl');
    expect(answer(own({ type: 'email' }), 'anouk@')).toBe('email');
    expect(answer(own({ type: 'phone' }), '038 123 4567')).toBe('038 123 4567');
    expect(answer(own({ type: 'phone' }), 'bel me')).toBe('phone');
  });

  it('choice and multiple choice take only the listed choice ids', () => {
    const choices = [
      { id: 'groep', label: { nl: 'Groep', en: 'Group' } },
      { id: 'alleen', label: { nl: 'Alleen', en: 'Alone' } },
    ];
    expect(answer(own({ type: 'choice', choices }), 'groep')).toBe('groep');
    expect(answer(own({ type: 'choice', choices }), 'Groep')).toBe('unknownChoice');
    expect(answer(own({ type: 'multiChoice', choices }), 'alleen,groep,groep')).toEqual(['alleen', 'groep']);
    expect(answer(own({ type: 'multiChoice', choices }), 'groep,iets')).toBe('unknownChoice');
  });

  it('wijk, organisation and co-applicants as their bound fields', () => {
    expect(answer(own({ type: 'wijk' }), 'Holtenbroek')).toBe('Holtenbroek');
    expect(answer(own({ type: 'wijk' }), 'Amsterdam-Noord')).toBe('unknownWijk');
    expect(answer(own({ type: 'organisation' }), 'x'.repeat(121))).toBe('tooLong');
    expect(answer(own({ type: 'coApplicants', required: false }), 'A\nB; C')).toEqual(['A', 'B', 'C']);
    expect(answer(own({ type: 'coApplicants' }), Array.from({ length: 11 }, (_, i) => `P${i}`).join('\n'))).toBe('tooMany');
  });

  it('a file question takes no typed input; budget lines are the bound field’s rows, never an own answer', () => {
    expect(answer(own({ type: 'file' }), 'iets')).toBeUndefined();
    expect(validateStep(one(own({ type: 'file' })), {}, r, 'complete').ok).toBe(true);
    expect(answer(own({ type: 'budgetLines' }), 'Huur; 100')).toBeUndefined();
    expect(validateStep(one(own({ type: 'budgetLines' })), { q1: 'Huur; 100' }, r, 'complete').ok).toBe(true);
  });
});

describe('the form decides the steps', () => {
  it('the default form gives today’s validation: the same values and errors as validating by step name', () => {
    for (const step of DEFAULT_FORM.steps) {
      const raw = VALID_INPUT[step.id as (typeof STEPS)[number]];
      expect(validateStep(step, raw, r, 'complete')).toEqual(validateStep(step.id, raw, r, 'complete'));
      expect(validateStep(step, {}, r, 'complete')).toEqual(validateStep(step.id, {}, r, 'complete'));
    }
    expect(DEFAULT_FORM.steps.map((s) => s.id)).toEqual([...STEPS]);
    // The bound amount keeps its cap and codes inside any form.
    const res = validateStep('geld', { ...CUSTOM_INPUT.geld, amount: '15001' }, custom, 'complete');
    expect(!res.ok && res.error.amount).toBe('aboveMax');
  });

  it('a custom form: own answers go to fields.answers, bound ones to their fields, step by step', () => {
    const plan = validateStep('plan', CUSTOM_INPUT.plan!, custom, 'complete');
    expect(plan).toEqual({
      ok: true,
      value: { title: 'Buurtsport voor iedereen', wijk: 'Holtenbroek', answers: { q1: 'Jongeren van 12 tot 18', q2: 'groep' } },
    });
    const geld = validateStep('geld', CUSTOM_INPUT.geld!, custom, 'complete');
    expect(geld.ok && geld.value).toEqual({ amount: 9000, answers: { q3: 25 } });
    // A step the form does not have validates nothing and stores nothing.
    expect(validateStep('budget', VALID_INPUT.budget, custom, 'complete')).toEqual({ ok: true, value: {} });
  });

  it('withStep merges answers by question id; an emptied answer goes', () => {
    let app = newDraft({ id: 'a'.repeat(20), roundId: custom.id, applicantId: 'u', now: NOW });
    app = withStep(app, { answers: { q1: 'Jongeren', q2: 'groep' } }, 'geld', NOW);
    app = withStep(app, { answers: { q3: 25 } }, 'contact', NOW);
    expect(app.fields.answers).toEqual({ q1: 'Jongeren', q2: 'groep', q3: 25 });
    app = withStep(app, { answers: { q1: undefined, q2: undefined } as never }, 'geld', NOW);
    expect(app.fields.answers).toEqual({ q3: 25 });
    expect(toRawInput(app.fields, CUSTOM_FORM)).toEqual({ q3: '25' });
  });

  it('submit follows the form’s steps and records the form version', () => {
    const fields = Object.assign({}, ...CUSTOM_FORM.steps.map((s) => (validateStep(s, CUSTOM_INPUT[s.id]!, custom, 'complete') as { value: object }).value));
    fields.answers = { q1: 'Jongeren van 12 tot 18', q2: 'groep', q3: 25 };
    const draft = { ...newDraft({ id: 'a'.repeat(20), roundId: custom.id, applicantId: 'u', now: NOW }), fields };
    const done = submit(draft, custom, NOW, isStepComplete(custom));
    expect(done.ok && done.value.formVersion).toBe(2);
    const missing = submit({ ...draft, fields: { ...fields, answers: { q1: 'x', q2: 'groep' } } }, custom, NOW, isStepComplete(custom));
    expect(missing).toMatchObject({ ok: false, error: { code: 'INCOMPLETE', step: 'geld' } });
    // The default form's submission records version 1.
    expect(submit({ ...draft, fields: {} }, r, NOW, () => true)).toMatchObject({ ok: true, value: { formVersion: 1 } });
  });
});

describe('documents from the form’s file questions', () => {
  it('a form without file questions keeps the default documents; a file question is a document, required as the form says', () => {
    expect(attachmentRulesOf(r)).toBe(DEFAULT_ATTACHMENT_RULES);
    const rules = attachmentRulesOf(custom);
    expect(rules.documents).toEqual([{ id: 'q4', required: true, matches: ['begroting', 'budget', 'q4'], kinds: ['pdf', 'xlsx', 'ods'] }]);
    expect(documentOf(rules, 'Begroting 2027.pdf', 'pdf')).toBe('q4');
    // A name that says so but of a kind the question does not take is an extra attachment.
    expect(documentOf(rules, 'begroting.docx', 'docx')).toBeUndefined();
    expect(missingDocuments(rules, [])).toEqual(['q4']);
    expect(missingDocuments(rules, [{ document: 'q4' }])).toEqual([]);
  });
});

describe('a form at its ceilings', () => {
  it('every own answer at its maximum validates, and one character more does not', () => {
    const { form, answers } = worstForm();
    const worst = round({ form });
    for (const step of form.steps) {
      const raw = Object.fromEntries(
        step.questions.filter((q) => q.id in answers).map((q) => [q.id, toRawInput({ answers: { [q.id]: answers[q.id]! } }, form)[q.id]]),
      );
      const res = validateStep(step, raw, worst, 'partial');
      expect(res.ok, step.id).toBe(true);
      expect(stepAnswerChars(step)).toBeLessThanOrEqual(QUESTION_LIMITS.stepAnswerChars);
    }
    const long = form.steps.flatMap((s) => s.questions).find((q) => q.type === 'longText')!;
    const step = form.steps.find((s) => s.questions.includes(long))!;
    const over = validateStep(step, { [long.id]: `${answers[long.id]}x` }, worst, 'partial');
    expect(!over.ok && over.error[long.id]).toBe('tooLong');
  });

  it('a form changed to another version is another form', () => {
    const next: ApplicationForm = { ...CUSTOM_FORM, version: 3 };
    expect(submit(newDraft({ id: 'b'.repeat(20), roundId: 'x', applicantId: 'u', now: NOW }), round({ form: next }), NOW, () => true)).toMatchObject({
      value: { formVersion: 3 },
    });
  });
});
