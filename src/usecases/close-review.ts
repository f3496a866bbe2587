import { auditEvent } from '../domain/audit';
import { reviewShouldClose } from '../domain/scoring';
import type { Deps } from './deps';
import { loadReview, ReviewContext } from './load-review';

/**
 * Closes an application's review when it is done: every eligible member scored with quorum, or
 * the review deadline passed with quorum. The application becomes "beoordeeld" in the same
 * transaction. Returns whether this call closed it.
 */
export async function closeIfDue(deps: Deps, roundId: string, applicationId: string, known?: ReviewContext): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    // What the caller just read and wrote saves a round of reads; a retry reads afresh.
    const ctx = attempt === 0 && known ? known : await loadReview(deps, roundId, applicationId);
    const review = ctx?.bundle.review;
    if (!ctx || !review || !ctx.open) return false;
    const now = deps.clock.now();
    if (!reviewShouldClose(ctx.progress, ctx.round.value.quorum, now, ctx.round.value.reviewDeadline)) return false;
    const at = now.toISOString();
    const done = await deps.repos.reviews.transition(
      roundId,
      { current: review, next: { ...review.value, state: 'closed', closedAt: at } },
      // The result goes with the application: nothing can change it any more, and the allocation reads it from there.
      { current: ctx.app, next: { ...ctx.app.value, status: 'reviewed', rev: ctx.app.value.rev + 1, updatedAt: at, reviewResult: ctx.result } },
      [auditEvent(roundId, 'system', 'review.closed', applicationId, now, { sheets: ctx.sheets.length, overall: ctx.result.overall ?? -1 })],
    );
    if (done.ok) return true;
  }
  return false;
}

/** The clock's part: close every review whose deadline has passed with quorum. */
export async function closeDueReviews(deps: Deps): Promise<{ roundId: string; applicationId: string }[]> {
  const closed: { roundId: string; applicationId: string }[] = [];
  for (const round of await deps.repos.rounds.list()) {
    if (round.status === 'draft') continue;
    for (const review of await deps.repos.reviews.listReviews(round.id)) {
      if (review.value.state === 'posted' && (await closeIfDue(deps, round.id, review.value.applicationId))) {
        closed.push({ roundId: round.id, applicationId: review.value.applicationId });
      }
    }
  }
  return closed;
}
