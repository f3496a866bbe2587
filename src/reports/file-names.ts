/** The two council reports, and the accounthouder's overview workbook. */
export const REPORT_KINDS = ['allocation', 'results', 'overview'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Every downloadable file, by the name it has in a download URL. */
export const REPORT_FILES = {
  'verdeling.md': { report: 'allocation', contentType: 'text/markdown; charset=utf-8', name: (r: string) => `raadsinformatie-verdeling-${r}.md` },
  'toekenningen.csv': { report: 'allocation', contentType: 'text/csv; charset=utf-8', name: (r: string) => `toekenningen-${r}.csv` },
  'woo.csv': { report: 'allocation', contentType: 'text/csv; charset=utf-8', name: (r: string) => `woo-toekenningen-${r}.csv` },
  'verdeling.docx': {
    report: 'allocation',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    name: (r: string) => `raadsinformatie-verdeling-${r}.docx`,
  },
  'wijk.png': { report: 'allocation', contentType: 'image/png', name: (r: string) => `verdeling-per-wijk-${r}.png` },
  'wijk.svg': { report: 'allocation', contentType: 'image/svg+xml; charset=utf-8', name: (r: string) => `verdeling-per-wijk-${r}.svg` },
  'resultaten.md': { report: 'results', contentType: 'text/markdown; charset=utf-8', name: (r: string) => `raadsinformatie-resultaten-${r}.md` },
  'resultaten.docx': {
    report: 'results',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    name: (r: string) => `raadsinformatie-resultaten-${r}.docx`,
  },
  'resultaten.csv': { report: 'results', contentType: 'text/csv; charset=utf-8', name: (r: string) => `resultaten-${r}.csv` },
  'overzicht.xlsx': { report: 'overview', contentType: XLSX, name: (r: string) => `overzicht-aanvragen-${r}.xlsx`, reviews: true },
  /** The same with the names of recused panel members: only made when the accounthouder asks for it. */
  'overzicht-namen.xlsx': { report: 'overview', contentType: XLSX, name: (r: string) => `overzicht-aanvragen-met-namen-${r}.xlsx`, reviews: true },
} as const satisfies Record<string, { report: ReportKind; contentType: string; name: (roundId: string) => string; reviews?: boolean }>;

/** Files made from the review rows too (the progress of open reviews), not only the application rows. */
export const needsReviews = (file: ReportFile): boolean => 'reviews' in REPORT_FILES[file];

export type ReportFile = keyof typeof REPORT_FILES;

export const isReportFile = (s: string): s is ReportFile => Object.prototype.hasOwnProperty.call(REPORT_FILES, s);

export function filesOf(kind: ReportKind): ReportFile[] {
  return (Object.keys(REPORT_FILES) as ReportFile[]).filter((f) => REPORT_FILES[f].report === kind);
}

/** The name a file is saved under, e.g. raadsinformatie-verdeling-LB-2026.md. */
export function reportFileName(file: ReportFile, roundId: string): string {
  return REPORT_FILES[file].name(roundId);
}
