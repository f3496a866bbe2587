/** A panel's result on one application: what scoring computes and the application keeps once its review closes. */
export interface CriterionResult {
  criterionId: string;
  /** Mean of the members' scores, N/A left out; undefined when nobody gave a score. */
  mean?: number;
  scored: number;
  notApplicable: number;
  spread: number;
  /** Members disagree widely: the scores lie half the scale or more apart. */
  disagreement: boolean;
  /** The mean is below the criterion's minimum. */
  knockout: boolean;
}

export interface ReviewResult {
  criteria: CriterionResult[];
  /** Weighted mean over criteria, each normalised to its scale, 0..1; undefined when nothing was scored. */
  overall?: number;
  /** The weighted mean expressed on the common scale, when all criteria share one. */
  overallOnScale?: number;
  knockedOut: boolean;
  sheets: number;
  /** The quorum that applies: the round's, or fewer when fewer members may judge (see `effectiveQuorum`). */
  quorum: number;
  /** The round's quorum as set (absent in results kept before it was recorded). */
  configuredQuorum?: number;
  quorumMet: boolean;
  /** How the review went, kept when it closed: what the council report's fairness section counts. */
  facts?: ReviewFacts;
}

/** What happened in one review, in numbers (no names): the basis of every fairness sentence in the council report. */
export interface ReviewFacts {
  /** Sheets that counted. */
  counted: number;
  /** Of those, sheets whose scores changed after their member could see the others' scores. */
  revisedAfterSeen: number;
  /** Members who did not judge: automatically (they work for the applicant or a co-applicant) or on their own declaration. */
  recused: { organisation: number; declared: number };
  /** Sheets given before a recusal, left out of the result. */
  excludedSheets: number;
  /** The round's quorum was more than the members who could judge, so the reachable quorum applied. */
  quorumReduced: boolean;
  /** Closed by the accounthouder without the quorum, with the reason in their words. */
  settled?: { reason: string };
}
