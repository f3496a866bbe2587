import { auditEvent } from '../domain/audit';
import { parseReference } from '../domain/reference';
import { err, ok, Result } from '../domain/result';
import { ChannelLink, reviewChannelFor } from '../domain/round';
import { MAX_REVIEW_COPIES, ReviewCopy } from '../domain/review';
import type { Deps } from './deps';
import { loadReview, ReviewContext } from './load-review';
import { isAccounthouder } from './roles';

export type RepostError =
  /** Not a reference, or no application with it whose review card was posted. */
  | { code: 'NOT_FOUND' }
  /** Only the round's panel and the accounthouders get a review card again. */
  | { code: 'FORBIDDEN' }
  /** This channel is not where the application is reviewed. */
  | { code: 'WRONG_CHANNEL' }
  | { code: 'TOO_MANY' };

/**
 * `kaart LB-2026-001` in a review channel: finds the application's review so that its card can be
 * posted there again (for someone whose Teams lost it). The person must be on the round's panel or
 * an accounthouder; the channel must be the one the application is reviewed in.
 */
export async function reviewToRepost(
  deps: Deps,
  input: { actorId: string; reference: string; channelId: string },
): Promise<Result<{ ctx: ReviewContext; channel: ChannelLink }, RepostError>> {
  const parsed = parseReference(input.reference);
  if (!parsed) return err({ code: 'NOT_FOUND' });
  const reference = input.reference.trim().toUpperCase();
  for (const round of await deps.repos.rounds.list()) {
    if (round.status === 'draft') continue;
    const app = (await deps.repos.applications.listByRound(round.id)).find((a) => a.value.reference === reference);
    if (!app) continue;
    const ctx = await loadReview(deps, round.id, app.value.id);
    const review = ctx?.bundle.review?.value;
    if (!ctx || !review?.activityId || review.state === 'pending') return err({ code: 'NOT_FOUND' });
    const onPanel = ctx.panel.some((m) => m.userId === input.actorId);
    if (!onPanel && !(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
    const channel = reviewChannelFor(ctx.round.value, ctx.app.value.fields.wijk);
    if (!channel || channel.channelId !== input.channelId) return err({ code: 'WRONG_CHANNEL' });
    if ((review.copies?.length ?? 0) >= MAX_REVIEW_COPIES) return err({ code: 'TOO_MANY' });
    return ok({ ctx, channel });
  }
  return err({ code: 'NOT_FOUND' });
}

/**
 * Keeps the new post of the card with the review (ETag-guarded, audited), so a score on it counts
 * and the decision reaches its thread. Read again on a lost race: only the copy is added.
 */
export async function recordReviewCopy(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; copy: Omit<ReviewCopy, 'postedAt'> },
): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = (await deps.repos.reviews.bundle(input.roundId, input.applicationId)).review;
    if (!current) return false;
    const now = deps.clock.now();
    const copy: ReviewCopy = { ...input.copy, postedAt: now.toISOString() };
    const next = { ...current.value, copies: [...(current.value.copies ?? []), copy] };
    const audit = auditEvent(input.roundId, input.actorId, 'review.reposted', input.applicationId, now);
    if ((await deps.repos.reviews.updateReview(input.roundId, current, next, audit)).ok) return true;
  }
  return false;
}
