import type { ApplicationFields } from '../domain/application';
import {
  BUDGET_LINE_LIMITS,
  BUDGET_LINE_PARTS,
  BudgetLine,
  BudgetLineErrors,
  budgetLineInput,
  budgetSummary,
  isEmptyRow,
  RawBudgetRow,
  rowsFromInputs,
} from '../domain/budget-lines';
import { fill, formatEuro, Lang, plural } from '../i18n';
import { budgetLineMessages } from '../i18n/budget-lines';
import { truncate, withError } from './render';

/**
 * The budget lines on cards: the rows of inputs on the budget step, and the table reviewers and
 * the applicant read. Every sentence that claims something (the totals, "exactly the requested
 * amount", the difference) is computed from the lines.
 */

/**
 * Totals and the difference from the requested amount, in words; '' without lines. The applicant
 * is asked to explain a difference; a reader (`reader`) is told it.
 */
export function budgetTotals(
  lang: Lang,
  lines: readonly BudgetLine[] | undefined,
  requested: number | undefined,
  audience: 'applicant' | 'reader' = 'applicant',
): { totals: string; difference: string } {
  if (!lines?.length) return { totals: '', difference: '' };
  const b = budgetLineMessages(lang);
  const s = budgetSummary(lines, requested ?? 0);
  const euro = (n: number) => formatEuro(lang, n);
  const totals = fill(b.totals, { total: euro(s.total), own: euro(s.ownContribution), co: euro(s.coFunding), project: euro(s.project) });
  if (requested === undefined) return { totals, difference: '' };
  const args = { diff: euro(Math.abs(s.difference)), requested: euro(requested) };
  const reader = audience === 'reader';
  const difference = s.difference === 0 ? fill(b.matches, args) : fill(s.difference > 0 ? (reader ? b.lessRead : b.less) : reader ? b.moreRead : b.more, args);
  return { totals, difference };
}

/**
 * The budget step's rows: the stored (or typed) lines and one empty row, or `wanted` rows when
 * _Regel toevoegen_ asked for one more, at most `BUDGET_LINE_LIMITS.lines`.
 */
export function budgetRows(
  lang: Lang,
  raw: Readonly<Record<string, unknown>>,
  errors: BudgetLineErrors | undefined,
  stored: { lines?: BudgetLine[]; amount?: number; explained?: boolean; showTotals: boolean },
  wanted = 0,
) {
  const b = budgetLineMessages(lang);
  const typed: RawBudgetRow[] = rowsFromInputs(raw);
  let last = -1;
  typed.forEach((row, i) => {
    if (!isEmptyRow(row)) last = i;
  });
  const count = Math.min(BUDGET_LINE_LIMITS.lines, Math.max(last + 2, wanted, 1));
  const rows = Array.from({ length: count }, (_, i) => {
    const row = typed[i] ?? {};
    const rowErrors = errors?.[i] ?? {};
    const n = i + 1;
    const message = (part: (typeof BUDGET_LINE_PARTS)[number]) => (rowErrors[part] ? b.errors[rowErrors[part]!] : '');
    const problems = BUDGET_LINE_PARTS.filter((p) => rowErrors[p]).map((p) => `${b.partNames[p]}: ${message(p)}`);
    const input = (part: (typeof BUDGET_LINE_PARTS)[number]) => ({
      id: budgetLineInput(i, part),
      label: withError(fill(b.parts[part], { n }), message(part)),
      value: row[part] ?? '',
    });
    // Each part's error is in its input's label (read with the field); the row's line under its inputs sums them up.
    return {
      title: fill(b.row, { n }),
      description: input('description'),
      amount: input('amount'),
      own: input('own'),
      coFunding: input('coFunding'),
      error: problems.length ? fill(b.rowError, { n, problems: problems.join('; ') }) : '',
    };
  });
  // A difference already explained is stated, not asked about again.
  const { totals, difference } = stored.showTotals
    ? budgetTotals(lang, stored.lines, stored.amount, stored.explained ? 'reader' : 'applicant')
    : { totals: '', difference: '' };
  const full = count >= BUDGET_LINE_LIMITS.lines;
  return {
    intro: b.intro,
    rows,
    rowCount: count,
    totals,
    difference,
    differenceColor:
      stored.lines?.length && stored.amount !== undefined && budgetSummary(stored.lines, stored.amount).difference !== 0 ? 'attention' : 'default',
    canAdd: !full,
    addTitle: b.addLine,
    full: full ? plural(lang, BUDGET_LINE_LIMITS.lines, b.full) : '',
  };
}

/**
 * The lines as a table (description, amount, own, co-funding, totals) for the review, reading and
 * summary cards, with the explanation: `lines: false` leaves the rows and the explanation out and
 * says they are on the reading card (the review card's smallest view); `explanationMax` shortens it.
 */
export function budgetTable(
  lang: Lang,
  fields: ApplicationFields,
  opts: {
    lines?: boolean;
    explanationMax?: number;
    withExplanation?: boolean;
    audience?: 'applicant' | 'reader';
    /** The lines as one text, one a line, instead of a table (about a third of its size). */
    asText?: boolean;
  } = {},
) {
  const b = budgetLineMessages(lang);
  const withLines = opts.lines ?? true;
  const lines = fields.budgetLines ?? [];
  const euro = (n: number | undefined) => (n === undefined ? '–' : formatEuro(lang, n));
  const s = budgetSummary(lines, fields.amount ?? 0);
  const { totals, difference } = budgetTotals(lang, lines, fields.amount, opts.audience ?? 'reader');
  const explanation =
    withLines && opts.withExplanation !== false && fields.budgetBreakdown
      ? truncate(fields.budgetBreakdown, opts.explanationMax ?? Number.MAX_SAFE_INTEGER)
      : '';
  return {
    show: lines.length > 0 || explanation !== '',
    title: lines.length ? `${b.title} · ${plural(lang, lines.length, b.lineCount)}` : b.title,
    table: withLines && !opts.asText && lines.length > 0,
    text: withLines && opts.asText ? budgetLinesText(lang, lines) : '',
    head: b.head,
    rows:
      withLines && !opts.asText
        ? lines.map((l) => ({ description: l.description || '–', amount: euro(l.amount), own: euro(l.ownContribution), coFunding: euro(l.coFunding) }))
        : [],
    total: { label: b.totalRow, amount: euro(s.total), own: euro(s.ownContribution), coFunding: euro(s.coFunding) },
    totals,
    difference,
    differenceColor: lines.length > 0 && fields.amount !== undefined && s.difference !== 0 ? 'attention' : 'default',
    explanationLabel: b.explanationLabel,
    explanation,
    onReadCard: withLines || (lines.length === 0 && !fields.budgetBreakdown) ? '' : b.onReadCard,
    /** The explanation was shortened or left out here (the reading card has it whole). */
    cut:
      (!withLines && (lines.length > 0 || Boolean(fields.budgetBreakdown))) ||
      (explanation.length < (fields.budgetBreakdown?.length ?? 0) && opts.withExplanation !== false),
  };
}

/** The lines in plain text (the summary card and the inzage export), one a line. */
export function budgetLinesText(lang: Lang, lines: readonly BudgetLine[] | undefined): string {
  const b = budgetLineMessages(lang);
  if (!lines?.length) return '';
  const euro = (n: number | undefined) => formatEuro(lang, n ?? 0);
  return lines
    .map(
      (l) =>
        `- ${fill(b.lineText, { description: l.description || '–', amount: euro(l.amount) })}${
          l.ownContribution !== undefined || l.coFunding !== undefined ? fill(b.lineExtra, { own: euro(l.ownContribution), co: euro(l.coFunding) }) : ''
        }`,
    )
    .join('\n');
}
