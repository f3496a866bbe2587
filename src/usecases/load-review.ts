import type { Application } from '../domain/application';
import type { PanelMember, Recusal } from '../domain/panel';
import type { ReviewFacts, ReviewResult } from '../domain/review-result';
import { computeResult, countedSheets, mayViewOthers, Progress, reviewProgress, ScoreSheet } from '../domain/scoring';
import type { Round } from '../domain/round';
import { isReviewCard, type ReviewBundle } from '../domain/review';
import type { RoundSnapshot } from '../domain/snapshot';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';
import { attachmentViews, type AttachmentView } from './attachments';
import { err, ok, Result } from '../domain/result';

export interface ReviewContext {
  round: Versioned<Round>;
  app: Versioned<Application>;
  panel: PanelMember[];
  bundle: ReviewBundle;
  progress: Progress;
  /** Sheets of members who may score (a recused member's earlier sheet no longer counts). */
  sheets: ScoreSheet[];
  result: ReviewResult;
  /** Scores can still be given or changed. */
  open: boolean;
  /** The application's attachments with signed links (set by `loadReview`; from the same range read). */
  files?: AttachmentView[];
}

/** Everything one review card needs: the round with its panel and the application with its review (two reads). */
export async function loadReview(deps: Deps, roundId: string, applicationId: string): Promise<ReviewContext | undefined> {
  const { round, app, panel, bundle } = await deps.repos.reviews.scene(roundId, applicationId);
  if (!round || !app || app.value.status === 'draft') return undefined;
  return { ...reviewContextFrom(round, app, panel, bundle), files: attachmentViews(deps, bundle.attachments ?? [], round.value) };
}

/**
 * An application's panel result as the allocation uses it: kept on the application since its
 * review closed, or worked out from the review rows when the snapshot holds them.
 */
export function resultIn(snapshot: RoundSnapshot, app: Versioned<Application>): ReviewResult {
  if (app.value.reviewResult) return app.value.reviewResult;
  const bundle = snapshot.bundles?.get(app.value.id) ?? { sheets: [], recusals: [], questions: [] };
  return reviewContextFrom(snapshot.round, app, snapshot.panel, bundle).result;
}

/** The review context from what was read (one application, or a whole round at once). */
export function reviewContextFrom(round: Versioned<Round>, app: Versioned<Application>, panel: PanelMember[], bundle: ReviewBundle): ReviewContext {
  const all = bundle.sheets.map((s) => s.value);
  const progress = reviewProgress(panel, app.value.fields, bundle.recusals, all);
  const sheets = countedSheets(progress, all);
  return {
    round,
    app,
    panel,
    bundle,
    progress,
    sheets,
    result: computeResult(round.value.criteria.items, sheets, round.value.quorum, progress.eligible.length),
    open: bundle.review?.value.state === 'posted' && (app.value.status === 'submitted' || app.value.status === 'in_review'),
  };
}

export type Viewer =
  { kind: 'member'; member: PanelMember; sheet?: Versioned<ScoreSheet> } | { kind: 'recused'; member: PanelMember; recusal: Recusal } | { kind: 'other' };

/** What this person may see of the review: decided by the store, never by the card. */
export function viewerIn(ctx: ReviewContext, userId: string): Viewer {
  const member = ctx.panel.find((m) => m.userId === userId);
  if (!member) return { kind: 'other' };
  const recused = ctx.progress.recused.find((r) => r.member.userId === userId);
  if (recused) return { kind: 'recused', member, recusal: recused.recusal };
  const sheet = ctx.bundle.sheets.find((s) => s.value.memberId === userId);
  return { kind: 'member', member, ...(sheet ? { sheet } : {}) };
}

/** A viewer who is on the panel (recused or not). */
export type MemberViewer = Exclude<Viewer, { kind: 'other' }>;

export type GateError = { code: 'NOT_FOUND' } | { code: 'WRONG_CARD' } | { code: 'NOT_ON_PANEL' };

/**
 * The door of every panel action on a review card: the application exists, the card pressed is
 * its own review card (the message the button was on, from the activity), and the person is on
 * the panel (recused or not: each action decides what a recused member may do).
 */
export async function reviewForMember(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; cardActivityId?: string; cardServiceUrl?: string },
): Promise<Result<{ ctx: ReviewContext; viewer: MemberViewer }, GateError>> {
  const ctx = await loadReview(deps, input.roundId, input.applicationId);
  if (!ctx) return err({ code: 'NOT_FOUND' });
  if (!isReviewCard(ctx.bundle.review?.value, input.cardActivityId, input.cardServiceUrl)) return err({ code: 'WRONG_CARD' });
  const viewer = viewerIn(ctx, input.actorId);
  if (viewer.kind === 'other') return err({ code: 'NOT_ON_PANEL' });
  return ok({ ctx, viewer });
}

/**
 * The other members' scores, for a member whose own sheet counts (independent review: nobody
 * sees them first). Decided from the store: who the person is comes from the activity.
 */
export async function othersForMember(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string },
): Promise<Result<{ ctx: ReviewContext; viewer: Viewer }, { code: 'NOT_FOUND' } | { code: 'NOT_ON_PANEL' | 'NOT_YET'; ctx: ReviewContext }>> {
  const ctx = await loadReview(deps, input.roundId, input.applicationId);
  if (!ctx) return err({ code: 'NOT_FOUND' });
  const viewer = viewerIn(ctx, input.actorId);
  if (viewer.kind === 'other') return err({ code: 'NOT_ON_PANEL', ctx });
  if (viewer.kind === 'recused' || !mayViewOthers(viewer.sheet?.value)) return err({ code: 'NOT_YET', ctx });
  return ok({ ctx, viewer });
}

/**
 * The panel's general remarks on an application, without names: the `overall` text of every sheet
 * that counts (a recused member's remark does not). The scoring card tells members the applicant
 * may read it.
 */
export function panelRemarksIn(snapshot: RoundSnapshot, app: Versioned<Application>): string[] {
  const bundle = snapshot.bundles?.get(app.value.id);
  if (!bundle) return [];
  return reviewContextFrom(snapshot.round, app, snapshot.panel, bundle)
    .sheets.map((s) => s.overall.trim())
    .filter(Boolean);
}

/** The facts of a review as it closes (kept with its result on the application). */
export function reviewFactsOf(ctx: ReviewContext, settled?: { reason: string }): ReviewFacts {
  const counted = new Set(ctx.sheets.map((s) => s.memberId));
  const recusedIds = new Set(ctx.progress.recused.map((r) => r.member.userId));
  return {
    counted: ctx.sheets.length,
    revisedAfterSeen: ctx.sheets.filter((s) => (s.revisedAfterSeen ?? 0) > 0).length,
    recused: {
      organisation: ctx.progress.recused.filter((r) => r.recusal.reason === 'organisation').length,
      declared: ctx.progress.recused.filter((r) => r.recusal.reason === 'declared').length,
    },
    excludedSheets: ctx.bundle.sheets.filter((s) => recusedIds.has(s.value.memberId) && !counted.has(s.value.memberId)).length,
    quorumReduced: ctx.result.quorum < ctx.round.value.quorum,
    ...(settled ? { settled } : {}),
  };
}
