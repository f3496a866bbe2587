import { auditEvent } from '../domain/audit';
import type { OutboxEntry } from '../domain/outbox';
import { err, ok, Result } from '../domain/result';
import { reviewDeadlineOf, SETTLE_REASON_LIMIT } from '../domain/review';
import { readText } from '../domain/text';
import { amsterdamInstant, isRealDay } from '../domain/round-settings';
import { reviewOutcome } from '../domain/scoring';
import { fill, langFor, messages, plural } from '../i18n';
import type { Deps } from './deps';
import { loadReview, ReviewContext, reviewFactsOf } from './load-review';
import { isAccounthouder } from './roles';

/**
 * Moves an application's review on when it is due: it closes when every eligible member scored
 * with the (reachable) quorum, or when its deadline passed with the quorum — the application
 * becomes "beoordeeld" in the same transaction. A review that cannot end by itself (the deadline
 * passed without the quorum, or nobody may judge it) is marked stuck once, the applicant's status
 * says it takes longer, and every accounthouder gets a message in the same transaction.
 * Returns what this call did.
 */
export async function closeIfDue(deps: Deps, roundId: string, applicationId: string, known?: ReviewContext): Promise<boolean> {
  return (await advanceReview(deps, roundId, applicationId, known)) === 'closed';
}

export async function advanceReview(deps: Deps, roundId: string, applicationId: string, known?: ReviewContext): Promise<'closed' | 'stuck' | 'none'> {
  for (let attempt = 0; attempt < 3; attempt++) {
    // What the caller just read and wrote saves a round of reads; a retry reads afresh.
    const ctx = attempt === 0 && known ? known : await loadReview(deps, roundId, applicationId);
    const review = ctx?.bundle.review;
    if (!ctx || !review || !ctx.open) return 'none';
    const now = deps.clock.now();
    const outcome = reviewOutcome(ctx.progress, ctx.round.value.quorum, now, reviewDeadlineOf(review.value, ctx.round.value.reviewDeadline));
    if (outcome === 'open' || (outcome === 'stuck' && review.value.stuckAt)) return 'none';
    const at = now.toISOString();
    const app = ctx.app.value;
    const done =
      outcome === 'close'
        ? await deps.repos.reviews.transition(
            roundId,
            { current: review, next: { ...review.value, state: 'closed', closedAt: at } },
            // The result goes with the application: nothing can change it any more, and the allocation reads it from there.
            {
              current: ctx.app,
              next: { ...withoutNote(app), status: 'reviewed', rev: app.rev + 1, updatedAt: at, reviewResult: { ...ctx.result, facts: reviewFactsOf(ctx) } },
            },
            [auditEvent(roundId, 'system', 'review.closed', applicationId, now, { sheets: ctx.sheets.length, overall: ctx.result.overall ?? -1 })],
          )
        : await deps.repos.reviews.transition(
            roundId,
            { current: review, next: { ...review.value, stuckAt: at } },
            { current: ctx.app, next: { ...app, reviewNote: 'delayed', rev: app.rev + 1, updatedAt: at } },
            [
              auditEvent(roundId, 'system', 'review.stuck', applicationId, now, {
                eligible: ctx.progress.eligible.length,
                scored: ctx.progress.scored.length,
                quorum: ctx.round.value.quorum,
              }),
            ],
            await stuckMessages(deps, ctx, at),
          );
    if (done.ok) return outcome === 'close' ? 'closed' : 'stuck';
  }
  return 'none';
}

const withoutNote = <T extends { reviewNote?: unknown }>(app: T): T => {
  const { reviewNote: _, ...rest } = app;
  return rest as T;
};

/** One message per accounthouder: which review is stuck and why, and where to settle it. */
async function stuckMessages(deps: Deps, ctx: ReviewContext, at: string): Promise<OutboxEntry[]> {
  const ids = [...new Set([...(deps.accounthouders ?? []), ...(await deps.repos.roles.listAccounthouders()).map((a) => a.userId)])];
  const app = ctx.app.value;
  return Promise.all(
    ids.map(async (userId): Promise<OutboxEntry> => {
      const lang = langFor((await deps.repos.conversations.get(userId))?.locale);
      const t = messages(lang).stuck;
      const why =
        ctx.progress.eligible.length === 0
          ? t.whyNobody
          : fill(plural(lang, ctx.progress.scored.length, t.whyQuorum), { quorum: ctx.result.quorum || ctx.round.value.quorum });
      return {
        id: `${app.roundId}-stuck-${app.id}-${at}-${userId}`,
        roundId: app.roundId,
        kind: 'review.stuck',
        target: { type: 'user', userId },
        text: fill(t.message, { reference: app.reference ?? '', title: app.fields.title ?? '', why }),
        state: 'pending',
        attempts: 0,
        notBefore: at,
        createdAt: at,
      };
    }),
  );
}

/** The clock's part: close every review that is due, and flag every one that cannot end by itself. */
export async function closeDueReviews(deps: Deps): Promise<{ roundId: string; applicationId: string }[]> {
  const closed: { roundId: string; applicationId: string }[] = [];
  for (const round of await deps.repos.rounds.list()) {
    if (round.status === 'draft') continue;
    for (const review of await deps.repos.reviews.listReviews(round.id)) {
      if (review.value.state === 'posted' && (await advanceReview(deps, round.id, review.value.applicationId)) === 'closed') {
        closed.push({ roundId: round.id, applicationId: review.value.applicationId });
      }
    }
  }
  return closed;
}

/** The reviews of a round that wait for the accounthouder. */
export async function stuckReviews(deps: Deps, roundId: string): Promise<ReviewContext[]> {
  const out: ReviewContext[] = [];
  for (const review of await deps.repos.reviews.listReviews(roundId)) {
    if (review.value.state !== 'posted' || !review.value.stuckAt) continue;
    const ctx = await loadReview(deps, roundId, review.value.applicationId);
    if (ctx?.open) out.push(ctx);
  }
  return out;
}

export type SettleError =
  { code: 'FORBIDDEN' } | { code: 'NOT_FOUND' } | { code: 'NOT_STUCK' } | { code: 'REASON_REQUIRED' } | { code: 'DATE' } | { code: 'CONFLICT' };

async function stuckFor(deps: Deps, input: { actorId: string; roundId: string; applicationId: string }): Promise<Result<ReviewContext, SettleError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const ctx = await loadReview(deps, input.roundId, input.applicationId);
  if (!ctx?.bundle.review) return err({ code: 'NOT_FOUND' });
  if (!ctx.open || !ctx.bundle.review.value.stuckAt) return err({ code: 'NOT_STUCK' });
  return ok(ctx);
}

/**
 * The accounthouder gives a stuck review more time: a new deadline (a day in the future; 17:00
 * Amsterdam time) for this application only. It is no longer stuck; if it is still short of the
 * quorum at the new deadline, it is flagged again.
 */
export async function extendReview(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; day: string },
): Promise<Result<ReviewContext, SettleError>> {
  const found = await stuckFor(deps, input);
  if (!found.ok) return found;
  const ctx = found.value;
  const now = deps.clock.now();
  if (!isRealDay(input.day) || Date.parse(amsterdamInstant(input.day, '17:00')) <= now.getTime()) return err({ code: 'DATE' });
  const deadline = amsterdamInstant(input.day, '17:00');
  const { stuckAt: _, ...rest } = ctx.bundle.review!.value;
  const done = await deps.repos.reviews.transition(
    input.roundId,
    { current: ctx.bundle.review!, next: { ...rest, deadline } },
    { current: ctx.app, next: { ...ctx.app.value, reviewNote: 'delayed', rev: ctx.app.value.rev + 1, updatedAt: now.toISOString() } },
    [auditEvent(input.roundId, input.actorId, 'review.extended', input.applicationId, now, { deadline })],
  );
  if (!done.ok) return err({ code: 'CONFLICT' });
  return ok((await loadReview(deps, input.roundId, input.applicationId)) ?? ctx);
}

/**
 * The accounthouder closes a stuck review with a stated reason: the result is what the members
 * who could judge gave (possibly no result), the application is "beoordeeld" and says it was
 * settled, and the council report names it as a review closed without the quorum.
 */
export async function settleReview(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; reason: string },
): Promise<Result<ReviewContext, SettleError>> {
  const found = await stuckFor(deps, input);
  if (!found.ok) return found;
  const ctx = found.value;
  const typed = readText(input.reason, SETTLE_REASON_LIMIT);
  if (typed.error || !typed.value) return err({ code: 'REASON_REQUIRED' });
  const reason = typed.value;
  const now = deps.clock.now();
  const at = now.toISOString();
  const review = ctx.bundle.review!;
  const done = await deps.repos.reviews.transition(
    input.roundId,
    { current: review, next: { ...review.value, state: 'closed', closedAt: at, settled: { by: input.actorId, at, reason } } },
    {
      current: ctx.app,
      next: {
        ...ctx.app.value,
        status: 'reviewed',
        reviewNote: 'settled',
        rev: ctx.app.value.rev + 1,
        updatedAt: at,
        reviewResult: { ...ctx.result, facts: reviewFactsOf(ctx, { reason }) },
      },
    },
    [auditEvent(input.roundId, input.actorId, 'review.settled', input.applicationId, now, { sheets: ctx.sheets.length, quorumMet: ctx.result.quorumMet })],
  );
  if (!done.ok) return err({ code: 'CONFLICT' });
  return ok((await loadReview(deps, input.roundId, input.applicationId)) ?? ctx);
}
