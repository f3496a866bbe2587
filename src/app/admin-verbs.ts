/** Action.Execute verbs of the accounthouder's cards (round settings, criteria). Cards in /cards use these. */
export const ADMIN_VERBS = {
  roundShow: 'round.show',
  roundSave: 'round.save',
  roundStatus: 'round.status',
  roundCreate: 'round.create',
  criteriaShow: 'criteria.show',
  criteriaSave: 'criteria.save',
} as const;

export type AdminVerb = (typeof ADMIN_VERBS)[keyof typeof ADMIN_VERBS];
