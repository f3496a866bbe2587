import ExcelJS from 'exceljs';
import { overviewLedger, overviewRows, type OverviewRow, type ReviewState } from '../domain/application-overview';
import { amsterdamDay, resultsReportData } from '../domain/council-report';
import type { Answer } from '../domain/application';
import { FormQuestion, formOf, ownQuestionsOf } from '../domain/form';
import type { RoundSnapshot } from '../domain/snapshot';
import { messages } from '../i18n';

/**
 * The accounthouder's overview workbook (.xlsx): every application of the round with its status,
 * amounts, review progress, result per criterion and overall, knock-outs, recusals and decision;
 * a sheet with the budget ledger; a sheet with the results reports. Numbers are numbers, euros
 * and dates are formatted cells (Excel shows them in the reader's locale), every sheet has filters
 * and a frozen header. Recusals are counted; the named version adds who recused.
 */

/** Euros without cents, the euro sign before the amount (Dutch: "€ 12.500"). */
const EURO = '[$€-413] #,##0;-[$€-413] #,##0';
const DATE = 'd mmm yyyy';
const PERCENT = '0%';
const MEAN = '0.0';

const REVIEW_WORDS: Record<ReviewState, string> = {
  none: '–',
  waiting: 'Wacht op plaatsing',
  open: 'Loopt',
  delayed: 'Duurt langer',
  closed: 'Afgerond',
  settled: 'Afgesloten door accounthouder',
};
const OUTCOME_WORDS = { awarded: 'Toegekend', partial: 'Deels toegekend', declined: 'Afgewezen' } as const;
const RESULTS_WORDS = { submitted: 'Ingediend', draft: 'Concept', missing: 'Nog niet', 'n/a': '–' } as const;
const STATE_WORDS = { submitted: 'Ingediend', draft: 'Concept', missing: 'Nog niet' } as const;

/** A calendar day in Zwolle as an Excel date (a date cell, not text). */
const day = (iso: string | undefined) => (iso ? new Date(`${amsterdamDay(iso)}T00:00:00Z`) : null);

interface Column {
  header: string;
  key: string;
  width: number;
  numFmt?: string;
}

function sheet(wb: ExcelJS.Workbook, name: string, columns: Column[], rows: Record<string, unknown>[], headerRow = 1): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: headerRow }],
    // Printed (or saved as PDF): A4 landscape, the header on every page.
    pageSetup: { paperSize: 9, orientation: 'landscape', printTitlesRow: `${headerRow}:${headerRow}` },
  });
  const header = ws.getRow(headerRow);
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.key = c.key;
    col.width = c.width;
    header.getCell(i + 1).value = c.header;
  });
  header.font = { bold: true };
  header.height = 30;
  header.alignment = { vertical: 'top', wrapText: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F0' } };
  // Formats by column (set before the rows, so every cell takes the column's style): one style per
  // column instead of one per cell keeps a 10,000-row workbook quick to write.
  columns.forEach((c, i) => {
    if (c.numFmt) ws.getColumn(i + 1).numFmt = c.numFmt;
  });
  rows.forEach((r, ri) => {
    ws.getRow(headerRow + 1 + ri).values = columns.map((c) => (r[c.key] === undefined ? null : (r[c.key] as ExcelJS.CellValue)));
  });
  ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow + Math.max(rows.length, 1), column: columns.length } };
  return ws;
}

function applicationsSheet(wb: ExcelJS.Workbook, snapshot: RoundSnapshot, rows: OverviewRow[], named: boolean): void {
  const criteria = snapshot.round.value.criteria.items;
  const titleOf = new Map(criteria.map((c) => [c.id, c.title]));
  const status = messages('nl').status;
  const own = ownQuestionsOf(formOf(snapshot.round.value)).filter((q) => q.type !== 'file');
  const columns: Column[] = [
    { header: 'Kenmerk', key: 'reference', width: 14 },
    { header: 'Status', key: 'status', width: 18 },
    { header: 'Organisatie', key: 'organisation', width: 30 },
    { header: 'Wijk', key: 'wijk', width: 20 },
    { header: 'Titel', key: 'title', width: 36 },
    { header: 'Gevraagd', key: 'requested', width: 12, numFmt: EURO },
    { header: 'Toegekend', key: 'awarded', width: 12, numFmt: EURO },
    { header: 'Besluit', key: 'outcome', width: 16 },
    { header: 'Besluitdatum', key: 'decidedAt', width: 13, numFmt: DATE },
    { header: 'Beoordeling', key: 'review', width: 16 },
    { header: 'Beoordelingen', key: 'scored', width: 8 },
    { header: 'Nodig', key: 'needed', width: 7 },
    { header: 'Mogen oordelen', key: 'eligible', width: 9 },
    ...criteria.map((c) => ({ header: `${c.title} (gemiddeld, ${c.scaleMin}–${c.scaleMax})`, key: `c_${c.id}`, width: 14, numFmt: MEAN })),
    { header: 'Score', key: 'overall', width: 8, numFmt: PERCENT },
    { header: 'Knock-out', key: 'knockedOut', width: 10 },
    { header: 'Onder het minimum', key: 'knockouts', width: 24 },
    { header: 'Niet mee: werkt voor aanvrager', key: 'recusedOrganisation', width: 12 },
    { header: 'Niet mee: eigen melding', key: 'recusedDeclared', width: 12 },
    ...(named ? [{ header: 'Niet mee: panelleden', key: 'recusedMembers', width: 30 }] : []),
    { header: 'Ingediend op', key: 'submittedAt', width: 13, numFmt: DATE },
    { header: 'Resultaten', key: 'results', width: 11 },
    // The round's own questions (a file question's document is on the review card, not here).
    ...own.map((q) => ({
      header: q.label?.nl ?? q.id,
      key: `a_${q.id}`,
      width: q.type === 'longText' ? 40 : 18,
      ...(q.type === 'euros' ? { numFmt: EURO } : q.type === 'date' ? { numFmt: DATE } : {}),
    })),
  ];
  sheet(
    wb,
    'Aanvragen',
    columns,
    rows.map((r) => ({
      reference: r.reference ?? '(concept)',
      status: status[r.status],
      organisation: r.organisation,
      wijk: r.wijk,
      title: r.title,
      requested: r.requested,
      awarded: r.awarded,
      outcome: r.outcome ? OUTCOME_WORDS[r.outcome] : undefined,
      decidedAt: day(r.decidedAt),
      review: REVIEW_WORDS[r.review.state],
      scored: r.review.state === 'none' ? undefined : r.review.scored,
      needed: r.review.state === 'none' ? undefined : r.review.needed,
      eligible: r.review.state === 'none' ? undefined : r.review.eligible,
      ...Object.fromEntries(criteria.map((c) => [`c_${c.id}`, r.criteria[c.id] === undefined ? undefined : Math.round(r.criteria[c.id]! * 10) / 10])),
      overall: r.overall,
      knockedOut: r.review.state === 'closed' || r.review.state === 'settled' ? (r.knockedOut ? 'ja' : 'nee') : undefined,
      knockouts: r.knockouts.map((id) => titleOf.get(id) ?? id).join('; ') || undefined,
      recusedOrganisation: r.recusals.organisation,
      recusedDeclared: r.recusals.declared,
      recusedMembers: r.recusedMembers?.join('; ') || undefined,
      submittedAt: day(r.submittedAt),
      results: RESULTS_WORDS[r.results],
      ...Object.fromEntries(own.map((q) => [`a_${q.id}`, answerCell(q, r.answers?.[q.id])])),
    })),
  );
}

/** An own answer as a cell: numbers and euros as numbers, a date as a date, choices by their (Dutch) label. */
function answerCell(q: FormQuestion, v: Answer | undefined): ExcelJS.CellValue {
  if (v === undefined) return null;
  const label = (id: string) => q.choices?.find((c) => c.id === id)?.label.nl ?? id;
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map((x) => (q.type === 'multiChoice' ? label(x) : x)).join('; ');
  if (q.type === 'choice') return label(v);
  if (q.type === 'date') return new Date(`${v}T00:00:00Z`);
  return v;
}

function ledgerSheet(wb: ExcelJS.Workbook, snapshot: RoundSnapshot): void {
  const l = overviewLedger(snapshot);
  const ws = sheet(
    wb,
    'Budget',
    [
      { header: 'Besluit', key: 'approvedAt', width: 14, numFmt: DATE },
      { header: 'Besluit-id', key: 'id', width: 24 },
      { header: 'Toegekend (aantal)', key: 'awarded', width: 12 },
      { header: 'Afgewezen (aantal)', key: 'declined', width: 12 },
      { header: 'Bedrag', key: 'total', width: 14, numFmt: EURO },
      { header: 'Uitgegeven tot dan', key: 'cumulative', width: 14, numFmt: EURO },
      { header: 'Over', key: 'remaining', width: 14, numFmt: EURO },
    ],
    l.decisions.map((d) => ({ ...d, approvedAt: day(d.approvedAt), remaining: l.budget - d.cumulative })),
    5,
  );
  const fact = (row: number, label: string, value: number) => {
    ws.getCell(row, 1).value = label;
    ws.getCell(row, 1).font = { bold: true };
    ws.getCell(row, 5).value = value;
    ws.getCell(row, 5).numFmt = EURO;
  };
  fact(1, 'Budget', l.budget);
  fact(2, 'Uitgegeven volgens het budgetregister', l.spent);
  fact(3, 'Over', l.remaining);
}

function resultsSheet(wb: ExcelJS.Workbook, snapshot: RoundSnapshot, now: Date): void {
  const d = resultsReportData(snapshot, now);
  sheet(
    wb,
    'Resultaten',
    [
      { header: 'Kenmerk', key: 'reference', width: 14 },
      { header: 'Organisatie', key: 'organisation', width: 30 },
      { header: 'Wijk', key: 'wijk', width: 20 },
      { header: 'Titel', key: 'title', width: 36 },
      { header: 'Toegekend', key: 'awarded', width: 12, numFmt: EURO },
      { header: 'Uitgegeven', key: 'spent', width: 12, numFmt: EURO },
      { header: 'Verschil', key: 'difference', width: 12, numFmt: EURO },
      { header: 'Verslag', key: 'state', width: 11 },
      { header: 'Verslag van', key: 'submittedAt', width: 13, numFmt: DATE },
      { header: 'Wat is er gedaan', key: 'done', width: 40 },
      { header: 'Wie is er bereikt', key: 'reached', width: 40 },
      { header: 'Wat is er geleerd', key: 'learned', width: 40 },
      { header: 'Indicatoren', key: 'indicators', width: 30 },
    ],
    d.rows.map((r) => ({ ...r, state: STATE_WORDS[r.state], submittedAt: day(r.submittedAt) })),
  );
}

/** The overview workbook of a snapshot (with review rows for the progress of open reviews). */
export async function overviewWorkbook(snapshot: RoundSnapshot, now: Date, options: { named?: boolean } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Leerbudget (gemeente Zwolle)';
  wb.title = `Overzicht aanvragen ${snapshot.round.value.id}`;
  wb.created = now;
  wb.modified = now;
  const named = options.named ?? false;
  applicationsSheet(wb, snapshot, overviewRows(snapshot, { named }), named);
  ledgerSheet(wb, snapshot);
  resultsSheet(wb, snapshot, now);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
