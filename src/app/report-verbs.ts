/** Verbs of the council reports: the accounthouder's summary card per report (also its refresh). */
export const REPORT_VERBS = {
  allocation: 'report.allocation',
  results: 'report.results',
} as const;
