import { auditEvent } from '../domain/audit';
import { err, ok, Result } from '../domain/result';
import { criterionOfInput, nextSheet, RawSheet, SheetErrors, validateSheet } from '../domain/scoring';
import type { Deps } from './deps';
import { closeIfDue } from './close-review';
import { loadReview, MemberViewer, ReviewContext, reviewContextFrom, reviewForMember, Viewer, viewerIn } from './load-review';

export type ScoreError =
  | { code: 'NOT_FOUND' }
  | { code: 'WRONG_CARD' }
  | { code: 'NOT_ON_PANEL' }
  | { code: 'RECUSED' }
  | { code: 'CLOSED'; ctx: ReviewContext }
  | { code: 'UNKNOWN_CRITERION' }
  | { code: 'INVALID'; ctx: ReviewContext; viewer: MemberViewer; errors: SheetErrors }
  | { code: 'CONFLICT'; ctx: ReviewContext }
  /** Lost the race to other members' saves on this review every time: nothing saved, the member tries again. */
  | { code: 'BUSY'; ctx: ReviewContext; viewer: MemberViewer };

/** A save that lost to another member's save (or a recusal) on the same review reads again and retries, after a short random wait so racing saves do not meet again. */
const SAVE_ATTEMPTS = 8;
const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 12 * (attempt + 1)));

/**
 * A panel member saves (or changes) their scores. The card must be the application's own
 * review card (`cardActivityId` is the message the button was pressed on, from the activity).
 *
 * Two reads (the round with its panel, the application with its review) and one transaction (the
 * sheet, the review record's change count, the audit record). The review record is ETag-guarded,
 * so a save that commits knows the review exactly as it is: whether it is now complete (and
 * closes), and what the shared card should show. A save that lost that race to another member
 * reads again and retries; one that lost it to the same member's other click is refused.
 */
export async function scoreApplication(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; cardActivityId?: string; cardServiceUrl?: string; raw: RawSheet },
): Promise<Result<{ ctx: ReviewContext; viewer: Viewer; closed: boolean }, ScoreError>> {
  let ownSheetSeen: string | undefined | null = null;
  for (let attempt = 0; ; attempt++) {
    const gate = await reviewForMember(deps, input);
    if (!gate.ok) return gate;
    const { ctx, viewer } = gate.value;
    if (viewer.kind === 'recused') return err({ code: 'RECUSED' });
    if (!ctx.open) return err({ code: 'CLOSED', ctx });
    // The member's own sheet changed since the first read: their other click (or device) won.
    if (ownSheetSeen !== null && viewer.sheet?.etag !== ownSheetSeen) return err({ code: 'CONFLICT', ctx });
    ownSheetSeen = viewer.sheet?.etag;
    const criteria = ctx.round.value.criteria;
    const known = new Set(criteria.items.map((c) => c.id));
    if (
      Object.keys(input.raw).some((k) => {
        const c = criterionOfInput(k);
        return c !== undefined && !known.has(c);
      })
    )
      return err({ code: 'UNKNOWN_CRITERION' });
    const valid = validateSheet(criteria.items, input.raw);
    if (!valid.ok) return err({ code: 'INVALID', ctx, viewer, errors: valid.error });

    const now = deps.clock.now();
    // The sheet records when it first counted (from then on the member could see the others) and
    // every later change of a score: visible on the card and counted in the council report.
    const sheet = nextSheet(viewer.sheet?.value, { memberId: input.actorId, criteriaVersion: criteria.version, ...valid.value }, now);
    const afterSeen = (sheet.revisedAfterSeen ?? 0) > (viewer.sheet?.value.revisedAfterSeen ?? 0);
    const saved = await deps.repos.reviews.saveSheet(
      input.roundId,
      input.applicationId,
      sheet,
      viewer.sheet?.etag,
      auditEvent(input.roundId, input.actorId, 'review.scored', input.applicationId, now, {
        criteriaVersion: criteria.version,
        update: Boolean(viewer.sheet),
        afterSeen,
      }),
      ctx.bundle.review!,
    );
    if (!saved.ok) {
      if (attempt + 1 < SAVE_ATTEMPTS) {
        await backoff(attempt);
        continue;
      }
      return err({ code: 'BUSY', ctx, viewer });
    }
    // The review as it is now, from what was read plus the sheet just saved: no second read.
    const sheets = [...ctx.bundle.sheets.filter((s) => s.value.memberId !== input.actorId), saved.value.sheet];
    const now2 = { ...reviewContextFrom(ctx.round, ctx.app, ctx.panel, { ...ctx.bundle, review: saved.value.review, sheets }), files: ctx.files };
    const closed = await closeIfDue(deps, input.roundId, input.applicationId, now2);
    // Closing changed the application and the review record: only then read them again.
    const after = closed ? await loadReview(deps, input.roundId, input.applicationId) : now2;
    const ctxAfter = after ?? now2;
    return ok({ ctx: ctxAfter, viewer: viewerIn(ctxAfter, input.actorId), closed });
  }
}
