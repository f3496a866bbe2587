/** Verbs of the criteria consultation. */
export const CONSULTATION_VERBS = {
  show: 'consult.show',
  start: 'consult.start',
  respond: 'consult.respond',
  decide: 'consult.decide',
  publish: 'consult.publish',
} as const;
