import { allocationReportData, resultsReportData } from '../domain/council-report';
import type { RoundSnapshot } from '../domain/snapshot';
import { chartPng, chartSvg, wijkChartInput } from './chart';
import { allocationDocx, resultsDocx } from './docx';
import { awardsCsv, resultsCsv, wooCsv } from './csv';
import { overviewWorkbook } from './xlsx';
import { allocationMarkdown, resultsMarkdown } from './markdown';
import type { ReportFile } from './file-names';

/** Renders one file from a snapshot of the round (with its review rows for `needsReviews` files): pure, so a download always shows the store as it is now. */
export async function renderReportFile(file: ReportFile, snapshot: RoundSnapshot, now: Date): Promise<Buffer> {
  switch (file) {
    case 'verdeling.md':
      return Buffer.from(allocationMarkdown(allocationReportData(snapshot, now)), 'utf8');
    case 'verdeling.docx':
      return allocationDocx(allocationReportData(snapshot, now));
    case 'toekenningen.csv':
      return Buffer.from(awardsCsv(allocationReportData(snapshot, now)), 'utf8');
    case 'woo.csv':
      return Buffer.from(wooCsv(allocationReportData(snapshot, now)), 'utf8');
    case 'wijk.png':
      return chartPng(wijkChartInput(allocationReportData(snapshot, now)));
    case 'wijk.svg':
      return Buffer.from(chartSvg(wijkChartInput(allocationReportData(snapshot, now))), 'utf8');
    case 'resultaten.md':
      return Buffer.from(resultsMarkdown(resultsReportData(snapshot, now)), 'utf8');
    case 'resultaten.docx':
      return resultsDocx(resultsReportData(snapshot, now));
    case 'overzicht.xlsx':
      return overviewWorkbook(snapshot, now);
    case 'overzicht-namen.xlsx':
      return overviewWorkbook(snapshot, now, { named: true });
    case 'resultaten.csv':
      return Buffer.from(resultsCsv(resultsReportData(snapshot, now)), 'utf8');
  }
}
