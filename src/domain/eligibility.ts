/**
 * The gate before an application: the motion opens the budget to every partner in the sociale
 * basis, for collective answers — not to individuals or organisations outside the municipality.
 */
export interface EligibilityAnswers {
  partnerInSocialeBasis: boolean;
  activeInMunicipality: boolean;
  collectiveAnswer: boolean;
}

export type IneligibleReason = keyof EligibilityAnswers;

export function ineligibleReasons(answers: EligibilityAnswers): IneligibleReason[] {
  return (Object.keys(answers) as IneligibleReason[]).filter((k) => !answers[k]);
}
