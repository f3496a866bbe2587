import { AllocationReportData, amsterdamDay, ResultsReportData } from '../domain/council-report';

/** Excel reads UTF-8 only with this mark in front (otherwise "Diezerpoort" survives but "ë" does not). */
export const BOM = '\uFEFF';

export type Cell = string | number | undefined;

/**
 * One field as RFC 4180 wants it: quoted when it holds a comma, a quote or a line break, quotes
 * doubled. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) gets a
 * leading apostrophe: titles and organisation names are typed by applicants. Numbers stay plain
 * integers (no Dutch thousands separator, no euro sign), so any tool reads them as numbers.
 */
export function csvField(value: Cell): string {
  if (value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    return String(Math.round(value));
  }
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document: header, rows, CRLF after every record, a UTF-8 BOM in front. */
export function toCsv(header: string[], rows: Cell[][]): string {
  return BOM + [header, ...rows].map((r) => r.map(csvField).join(',') + '\r\n').join('');
}

const percent = (score: number | undefined) => (score === undefined ? undefined : Math.round(score * 100));

/** Every award with what the accounthouder and the council need (internal: includes titles). */
export function awardsCsv(data: AllocationReportData): string {
  return toCsv(
    ['kenmerk', 'organisatie', 'wijk', 'titel', 'gevraagd_eur', 'toegekend_eur', 'uitkomst', 'score_procent', 'besluitdatum'],
    data.awards.map((a) => [
      a.reference,
      a.organisation,
      a.wijk,
      a.title,
      a.requested,
      a.awarded,
      a.outcome === 'partial' ? 'gedeeltelijk' : 'volledig',
      percent(a.score),
      amsterdamDay(a.decidedAt),
    ]),
  );
}

/**
 * The awards as they may be published under the Woo: what was granted, to which organisation, for
 * which wijk, when — nothing that is or may hold personal data.
 *
 * Left out on purpose: contact names, e-mail addresses, phone numbers, Entra/Teams ids (of
 * applicants, panel members and the accounthouder), and every free text an applicant typed — the
 * title included, because "Moestuin van opa Jan" names a person and nobody reviews titles for
 * that before publication. The reference stands in for the title; the full report is available
 * on request after the usual Woo assessment.
 *
 * Kept: the organisation. Organisations are not natural persons, but a one-person business
 * (eenmanszaak) may carry its owner's name; the accounthouder checks that before publishing
 * (the Markdown report says so).
 */
export const WOO_COLUMNS = ['ronde', 'kenmerk', 'organisatie', 'wijk', 'toegekend_eur', 'gevraagd_eur', 'uitkomst', 'score_procent', 'besluitdatum'] as const;

export function wooCsv(data: AllocationReportData): string {
  return toCsv(
    [...WOO_COLUMNS],
    data.awards.map((a) => [
      data.process.roundId,
      a.reference,
      a.organisation,
      a.wijk,
      a.awarded,
      a.requested,
      a.outcome === 'partial' ? 'gedeeltelijk' : 'volledig',
      percent(a.score),
      amsterdamDay(a.decidedAt),
    ]),
  );
}

/** Per award: reported or not, spent against awarded (the results report's table; no free text). */
export function resultsCsv(data: ResultsReportData): string {
  const state = { submitted: 'ingediend', draft: 'concept', missing: 'ontbreekt' } as const;
  return toCsv(
    ['kenmerk', 'organisatie', 'wijk', 'titel', 'toegekend_eur', 'uitgegeven_eur', 'verschil_eur', 'verslag'],
    data.rows.map((r) => [r.reference, r.organisation, r.wijk, r.title, r.awarded, r.spent, r.difference, state[r.state]]),
  );
}
