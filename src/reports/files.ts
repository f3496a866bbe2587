import { allocationReportData, resultsReportData } from '../domain/council-report';
import type { RoundSnapshot } from '../ports';
import { chartPng, chartSvg, wijkChartInput } from './chart';
import { awardsCsv, resultsCsv, wooCsv } from './csv';
import { allocationMarkdown, resultsMarkdown } from './markdown';

/** The two council reports. */
export const REPORT_KINDS = ['allocation', 'results'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Every downloadable file, by the name it has in a download URL. */
export const REPORT_FILES = {
  'verdeling.md': { report: 'allocation', contentType: 'text/markdown; charset=utf-8', name: (r: string) => `raadsinformatie-verdeling-${r}.md` },
  'toekenningen.csv': { report: 'allocation', contentType: 'text/csv; charset=utf-8', name: (r: string) => `toekenningen-${r}.csv` },
  'woo.csv': { report: 'allocation', contentType: 'text/csv; charset=utf-8', name: (r: string) => `woo-toekenningen-${r}.csv` },
  'wijk.png': { report: 'allocation', contentType: 'image/png', name: (r: string) => `verdeling-per-wijk-${r}.png` },
  'wijk.svg': { report: 'allocation', contentType: 'image/svg+xml; charset=utf-8', name: (r: string) => `verdeling-per-wijk-${r}.svg` },
  'resultaten.md': { report: 'results', contentType: 'text/markdown; charset=utf-8', name: (r: string) => `raadsinformatie-resultaten-${r}.md` },
  'resultaten.csv': { report: 'results', contentType: 'text/csv; charset=utf-8', name: (r: string) => `resultaten-${r}.csv` },
} as const satisfies Record<string, { report: ReportKind; contentType: string; name: (roundId: string) => string }>;

export type ReportFile = keyof typeof REPORT_FILES;

export const isReportFile = (s: string): s is ReportFile => Object.prototype.hasOwnProperty.call(REPORT_FILES, s);

export function filesOf(kind: ReportKind): ReportFile[] {
  return (Object.keys(REPORT_FILES) as ReportFile[]).filter((f) => REPORT_FILES[f].report === kind);
}

/** The name a file is saved under, e.g. raadsinformatie-verdeling-LB-2026.md. */
export function reportFileName(file: ReportFile, roundId: string): string {
  return REPORT_FILES[file].name(roundId);
}

/** Renders one file from a snapshot of the round: pure, so a download always shows the store as it is now. */
export function renderReportFile(file: ReportFile, snapshot: RoundSnapshot, now: Date): Buffer {
  switch (file) {
    case 'verdeling.md':
      return Buffer.from(allocationMarkdown(allocationReportData(snapshot, now)), 'utf8');
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
    case 'resultaten.csv':
      return Buffer.from(resultsCsv(resultsReportData(snapshot, now)), 'utf8');
  }
}
