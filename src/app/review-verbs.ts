/** Verbs of the review channel, the panel card and the applicant's answer. */
export const REVIEW_VERBS = {
  refresh: 'review.refresh',
  score: 'review.score',
  conflict: 'review.conflict',
  ask: 'review.ask',
  answer: 'question.answer',
  panelAdd: 'panel.add',
  panelRemove: 'panel.remove',
} as const;
