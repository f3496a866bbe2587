import { describe, expect, it } from 'vitest';
import { applicationReadCard, reviewCard } from '../../src/cards/review-cards';
import { cardBytes, MESSAGE_LIMIT_BYTES } from '../../src/cards/render';
import { BUDGET_LINE_LIMITS } from '../../src/domain/budget-lines';
import { readCard } from '../support/teams';
import { worstPanel, worstReviewCtx } from './card-fixtures';

/** The budget lines as reviewers see them: a table on the review card and the reading card, within Teams' size limit. */

type Node = Record<string, unknown>;
function tables(card: unknown): Node[] {
  const out: Node[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    if ((n as Node).type === 'Table') out.push(n as Node);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return out;
}
const cells = (table: Node) =>
  (table.rows as { cells: { items: { text: string }[] }[] }[]).map((r) => r.cells.map((c) => c.items[0]!.text.replace(/\u00a0/g, ' ')));

const lines = [
  { description: 'Begeleiding', amount: 8000, ownContribution: 1000 },
  { description: 'Ruimte', amount: 2500, coFunding: 400 },
  { description: 'Materiaal', amount: 1500 },
];
/** An ordinary review (three members, short texts) with three lines that are € 500 short of the requested € 12.500. */
function smallCtx() {
  const ctx = worstReviewCtx();
  const app = ctx.app.value;
  const fields = {
    ...app.fields,
    title: 'Samen sterk',
    question: 'Vraag',
    approach: 'Aanpak',
    livedExperience: 'Ervaring',
    expectedResults: 'Resultaat',
    amount: 12_500,
    budgetLines: lines,
    budgetBreakdown: 'De laatste 500 euro betalen we zelf.',
  };
  return { ...ctx, files: [], panel: worstPanel.slice(0, 3), app: { value: { ...app, fields }, etag: 'e' } };
}

describe('budget lines for reviewers', () => {
  it('the review card shows the lines as a table with a header and totals, the difference and the explanation', () => {
    const card = reviewCard('nl', smallCtx() as never, { kind: 'other' });
    const [table] = tables(card);
    expect(table).toBeDefined();
    expect(cells(table!)).toEqual([
      ['Waarvoor', 'Leerbudget', 'Eigen', 'Anderen'],
      ['Begeleiding', '€ 8.000', '€ 1.000', '–'],
      ['Ruimte', '€ 2.500', '–', '€ 400'],
      ['Materiaal', '€ 1.500', '–', '–'],
      ['Totaal', '€ 12.000', '€ 1.000', '€ 400'],
    ]);
    const text = readCard(card).text.replace(/\u00a0/g, ' ');
    expect(text).toContain('Begroting · 3 begrotingsregels');
    // Told to the reader, not asked of them.
    expect(text).toContain('De regels zijn samen € 500 minder dan het gevraagde bedrag (€ 12.500).');
    expect(text).not.toContain('Leg het verschil uit');
    expect(text).toContain('Toelichting op de begroting\nDe laatste 500 euro betalen we zelf.');
  });

  it('lines that add up say so; English has the same table', () => {
    const ctx = smallCtx();
    const even = { ...ctx, app: { value: { ...ctx.app.value, fields: { ...ctx.app.value.fields, amount: 12_000 } }, etag: 'e' } };
    expect(readCard(reviewCard('nl', even as never, { kind: 'other' })).text.replace(/\u00a0/g, ' ')).toContain(
      'De regels zijn samen precies het gevraagde bedrag (€ 12.000).',
    );
    const [table] = tables(reviewCard('en', even as never, { kind: 'other' }));
    expect(cells(table!)[0]).toEqual(['What for', 'Leerbudget', 'Own', 'Others']);
  });

  it('the largest review (60 members, 12 criteria, 20 hostile lines, every text at its maximum) fits: the smallest view has the totals and sends the lines to the reading card', () => {
    const ctx = worstReviewCtx();
    expect(ctx.app.value.fields.budgetLines).toHaveLength(BUDGET_LINE_LIMITS.lines);
    const member = { kind: 'member' as const, member: worstPanel[0]!, sheet: { value: ctx.sheets[0]!, etag: '' } };
    const card = reviewCard('nl', ctx as never, member);
    expect(cardBytes(card)).toBeLessThanOrEqual(MESSAGE_LIMIT_BYTES);
    expect(tables(card)).toEqual([]);
    const read = readCard(card);
    expect(read.text).toContain('Begroting · 20 begrotingsregels');
    expect(read.text).toContain('De regels staan bij "Lees de hele aanvraag".');
    expect(read.action('Lees de hele aanvraag')).toBeDefined();

    // The reading card has every line.
    const whole = applicationReadCard('nl', ctx as never);
    expect(cardBytes(whole)).toBeLessThanOrEqual(MESSAGE_LIMIT_BYTES);
    const [table] = tables(whole);
    expect(cells(table!)).toHaveLength(BUDGET_LINE_LIMITS.lines + 2);
    expect(cells(table!)[1]![0]).toBe(ctx.app.value.fields.budgetLines![0]!.description);
  });

  it('the shared card of the largest review keeps the table when it fits', () => {
    const ctx = worstReviewCtx();
    const small = { ...ctx, panel: worstPanel.slice(0, 3), files: [] };
    const card = reviewCard('nl', small as never, { kind: 'other' });
    expect(cardBytes(card)).toBeLessThanOrEqual(MESSAGE_LIMIT_BYTES);
    expect(cells(tables(card)[0]!)).toHaveLength(BUDGET_LINE_LIMITS.lines + 2);
  });
});
