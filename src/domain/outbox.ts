/** Where a proactive message goes. */
export type OutboxTarget =
  | { type: 'user'; userId: string }
  | { type: 'thread'; serviceUrl: string; tenantId: string; botId: string; threadId: string }
  | { type: 'channel'; serviceUrl: string; tenantId: string; botId: string; channelId: string };

/**
 * A proactive message stored in the same transaction as the change it announces (a decision), so
 * it is never lost; the dispatcher sends it and marks it sent.
 */
export interface OutboxEntry {
  id: string;
  roundId: string;
  /** What it announces, for logs and tests: e.g. 'decision.applicant', 'decision.thread', 'decision.summary'. */
  kind: string;
  target: OutboxTarget;
  /** An Adaptive Card, or plain text. */
  card?: object;
  text?: string;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  /** ISO time before which it is not (re)tried. */
  notBefore: string;
  createdAt: string;
  claimedAt?: string;
  sentAt?: string;
  lastError?: string;
}
