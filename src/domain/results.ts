import { err, ok, Result } from './result';
import { readText } from './text';

/**
 * What an awarded partner reports about the effect and results of their project, for the
 * council's year-end report.
 */
export interface ResultsReport {
  state: 'draft' | 'submitted';
  /** What was done. */
  done?: string;
  /** Whom it reached (groups, how many). */
  reached?: string;
  /** What was learned. */
  learned?: string;
  /** Indicators and their values, free text (e.g. "deelnemers: 42; verwijzingen: -30%"). */
  indicators?: string;
  /** Whole euros spent of the award. */
  spent?: number;
  updatedAt: string;
  submittedAt?: string;
}

export const RESULTS_FIELDS = ['done', 'reached', 'learned', 'indicators', 'spent'] as const;
export type ResultsField = (typeof RESULTS_FIELDS)[number];
export type ResultsErrorCode = 'required' | 'tooLong' | 'controlCharacters' | 'wholeEuros' | 'aboveAward';
export type ResultsErrors = Partial<Record<ResultsField, ResultsErrorCode>>;

/** Each free-text answer of the results report. */
export const RESULTS_TEXT_LIMIT = 3000;

/**
 * Reads the results card. A draft may be incomplete (nothing typed is lost); submitting needs every
 * text and the amount spent, in whole euros and at most 10% above the award (overspending is
 * reported, not hidden, but a typo of a zero too many is caught).
 */
export function validateResults(
  raw: Partial<Record<ResultsField, string>>,
  awarded: number,
  mode: 'draft' | 'submit',
): Result<Omit<ResultsReport, 'state' | 'updatedAt' | 'submittedAt'>, ResultsErrors> {
  const errors: ResultsErrors = {};
  const out: Omit<ResultsReport, 'state' | 'updatedAt' | 'submittedAt'> = {};
  for (const f of ['done', 'reached', 'learned', 'indicators'] as const) {
    const text = readText(raw[f], RESULTS_TEXT_LIMIT);
    const v = text.error ? '' : text.value;
    if (text.error) errors[f] = text.error;
    else if (v) out[f] = v;
    else if (mode === 'submit') errors[f] = 'required';
  }
  const spent = (raw.spent ?? '')
    .trim()
    .replace(/^€\s*/, '')
    .replace(/[\s.](?=\d{3}(\D|$))/g, '');
  if (spent === '') {
    if (mode === 'submit') errors.spent = 'required';
  } else if (!/^\d+$/.test(spent)) errors.spent = 'wholeEuros';
  else if (Number(spent) > Math.ceil(awarded * 1.1)) errors.spent = 'aboveAward';
  else out.spent = Number(spent);
  return Object.keys(errors).length ? err(errors) : ok(out);
}
