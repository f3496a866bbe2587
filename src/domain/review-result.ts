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
}
