import type { PanelMember } from '../domain/panel';
import type { Deps } from './deps';
import { loadReview } from './load-review';

export interface Unscored {
  applicationId: string;
  reference?: string;
  members: PanelMember[];
}

/** Per application under review, the eligible panel members who have not scored yet. */
export async function unscoredMembers(deps: Deps, roundId: string): Promise<Unscored[]> {
  const reviews = (await deps.repos.reviews.listReviews(roundId)).filter((r) => r.value.state === 'posted');
  const out: Unscored[] = [];
  for (const review of reviews) {
    const ctx = await loadReview(deps, roundId, review.value.applicationId);
    if (!ctx?.open || ctx.progress.unscored.length === 0) continue;
    out.push({
      applicationId: review.value.applicationId,
      ...(ctx.app.value.reference ? { reference: ctx.app.value.reference } : {}),
      members: ctx.progress.unscored,
    });
  }
  return out;
}
