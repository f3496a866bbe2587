import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { allocationReportData, resultsReportData } from '../../src/domain/council-report';
import type { ApplicationForm } from '../../src/domain/form';
import { DEFAULT_FORM } from '../../src/domain/form';
import { awardsCsv, wooCsv } from '../../src/reports/csv';
import { allocationMarkdown } from '../../src/reports/markdown';
import { overviewWorkbook } from '../../src/reports/xlsx';
import { NOW } from '../fixtures';
import { reportRound } from '../support/report-round';

/**
 * The council reports find amount, wijk and organisation by their bound fields, whatever the
 * form looks like: a round whose form has its own questions and another step order gives the
 * same numbers. The overview workbook lists the round's own questions as columns.
 */
const OWN_FORM: ApplicationForm = {
  version: 4,
  steps: [
    // The money first, the organisation last; every default question is still there (the fixtures fill them).
    {
      id: 'budget',
      questions: [
        ...DEFAULT_FORM.steps[3]!.questions,
        { id: 'q2', type: 'euros', label: { nl: 'Eigen bijdrage', en: 'Own contribution' }, required: true, min: 0 },
      ],
    },
    {
      id: 'extra',
      title: { nl: 'Nog iets', en: 'One more thing' },
      questions: [
        { id: 'q1', type: 'shortText', label: { nl: 'Doelgroep', en: 'Target group' }, required: true },
        {
          id: 'q3',
          type: 'multiChoice',
          label: { nl: 'Dagdelen', en: 'Parts of the day' },
          required: false,
          choices: [
            { id: 'ochtend', label: { nl: 'Ochtend', en: 'Morning' } },
            { id: 'avond', label: { nl: 'Avond', en: 'Evening' } },
          ],
        },
      ],
    },
    ...DEFAULT_FORM.steps.filter((s) => s.id !== 'budget').reverse(),
  ],
};

/** The report data without the decision's random id (two rounds, two decisions). */
const same = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/"(decisionId|id)":"[0-9a-f]{8}-[0-9a-f]{3}"/g, '"$1":"-"'));

const answers = (i: number) => ({ answers: { q1: `Groep ${i}`, q2: 100 * i, q3: ['ochtend', 'avond'] } });

describe('reports under a round’s own form', () => {
  it('give the same numbers as under the default form', async () => {
    const plain = await (await reportRound()).snapshot();
    const own = await (await reportRound(undefined, { round: { form: OWN_FORM }, fields: answers })).snapshot();
    expect(own.round.value.form).toEqual(OWN_FORM);
    expect(own.applications.every((a) => a.value.fields.answers?.q1)).toBe(true);
    expect(same(allocationReportData(own, NOW))).toEqual(same(allocationReportData(plain, NOW)));
    expect(same(resultsReportData(own, NOW))).toEqual(same(resultsReportData(plain, NOW)));
    expect(awardsCsv(allocationReportData(own, NOW))).toBe(awardsCsv(allocationReportData(plain, NOW)));
    expect(wooCsv(allocationReportData(own, NOW))).toBe(wooCsv(allocationReportData(plain, NOW)));
    expect(allocationMarkdown(allocationReportData(own, NOW))).toBe(allocationMarkdown(allocationReportData(plain, NOW)));
  });

  it('the overview workbook has a column per own question, with the answers as numbers and choice labels', async () => {
    const own = await (await reportRound(undefined, { round: { form: OWN_FORM }, fields: answers })).snapshot();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await overviewWorkbook(own, NOW)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Aanvragen')!;
    const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
    expect(header.slice(-3)).toEqual(['Eigen bijdrage', 'Doelgroep', 'Dagdelen']);
    const first = ws.getRow(2);
    const cell = (h: string) => first.getCell(header.indexOf(h) + 1).value;
    const app = own.applications.find((a) => a.value.reference === 'LB-2026-001')!.value;
    expect(String(first.getCell(1).value)).toBe('LB-2026-001');
    expect(cell('Doelgroep')).toBe(app.fields.answers!.q1);
    expect(cell('Eigen bijdrage')).toBe(app.fields.answers!.q2);
    expect(cell('Dagdelen')).toBe('Ochtend; Avond');
    // A round on the default form has no extra columns.
    const plain = await (await reportRound()).snapshot();
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load((await overviewWorkbook(plain, NOW)) as unknown as ArrayBuffer);
    expect((wb2.getWorksheet('Aanvragen')!.getRow(1).values as ExcelJS.CellValue[]).slice(-1)).toEqual(['Resultaten']);
  });
});
