import { reviewCard } from '../../cards/review-cards';
import type { Lang } from '../../i18n';
import type { Logger } from '../../log';
import type { Deps } from '../../usecases/deps';
import { loadReview, ReviewContext } from '../../usecases/load-review';
import { claimReviewPost, recordReviewPosted, unpostedApplications } from '../../usecases/publish-review';
import { recordReviewCopy } from '../../usecases/repost-review';
import type { ChannelLink } from '../../domain/round';
import { reviewThreads } from '../../domain/review';
import type { Notifier, ThreadRef } from './notifier';
import { errorFacts } from '../core/turn';

/** See ReviewPublisher's constructor. */
export const SHARED_UPDATE_DELAY_MS = 1000;

/** The shared card in a channel is read by many people at once; it speaks the municipality's language. */
const CHANNEL_LANG: Lang = 'nl';

/**
 * Puts review cards in their channel and keeps the shared card's progress current. Posting is
 * claimed in storage first, so the submit turn, the background sweep and other instances never
 * post one application twice; what failed is picked up by the next sweep.
 */
export class ReviewPublisher {
  /** Per review card: the newest context whose shared-card update is still to be sent (see refreshSharedLater). */
  private readonly sharedUpdates = new Map<string, { next?: ReviewContext }>();

  constructor(
    private readonly deps: Deps,
    private readonly notifier: Notifier,
    private readonly log: Logger,
    /**
     * How long a shared card waits before an update, and between two updates: the saves of that
     * moment go out as one (Teams allows a conversation about 7 messages a second; the person who
     * saved has their own card at once).
     */
    private readonly sharedUpdateDelayMs = SHARED_UPDATE_DELAY_MS,
  ) {}

  async publish(roundId: string, applicationId: string): Promise<boolean> {
    const claimed = await claimReviewPost(this.deps, roundId, applicationId);
    if (!claimed.ok) {
      this.log.info({ roundId, applicationId, code: claimed.error.code }, 'review not posted');
      return false;
    }
    const { ctx, channel } = claimed.value;
    const card = reviewCard(CHANNEL_LANG, { ...ctx, open: true }, { kind: 'other' });
    const post = await this.notifier.postToChannel(channel, card);
    const recorded = await recordReviewPosted(this.deps, claimed.value, post);
    this.log.info({ roundId, applicationId, recorded }, 'review posted');
    return recorded;
  }

  /** Fire-and-forget from a turn: the turn has answered already; a failure waits for the sweep. */
  publishLater(roundId: string, applicationId: string): void {
    this.publish(roundId, applicationId).catch((e) => this.log.warn({ roundId, applicationId, err: errorFacts(e) }, 'review post failed; the sweep retries'));
  }

  /**
   * Posts the review card again in `channel` through `serviceUrl` (the service the request came
   * from: that person's Teams) and keeps the post with the review, so scores on it count and the
   * decision reaches its thread. False when the post could not be kept (the card then says so).
   */
  async repost(ctx: ReviewContext, channel: ChannelLink, serviceUrl: string, actorId: string): Promise<boolean> {
    const card = reviewCard(CHANNEL_LANG, ctx, { kind: 'other' });
    const post = await this.notifier.postToChannel({ ...channel, serviceUrl }, card);
    const roundId = ctx.round.value.id;
    const applicationId = ctx.app.value.id;
    const recorded = await recordReviewCopy(this.deps, { actorId, roundId, applicationId, copy: { serviceUrl, ...post } });
    this.log.info({ roundId, applicationId, recorded }, 'review card posted again');
    return recorded;
  }

  /** Updates the shared card (progress, closed) everywhere it was posted. */
  async refreshShared(ctx: ReviewContext): Promise<void> {
    const card = reviewCard(CHANNEL_LANG, ctx, { kind: 'other' });
    for (const thread of threadsOf(ctx)) {
      try {
        await this.notifier.updateCard(thread, thread.activityId, card);
      } catch (e) {
        // A copy whose client no longer has it (a restarted local Playground) must not stop the others.
        if (thread.activityId === ctx.bundle.review?.value.activityId) throw e;
        this.log.warn({ err: errorFacts(e) }, 'update of a copy of a review card failed');
      }
    }
  }

  /**
   * After the turn has answered: rendering the shared card is not the person's wait. Saves in
   * quick succession on one card are merged: while an update of a card is waiting (for the next
   * tick, Teams' rate limit or the connector) a newer context replaces the one queued after it, so
   * each card gets at most one update under way and one queued, and the last one sent is drawn
   * from the newest context handed in. Nothing is dropped: every context is sent or replaced by a
   * newer one.
   */
  refreshSharedLater(ctx: ReviewContext): void {
    const key = `${ctx.app.value.roundId}/${ctx.app.value.id}`;
    const queued = this.sharedUpdates.get(key);
    if (queued) {
      // Saves of one review commit one at a time (the review record's change count): the later state wins, whatever order the turns hand them in.
      if (!queued.next || stateOrder(ctx) >= stateOrder(queued.next)) queued.next = ctx;
      return;
    }
    const slot: { next?: ReviewContext } = { next: ctx };
    this.sharedUpdates.set(key, slot);
    this.afterDelay(() => void this.drainShared(key, slot));
  }

  private async drainShared(key: string, slot: { next?: ReviewContext }): Promise<void> {
    try {
      for (let ctx = slot.next; ctx; ctx = slot.next) {
        slot.next = undefined;
        await this.refreshShared(ctx).catch((e) => this.log.warn({ err: errorFacts(e) }, 'shared card update failed'));
        // Saves during that update wait their turn, merged into one.
        if (slot.next) await new Promise<void>((r) => this.afterDelay(r));
      }
    } finally {
      this.sharedUpdates.delete(key);
    }
  }

  private afterDelay(run: () => void): void {
    if (this.sharedUpdateDelayMs > 0) setTimeout(run, this.sharedUpdateDelayMs).unref();
    else setImmediate(run);
  }

  /** Shared-card updates per review card (round/application) still to be sent; for tests. */
  get pendingSharedUpdates(): number {
    return this.sharedUpdates.size;
  }

  /** After the panel changed: every open review card gets the new refresh list and progress. */
  async refreshRound(roundId: string): Promise<void> {
    for (const review of await this.deps.repos.reviews.listReviews(roundId)) {
      if (review.value.state !== 'posted') continue;
      const ctx = await loadReview(this.deps, roundId, review.value.applicationId);
      if (ctx) await this.refreshShared(ctx);
    }
  }

  refreshRoundLater(roundId: string): void {
    this.refreshRound(roundId).catch((e) => this.log.warn({ roundId, err: errorFacts(e) }, 'refreshing review cards failed'));
  }

  /** Replies in every thread of the review card (the first post's failure is thrown, a copy's logged). */
  async replyInThread(ctx: ReviewContext, text: string): Promise<void> {
    for (const thread of threadsOf(ctx)) {
      try {
        await this.notifier.replyInThread(thread, text);
      } catch (e) {
        if (thread.activityId === ctx.bundle.review?.value.activityId) throw e;
        this.log.warn({ err: errorFacts(e) }, 'reply in a copy of a review thread failed');
      }
    }
  }

  /** Posts every submitted application that has no review card yet. */
  async sweep(): Promise<number> {
    let posted = 0;
    for (const { roundId, applicationId } of await unpostedApplications(this.deps)) {
      try {
        if (await this.publish(roundId, applicationId)) posted++;
      } catch (e) {
        this.log.warn({ roundId, applicationId, err: errorFacts(e) }, 'review post failed; next sweep retries');
      }
    }
    return posted;
  }
}

/** How far a review's state is: its change count, a closed review after every open state. */
function stateOrder(ctx: ReviewContext): number {
  const review = ctx.bundle.review?.value;
  return review?.state === 'closed' ? Number.MAX_SAFE_INTEGER : (review?.changes ?? 0);
}

function threadsOf(ctx: ReviewContext): (ThreadRef & { activityId: string })[] {
  const r = ctx.bundle.review?.value;
  if (!r?.tenantId || !r.botId) return [];
  const { tenantId, botId } = r;
  return reviewThreads(r).map((t) => ({ ...t, tenantId, botId }));
}
