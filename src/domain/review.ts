import type { Application } from './application';
import type { AttachmentRecord } from './attachments';
import type { PanelMember, Recusal } from './panel';
import type { Round } from './round';
import type { ScoreSheet } from './scoring';
import type { Versioned } from './versioned';

/** Where an application's review card lives in Teams, and how far its review is. */
export interface ReviewRecord {
  applicationId: string;
  state: 'pending' | 'posted' | 'closed';
  claimedAt: string;
  teamId?: string;
  channelId?: string;
  serviceUrl?: string;
  tenantId?: string;
  botId?: string;
  /** The thread's conversation id ("<channel>;messageid=<id>") and the card's activity id. */
  threadId?: string;
  activityId?: string;
  /**
   * The card posted again on request (`kaart <reference>` in the review channel, for someone who
   * lost it): each is a card of this review the bot itself posted, so a score on it counts.
   */
  copies?: ReviewCopy[];
  postedAt?: string;
  closedAt?: string;
  /**
   * Raised by every sheet saved and every recusal, in the same transaction: two panel members
   * saving at the same moment cannot both commit from the same read, so the one that commits knows
   * the review exactly as it is (whether it is complete and closes; what the shared card shows).
   */
  changes?: number;
  /** This application's own review deadline, set when the accounthouder extended it (else the round's). */
  deadline?: string;
  /** The review could not end by itself (deadline passed without quorum, or nobody may judge); the accounthouder was told. */
  stuckAt?: string;
  /** Closed by the accounthouder without the quorum, with the stated reason. */
  settled?: { by: string; at: string; reason: string };
}

/** One more post of a review card, where the bot put it (the message's service, thread and id). */
export interface ReviewCopy {
  serviceUrl: string;
  threadId: string;
  activityId: string;
  postedAt: string;
}

/** A review card is posted again at most this often (the review record stays small). */
export const MAX_REVIEW_COPIES = 20;

/**
 * Whether the message a button was pressed on is one of this review's cards: the first post (as
 * Teams addressed it), or a copy the bot posted through the same service. Both come from the
 * activity and the store, never from card data.
 */
export function isReviewCard(review: ReviewRecord | undefined, activityId: string | undefined, serviceUrl: string | undefined): boolean {
  if (review?.activityId === activityId) return true;
  return Boolean(activityId && review?.copies?.some((c) => c.activityId === activityId && c.serviceUrl === serviceUrl));
}

/** Every thread the review card is in: the first post and each copy. */
export function reviewThreads(review: ReviewRecord | undefined): { serviceUrl: string; threadId: string; activityId: string }[] {
  if (!review?.threadId || !review.activityId || !review.serviceUrl) return [];
  return [{ serviceUrl: review.serviceUrl, threadId: review.threadId, activityId: review.activityId }, ...(review.copies ?? [])];
}

/** A stuck review's settling reason, in the accounthouder's words. */
export const SETTLE_REASON_LIMIT = 500;

/** The deadline a review runs to: its own (extended) one, or the round's. */
export function reviewDeadlineOf(review: ReviewRecord | undefined, roundDeadline: string): string {
  return review?.deadline ?? roundDeadline;
}

/** A panel member's question to the applicant, and the applicant's answer. */
export const QUESTION_LIMIT = 1000;
export const ANSWER_LIMIT = 2000;

export interface Question {
  id: string;
  applicationId: string;
  askedBy: string;
  text: string;
  askedAt: string;
  answer?: string;
  answeredAt?: string;
}

/** Everything about one application's review, read in one query. */
export interface ReviewBundle {
  review?: Versioned<ReviewRecord>;
  sheets: Versioned<ScoreSheet>[];
  recusals: Recusal[];
  questions: Versioned<Question>[];
  /** The application's attachments (their rows share the application's key range). */
  attachments?: AttachmentRecord[];
}

/** One application's review with everything around it: the round, its panel, the application. */
export interface ReviewScene {
  round?: Versioned<Round>;
  panel: PanelMember[];
  app?: Versioned<Application>;
  bundle: ReviewBundle;
}
