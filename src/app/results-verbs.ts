/** Verbs of the partner's results report and the accounthouder's overview. */
export const RESULTS_VERBS = {
  open: 'results.open',
  save: 'results.save',
  overview: 'overview.show',
} as const;
