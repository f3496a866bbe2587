import { auditEvent } from '../domain/audit';
import { panelComposition } from '../domain/panel-composition';
import { err, ok, Result } from '../domain/result';
import { ChannelLink, reviewChannelFor } from '../domain/round';
import type { ReviewRecord } from '../domain/review';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';
import { loadReview, ReviewContext } from './load-review';

/** A claimed review post waits this long before another attempt may take it over (crash in between). */
export const CLAIM_TIMEOUT_MS = 2 * 60 * 1000;

/** PANEL_INCOMPLETE: the panel has no partner or ervaringsdeskundige yet; the card waits until it has. */
export type ClaimError = { code: 'NOT_FOUND' } | { code: 'NO_CHANNEL' } | { code: 'PANEL_INCOMPLETE' } | { code: 'ALREADY_POSTED' } | { code: 'IN_PROGRESS' };

/**
 * Claims the posting of an application's review card, so that of two attempts (the submit turn
 * and the background sweep, or two instances) only one posts.
 */
export async function claimReviewPost(
  deps: Deps,
  roundId: string,
  applicationId: string,
): Promise<Result<{ ctx: ReviewContext; channel: ChannelLink; claim: Versioned<ReviewRecord> }, ClaimError>> {
  const ctx = await loadReview(deps, roundId, applicationId);
  if (!ctx) return err({ code: 'NOT_FOUND' });
  if (ctx.app.value.status !== 'submitted') return err({ code: 'ALREADY_POSTED' });
  const channel = reviewChannelFor(ctx.round.value, ctx.app.value.fields.wijk);
  if (!channel) return err({ code: 'NO_CHANNEL' });
  if (!panelComposition(ctx.panel).meetsMotion) return err({ code: 'PANEL_INCOMPLETE' });
  const now = deps.clock.now();
  const record: ReviewRecord = { applicationId, state: 'pending', claimedAt: now.toISOString() };
  const existing = ctx.bundle.review;
  let claim: Versioned<ReviewRecord> | undefined;
  if (!existing) {
    const created = await deps.repos.reviews.claim(roundId, record);
    if (!created.ok) return err({ code: 'IN_PROGRESS' });
    claim = created.value;
  } else if (existing.value.state !== 'pending') {
    return err({ code: 'ALREADY_POSTED' });
  } else if (now.getTime() - Date.parse(existing.value.claimedAt) < CLAIM_TIMEOUT_MS) {
    return err({ code: 'IN_PROGRESS' });
  } else {
    const taken = await deps.repos.reviews.updateReview(roundId, existing, record);
    if (!taken.ok) return err({ code: 'IN_PROGRESS' });
    claim = taken.value;
  }
  return ok({ ctx, channel, claim });
}

/** Records where the card was posted; the application is now in review. Auto-recusals are audited. */
export async function recordReviewPosted(
  deps: Deps,
  claimed: { ctx: ReviewContext; channel: ChannelLink; claim: Versioned<ReviewRecord> },
  post: { threadId: string; activityId: string },
): Promise<boolean> {
  const { ctx, channel, claim } = claimed;
  const now = deps.clock.now();
  const at = now.toISOString();
  const roundId = ctx.round.value.id;
  const appId = ctx.app.value.id;
  const audit = [
    auditEvent(roundId, 'system', 'review.posted', appId, now, { channelId: channel.channelId }),
    ...ctx.progress.recused
      .filter((r) => r.recusal.reason === 'organisation')
      .map((r) => auditEvent(roundId, r.member.userId, 'review.recused', appId, now, { reason: 'organisation' })),
  ];
  const res = await deps.repos.reviews.transition(
    roundId,
    {
      current: claim,
      next: {
        ...claim.value,
        state: 'posted',
        teamId: channel.teamId,
        channelId: channel.channelId,
        serviceUrl: channel.serviceUrl,
        tenantId: channel.tenantId,
        botId: channel.botId,
        ...post,
        postedAt: at,
      },
    },
    { current: ctx.app, next: { ...ctx.app.value, status: 'in_review', rev: ctx.app.value.rev + 1, updatedAt: at } },
    audit,
  );
  return res.ok;
}

/** Submitted applications whose review card is not in a channel yet (no channel linked, or a failed post). */
export async function unpostedApplications(deps: Deps): Promise<{ roundId: string; applicationId: string }[]> {
  const out: { roundId: string; applicationId: string }[] = [];
  for (const round of await deps.repos.rounds.list()) {
    if (round.status === 'draft') continue;
    const posted = new Set((await deps.repos.reviews.listReviews(round.id)).filter((r) => r.value.state !== 'pending').map((r) => r.value.applicationId));
    for (const app of await deps.repos.applications.listByRound(round.id)) {
      if (app.value.status === 'submitted' && !posted.has(app.value.id)) out.push({ roundId: round.id, applicationId: app.value.id });
    }
  }
  return out;
}
