/** Every Action.Execute verb the bot answers, one namespace per area. Cards in /cards use these. */
export const VERBS = {
  home: 'app.home',
  start: 'apply.start',
  eligibility: 'apply.eligibility',
  step: 'apply.step',
  edit: 'apply.edit',
  resume: 'apply.resume',
  submit: 'apply.submit',
  list: 'apply.list',
  withdraw: 'apply.withdraw',
  withdrawConfirm: 'apply.withdrawConfirm',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];
