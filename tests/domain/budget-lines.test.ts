import { describe, expect, it } from 'vitest';
import { BUDGET_LINE_LIMITS, budgetSummary, inputsOf, needsExplanation, parseBudgetLines, RawBudgetRow, rowsFromInputs } from '../../src/domain/budget-lines';
import { DEFAULT_FORM } from '../../src/domain/form';
import { validateStep } from '../../src/domain/validation';
import { round, VALID_INPUT } from '../fixtures';

const row = (description: string, amount: string, own = '', coFunding = ''): RawBudgetRow => ({ description, amount, own, coFunding });

describe('parseBudgetLines', () => {
  it('reads whole euros as people write them, drops empty rows, keeps own contribution and co-funding', () => {
    const res = parseBudgetLines([row('Begeleiding', '8.000'), row('', '', '', ''), row('  ', '\u200b'), row('Ruimte', '€ 2 500', '500', '250')], 12_500);
    expect(res).toEqual({
      ok: true,
      value: [
        { description: 'Begeleiding', amount: 8000 },
        { description: 'Ruimte', amount: 2500, ownContribution: 500, coFunding: 250 },
      ],
    });
  });

  it('refuses amounts that are not whole, negative, too large or above the whole requested amount, per row and part', () => {
    const res = parseBudgetLines(
      [row('a', '12,50'), row('b', '-5'), row('c', '100', '1.5'), row('d', '20000'), row('e', String(BUDGET_LINE_LIMITS.euros + 1)), row('f', '0')],
      12_500,
    );
    expect(res.ok).toBe(false);
    if (res.ok || res.error.code !== 'rows') throw new Error('expected row errors');
    expect(res.error.rows).toEqual({
      0: { amount: 'wholeEuros' },
      1: { amount: 'negative' },
      2: { own: 'wholeEuros' },
      3: { amount: 'aboveRequested' },
      4: { amount: 'tooLarge' },
      5: { amount: 'nothing' },
    });
  });

  it('a row with something typed needs a description and an amount; the row index is the one on the card', () => {
    const res = parseBudgetLines([row('Begeleiding', '100'), row('', '', '50'), row('Zaal', '')], undefined);
    expect(!res.ok && res.error).toEqual({ code: 'rows', rows: { 1: { description: 'required', amount: 'required' }, 2: { amount: 'required' } } });
  });

  it('hostile descriptions: control characters and bidi overrides refused, 120 characters taken, 121 refused, a line break read as a space', () => {
    const at = 'é😀"\\'.repeat(30).slice(0, BUDGET_LINE_LIMITS.description);
    expect(at.length).toBe(120);
    const res = parseBudgetLines([row('Bel\u0007', '1'), row('\u202Eomgekeerd', '1'), row(at, '1'), row(`${at}x`, '1')], undefined);
    expect(!res.ok && res.error).toEqual({
      code: 'rows',
      rows: { 0: { description: 'controlCharacters' }, 1: { description: 'controlCharacters' }, 3: { description: 'tooLong' } },
    });
    const ok = parseBudgetLines([row(at, '1'), row('Twee\r\nregels', '2')], undefined);
    expect(ok.ok && ok.value.map((l) => l.description)).toEqual([at, 'Twee regels']);
  });

  it('20 lines are taken, 21 are refused', () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => row(`Post ${i}`, '10'));
    const twenty = parseBudgetLines(rows(20), 200);
    expect(twenty.ok && twenty.value).toHaveLength(20);
    expect(parseBudgetLines(rows(21), 210)).toEqual({ ok: false, error: { code: 'tooMany' } });
  });

  it('card inputs and stored lines go back and forth; inputs past the 20th row are ignored', () => {
    const lines = [
      { description: 'A', amount: 1, ownContribution: 2 },
      { description: 'B', amount: 3, coFunding: 4 },
    ];
    const back = parseBudgetLines(rowsFromInputs(inputsOf(lines)), undefined);
    expect(back.ok && back.value).toEqual(lines);
    expect(rowsFromInputs({ line_20_amount: '5', line_1_description: 'x', other: 'y' })).toEqual([{}, { description: 'x' }]);
  });
});

describe('budgetSummary and the explanation rule', () => {
  const lines = [
    { description: 'A', amount: 8000, ownContribution: 1000 },
    { description: 'B', amount: 4000, coFunding: 500 },
  ];

  it('totals, own contribution, co-funding, the whole project and the difference from the requested amount', () => {
    expect(budgetSummary(lines, 12_500)).toEqual({ lines: 2, total: 12_000, ownContribution: 1000, coFunding: 500, project: 13_500, difference: 500 });
    expect(budgetSummary(lines, 11_000).difference).toBe(-1000);
  });

  it('an explanation is needed only when the lines do not add up to the requested amount', () => {
    expect(needsExplanation(lines, 12_000)).toBe(false);
    expect(needsExplanation(lines, 12_500)).toBe(true);
    expect(needsExplanation([], 12_500)).toBe(false);
  });
});

describe('the budget step with lines', () => {
  const r = round();
  const budget = VALID_INPUT.budget;
  const withoutLines = Object.fromEntries(Object.entries(budget).filter(([k]) => !k.startsWith('line_')));

  it('the default form has the budget lines after the amount, required; the explanation is optional there', () => {
    const step = DEFAULT_FORM.steps.find((s) => s.id === 'budget')!;
    expect(step.questions.map((q) => q.id).slice(0, 3)).toEqual(['amount', 'budgetLines', 'budgetBreakdown']);
    expect(step.questions[1]).toEqual({ id: 'budgetLines', type: 'budgetLines', required: true });
    expect(step.questions[2]!.required).toBe(false);
  });

  it('lines that sum to the amount: saved, and the explanation may be empty', () => {
    const res = validateStep('budget', { ...budget, budgetBreakdown: '' }, r, 'complete');
    expect(res.ok && res.value.budgetLines?.map((l) => l.amount)).toEqual([8000, 2500, 2000]);
  });

  it('lines that differ from the amount: refused without an explanation, saved with one', () => {
    const differ = { ...budget, amount: '13000' };
    expect(validateStep('budget', { ...differ, budgetBreakdown: ' \u200b ' }, r, 'complete')).toEqual({
      ok: false,
      error: { budgetBreakdown: 'explainDifference' },
    });
    const explained = validateStep('budget', { ...differ, budgetBreakdown: 'De laatste 500 euro is voor onvoorzien.' }, r, 'complete');
    expect(explained.ok && explained.value.budgetLines).toHaveLength(3);
  });

  it('no line: refused to move on, kept as empty when saving for later; a row error refuses both', () => {
    expect(validateStep('budget', withoutLines, r, 'complete')).toEqual({ ok: false, error: { budgetLines: 'required' } });
    const later = validateStep('budget', withoutLines, r, 'partial');
    expect(later.ok && later.value.budgetLines).toBeUndefined();
    const bad = validateStep('budget', { ...withoutLines, line_0_description: 'Zaal', line_0_amount: '12.5' }, r, 'partial');
    expect(bad).toEqual({ ok: false, error: { budgetLines: 'lineErrors', budgetLineRows: { 0: { amount: 'wholeEuros' } } } });
  });
});

describe('budget lines at anonymisation', () => {
  it('the descriptions go, every amount stays, and the plan names them', async () => {
    const { anonymisedApplication, describeAnonymisation } = await import('../../src/domain/retention');
    const { newDraft } = await import('../../src/domain/application');
    const app = {
      ...newDraft({ id: 'a'.repeat(20), roundId: 'LB-2026', applicantId: 'u1', now: new Date('2026-11-23T09:00:00Z') }),
      fields: {
        amount: 1000,
        budgetLines: [
          { description: 'Oppas voor de kinderen van Jan', amount: 600, ownContribution: 100 },
          { description: 'Zaal', amount: 400, coFunding: 50 },
        ],
      },
    };
    expect(describeAnonymisation(app, { sheets: [], recusals: [], questions: [] }).removed.applicationFields).toContain('budgetLines');
    const after = anonymisedApplication(app, (id) => `psn_${id}`, new Date('2027-01-01T00:00:00Z'));
    expect(after.fields.budgetLines).toEqual([
      { description: '', amount: 600, ownContribution: 100 },
      { description: '', amount: 400, coFunding: 50 },
    ]);
    expect(JSON.stringify(after)).not.toContain('Jan');
    expect(budgetSummary(after.fields.budgetLines!, 1000)).toEqual(budgetSummary(app.fields.budgetLines, 1000));
    // Once anonymised, nothing of the lines is left to remove.
    expect(describeAnonymisation(after, { sheets: [], recusals: [], questions: [] }).removed.applicationFields).not.toContain('budgetLines');
  });
});
