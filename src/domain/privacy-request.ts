import type { KeptItem, RemovedCounts } from './retention';

/**
 * A person's request to remove their data (AVG art. 17). One per person at a time: it is kept
 * under the person's id, so a second request while one is open finds the open one. The
 * accounthouder decides once (the record's ETag guards the decision); a decided request may be
 * followed by a new one.
 */
export interface DeletionRequest {
  userId: string;
  /** Raised by every change; a card carries the revision it was drawn from. */
  rev: number;
  state: 'open' | 'approved' | 'refused';
  requestedAt: string;
  /** The person's language, for the answer sent back to their chat. */
  lang: 'nl' | 'en';
  decidedBy?: string;
  decidedAt?: string;
  /** The accounthouder's reason for a refusal, sent to the person. */
  reason?: string;
  /** What the approval removed and kept, as the anonymisation reported it: the card and the answer are worded from it. */
  outcome?: DeletionOutcome;
}

/** What an approved request removed: applications newly anonymised, the sum of what went, audit records pseudonymised, what stays. */
export interface DeletionOutcome {
  applications: number;
  removed: RemovedCounts;
  auditRecords: number;
  kept: KeptItem['what'][];
}

/** A refusal's reason, in the accounthouder's words. */
export const REFUSAL_REASON_LIMIT = 1000;

export function newDeletionRequest(userId: string, lang: 'nl' | 'en', now: Date, previous?: DeletionRequest): DeletionRequest {
  return { userId, rev: (previous?.rev ?? 0) + 1, state: 'open', requestedAt: now.toISOString(), lang };
}
