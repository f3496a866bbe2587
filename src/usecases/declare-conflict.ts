import { auditEvent } from '../domain/audit';
import { CONFLICT_NOTE_LIMIT } from '../domain/panel';
import { readText } from '../domain/text';
import { err, ok, Result } from '../domain/result';
import type { Deps } from './deps';
import { closeIfDue } from './close-review';
import { loadReview, ReviewContext, reviewForMember } from './load-review';

export type ConflictError =
  | { code: 'NOT_FOUND' }
  | { code: 'WRONG_CARD' }
  | { code: 'NOT_ON_PANEL' }
  | { code: 'NOTE_REQUIRED' }
  | { code: 'CLOSED'; ctx: ReviewContext }
  | { code: 'CONFLICT' };

/** A panel member declares a conflict of interest: they are recused, and it is audited. */
export async function declareConflict(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; cardActivityId?: string; cardServiceUrl?: string; note: string },
): Promise<Result<{ ctx: ReviewContext; closed: boolean }, ConflictError>> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const gate = await reviewForMember(deps, input);
    if (!gate.ok) return gate;
    const { ctx, viewer } = gate.value;
    if (viewer.kind === 'recused') return ok({ ctx, closed: false });
    if (!ctx.open) return err({ code: 'CLOSED', ctx });
    const typed = readText(input.note, CONFLICT_NOTE_LIMIT);
    if (typed.error || !typed.value) return err({ code: 'NOTE_REQUIRED' });
    const note = typed.value;
    const now = deps.clock.now();
    const added = await deps.repos.reviews.addRecusal(
      input.roundId,
      input.applicationId,
      { memberId: input.actorId, reason: 'declared', note, at: now.toISOString() },
      auditEvent(input.roundId, input.actorId, 'review.recused', input.applicationId, now, { reason: 'declared' }),
      ctx.bundle.review!,
    );
    // Someone saved a sheet in between: read again. A concurrent duplicate (double click) finds the recusal there: same outcome.
    if (!added.ok && added.error.code === 'CONFLICT') continue;
    const closed = await closeIfDue(deps, input.roundId, input.applicationId);
    return ok({ ctx: (await loadReview(deps, input.roundId, input.applicationId)) ?? ctx, closed });
  }
  // Lost the race four times in a row: nothing was recorded; the member is asked to try again.
  return err({ code: 'CONFLICT' });
}
