import { err, ok, Result } from './result';
import { readText } from './text';

/**
 * An application's budget, itemised. Each line says what the money is for and how much of it is
 * asked from the leerbudget (`amount`), and optionally what the applicant pays themselves
 * (`ownContribution`) and what others pay (`coFunding`). All amounts are whole euros.
 *
 * The rule: the lines' amounts add up to the requested amount. When they do not, the difference
 * is shown and the budget's explanation (`budgetBreakdown`, "Toelichting op de begroting") must
 * say why; when they do, the explanation is optional.
 */
export interface BudgetLine {
  description: string;
  amount: number;
  ownContribution?: number;
  coFunding?: number;
}

export const BUDGET_LINE_LIMITS = {
  /** Lines on one application (the card shows the stored lines and one empty row, up to this). */
  lines: 20,
  description: 120,
  /** Any one amount on a line; far above any small fund, keeps sums safe integers. */
  euros: 10_000_000,
} as const;

export const BUDGET_LINE_PARTS = ['description', 'amount', 'own', 'coFunding'] as const;
export type BudgetLinePart = (typeof BUDGET_LINE_PARTS)[number];

/** A card input's name: `line_<i>_<part>` (i from 0). */
export const BUDGET_LINE_INPUT = /^line_(\d{1,2})_(description|amount|own|coFunding)$/;
export const budgetLineInput = (i: number, part: BudgetLinePart) => `line_${i}_${part}`;

/** One row as the card sends it: text per part. */
export type RawBudgetRow = Partial<Record<BudgetLinePart, string>>;
/** The rows as the card's inputs (`line_0_description`, …). */
export type BudgetLineInputs = Partial<Record<`line_${number}_${BudgetLinePart}`, string | undefined>>;

export type BudgetLineErrorCode = 'required' | 'tooLong' | 'controlCharacters' | 'wholeEuros' | 'negative' | 'tooLarge' | 'aboveRequested' | 'nothing';
/** Errors by the row's index as shown on the card, per part. */
export type BudgetLineErrors = Record<number, Partial<Record<BudgetLinePart, BudgetLineErrorCode>>>;

export type BudgetLinesError = { code: 'tooMany' } | { code: 'rows'; rows: BudgetLineErrors };

/** The rows of a payload's inputs (`line_3_amount` → rows[3].amount); rows past the limit are ignored. */
export function rowsFromInputs(inputs: Readonly<Record<string, unknown>>): RawBudgetRow[] {
  const rows: RawBudgetRow[] = [];
  for (const [name, value] of Object.entries(inputs)) {
    const m = BUDGET_LINE_INPUT.exec(name);
    if (!m || typeof value !== 'string') continue;
    const i = Number(m[1]);
    if (i >= BUDGET_LINE_LIMITS.lines) continue;
    while (rows.length <= i) rows.push({});
    rows[i]![m[2] as BudgetLinePart] = value;
  }
  return rows;
}

/** Stored lines back as the card's inputs. */
export function inputsOf(lines: readonly BudgetLine[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  (lines ?? []).forEach((l, i) => {
    out[budgetLineInput(i, 'description')] = l.description;
    out[budgetLineInput(i, 'amount')] = String(l.amount);
    if (l.ownContribution !== undefined) out[budgetLineInput(i, 'own')] = String(l.ownContribution);
    if (l.coFunding !== undefined) out[budgetLineInput(i, 'coFunding')] = String(l.coFunding);
  });
  return out;
}

const blank = (s: string | undefined) => {
  const text = readText(s, Number.MAX_SAFE_INTEGER);
  return !text.error && text.value === '';
};
export const isEmptyRow = (row: RawBudgetRow) => BUDGET_LINE_PARTS.every((p) => blank(row[p]));

/** Whole euros as people write them ("1.250", "€ 1 250"); cents are refused. */
function euros(raw: string, requested: number | undefined, part: BudgetLinePart): { value?: number; error?: BudgetLineErrorCode } {
  const cleaned = raw
    .trim()
    .replace(/^€\s*/, '')
    .replace(/[\s.](?=\d{3}(\D|$))/g, '');
  if (!/^-?\d+$/.test(cleaned)) return { error: 'wholeEuros' };
  const n = Number(cleaned);
  if (!Number.isSafeInteger(n)) return { error: 'tooLarge' };
  if (n < 0) return { error: 'negative' };
  if (n > BUDGET_LINE_LIMITS.euros) return { error: 'tooLarge' };
  if (part === 'amount' && requested !== undefined && n > requested) return { error: 'aboveRequested' };
  return { value: n };
}

/**
 * The lines typed on the card: empty rows are dropped, the others must each have a description
 * and an amount (whole euros, not negative, no line asking more than the whole requested amount
 * when it is known) and something above 0. At most `BUDGET_LINE_LIMITS.lines`.
 */
export function parseBudgetLines(rawRows: readonly RawBudgetRow[], requestedAmount: number | undefined): Result<BudgetLine[], BudgetLinesError> {
  const lines: BudgetLine[] = [];
  const rows: BudgetLineErrors = {};
  rawRows.forEach((row, i) => {
    if (isEmptyRow(row)) return;
    const errors: Partial<Record<BudgetLinePart, BudgetLineErrorCode>> = {};
    const description = readText(row.description, BUDGET_LINE_LIMITS.description);
    if (description.error) errors.description = description.error;
    else if (description.value === '') errors.description = 'required';
    const nums: Partial<Record<'amount' | 'own' | 'coFunding', number>> = {};
    for (const part of ['amount', 'own', 'coFunding'] as const) {
      const text = row[part] ?? '';
      if (blank(text)) {
        if (part === 'amount') errors.amount = 'required';
        continue;
      }
      const parsed = euros(text, requestedAmount, part);
      if (parsed.error) errors[part] = parsed.error;
      else nums[part] = parsed.value!;
    }
    if (Object.keys(errors).length === 0 && (nums.amount ?? 0) + (nums.own ?? 0) + (nums.coFunding ?? 0) === 0) errors.amount = 'nothing';
    if (Object.keys(errors).length > 0) {
      rows[i] = errors;
      return;
    }
    lines.push({
      // One line of text: a pasted line break reads as a space.
      description: description.error ? '' : description.value.replace(/\s*\n\s*/g, ' '),
      amount: nums.amount!,
      ...(nums.own !== undefined ? { ownContribution: nums.own } : {}),
      ...(nums.coFunding !== undefined ? { coFunding: nums.coFunding } : {}),
    });
  });
  if (Object.keys(rows).length > 0) return err({ code: 'rows', rows });
  if (lines.length > BUDGET_LINE_LIMITS.lines) return err({ code: 'tooMany' });
  return ok(lines);
}

export interface BudgetSummary {
  lines: number;
  /** What the lines ask from the leerbudget. */
  total: number;
  ownContribution: number;
  coFunding: number;
  /** The whole project: the lines' amounts, own contributions and co-funding together. */
  project: number;
  /** The requested amount minus the lines' total: 0 when they agree, positive when the lines ask less. */
  difference: number;
}

export function budgetSummary(lines: readonly BudgetLine[], requested: number): BudgetSummary {
  const sum = (f: (l: BudgetLine) => number | undefined) => lines.reduce((n, l) => n + (f(l) ?? 0), 0);
  const total = sum((l) => l.amount);
  const ownContribution = sum((l) => l.ownContribution);
  const coFunding = sum((l) => l.coFunding);
  return { lines: lines.length, total, ownContribution, coFunding, project: total + ownContribution + coFunding, difference: requested - total };
}

/** Whether the explanation must be given: the lines do not add up to the requested amount. */
export function needsExplanation(lines: readonly BudgetLine[] | undefined, requested: number | undefined): boolean {
  return requested !== undefined && (lines?.length ?? 0) > 0 && budgetSummary(lines!, requested).difference !== 0;
}

/** The same lines without their descriptions (the typed text): what anonymising keeps. */
export function linesWithoutTexts(lines: readonly BudgetLine[]): BudgetLine[] {
  return lines.map((l) => ({ ...l, description: '' }));
}
