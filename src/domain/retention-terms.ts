/** A round's retention terms (the rules that use them are in retention.ts). */
/** The terms of one round, set by the accounthouder on the round settings card (absent: the defaults). */
export interface RetentionTerms {
  /** Declined, withdrawn and never-decided applications: months after the round's (last) decision. */
  notAwardedMonths: number;
  /** Drafts never submitted: months after the submission deadline. */
  draftMonths: number;
  /**
   * Awarded applications: years after the year-end council report's deadline (the municipality's
   * term for subsidy files; 7 is a default for the privacy officer to confirm).
   */
  awardedYears: number;
}

/** Defaults, to be confirmed by the municipality's privacy officer (see /verwerkingsregister). */
export const DEFAULT_RETENTION: RetentionTerms = { notAwardedMonths: 12, draftMonths: 12, awardedYears: 7 };

export const RETENTION_LIMITS = {
  notAwardedMonths: { min: 1, max: 120 },
  draftMonths: { min: 1, max: 120 },
  awardedYears: { min: 1, max: 30 },
} as const satisfies Record<keyof RetentionTerms, { min: number; max: number }>;

export const RETENTION_FIELDS = ['notAwardedMonths', 'draftMonths', 'awardedYears'] as const satisfies readonly (keyof RetentionTerms)[];
