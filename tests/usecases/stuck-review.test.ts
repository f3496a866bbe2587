import { describe, expect, it } from 'vitest';
import { memoryRepos } from '../../src/store/memory-repos';
import { candidatesOf } from '../../src/usecases/allocation-proposal';
import { closeDueReviews, extendReview, settleReview, stuckReviews } from '../../src/usecases/close-review';
import { declareConflict } from '../../src/usecases/declare-conflict';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { claimReviewPost, recordReviewPosted } from '../../src/usecases/publish-review';
import { scoreApplication } from '../../src/usecases/score-application';
import { fixedClock } from '../fixtures';
import { ACCOUNTHOUDER, linkedRound, submittedApplication } from '../support/rounds';

const member = (i: number) => ({ userId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, mri: `29:m${i}`, name: `Lid ${i}` });
const CARD = 'card-1';

/** One application in review before a panel of `size` (partners), quorum `quorum`. */
async function inReview(size: number, quorum: number) {
  const repos = memoryRepos();
  const clock = fixedClock();
  const deps = { repos, clock, accounthouders: [ACCOUNTHOUDER] };
  const round = await linkedRound(repos, { quorum });
  for (let i = 1; i <= size; i++) await addPanelMember(deps, { actorId: ACCOUNTHOUDER, person: member(i), role: 'partner', organisation: `Partner ${i}` });
  const applicationId = await submittedApplication(repos, round, member(99).userId, { amount: 5000 });
  const claimed = await claimReviewPost(deps, round.id, applicationId);
  if (!claimed.ok) throw new Error(claimed.error.code);
  await recordReviewPosted(deps, claimed.value, { threadId: '19:c@thread.tacv2;messageid=1', activityId: CARD });
  const ids = { roundId: round.id, applicationId, cardActivityId: CARD };
  const score = (i: number) =>
    scoreApplication(deps, { ...ids, actorId: member(i).userId, raw: Object.fromEntries(round.criteria.items.map((c) => [`score_${c.id}`, '4'])) });
  const recuse = (i: number) => declareConflict(deps, { ...ids, actorId: member(i).userId, note: 'Ik werk daar ook.' });
  const app = async () => (await repos.applications.get(round.id, applicationId))!.value;
  return { deps, repos, clock, round, ids, score, recuse, app };
}

describe('a review always ends', () => {
  it('recusals leave fewer members than the quorum: the quorum is what can be reached, and the review closes', async () => {
    const r = await inReview(3, 3);
    expect((await r.recuse(1)).ok).toBe(true);
    expect((await r.recuse(2)).ok).toBe(true);
    const scored = await r.score(3);
    expect(scored.ok && scored.value.closed).toBe(true);
    expect((await r.app()).status).toBe('reviewed');
    expect((await r.app()).reviewResult).toMatchObject({ quorum: 1, configuredQuorum: 3, quorumMet: true });
  });

  it('nobody may judge: flagged once to the accounthouder, the applicant sees a delay; settled with a reason it reaches the allocation', async () => {
    const r = await inReview(2, 2);
    await r.recuse(1);
    await r.recuse(2);
    expect(await closeDueReviews(r.deps)).toEqual([]);
    expect(await closeDueReviews(r.deps)).toEqual([]);
    expect((await r.app()).reviewNote).toBe('delayed');
    const told = (await r.repos.outbox.list(r.round.id)).filter((e) => e.kind === 'review.stuck');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ target: { type: 'user', userId: ACCOUNTHOUDER } });
    expect(told[0]!.text).toContain('niemand in het panel mag deze aanvraag beoordelen');
    expect((await r.repos.audit.list(r.round.id)).filter((e) => e.action === 'review.stuck')).toHaveLength(1);
    expect((await stuckReviews(r.deps, r.round.id)).map((c) => c.app.value.id)).toEqual([r.ids.applicationId]);

    // Only an accounthouder settles, only with a reason.
    expect(await settleReview(r.deps, { ...r.ids, actorId: member(1).userId, reason: 'x' })).toEqual({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await settleReview(r.deps, { ...r.ids, actorId: ACCOUNTHOUDER, reason: '  ' })).toEqual({ ok: false, error: { code: 'REASON_REQUIRED' } });
    const settled = await settleReview(r.deps, {
      ...r.ids,
      actorId: ACCOUNTHOUDER,
      reason: 'Alle panelleden hebben een belang; geen ander panel beschikbaar.',
    });
    expect(settled.ok).toBe(true);
    expect(await settleReview(r.deps, { ...r.ids, actorId: ACCOUNTHOUDER, reason: 'nog eens' })).toEqual({ ok: false, error: { code: 'NOT_STUCK' } });
    const app = await r.app();
    expect(app).toMatchObject({ status: 'reviewed', reviewNote: 'settled' });
    const review = (await r.repos.reviews.bundle(r.round.id, r.ids.applicationId)).review!.value;
    expect(review.settled).toMatchObject({ by: ACCOUNTHOUDER, reason: 'Alle panelleden hebben een belang; geen ander panel beschikbaar.' });
    const snapshot = (await r.repos.allocation.snapshot(r.round.id))!;
    expect(candidatesOf(snapshot).candidates.map((c) => c.applicationId)).toEqual([r.ids.applicationId]);
  });

  it('deadline passed without the quorum: extended once, flagged again if still short; a member added later can end it', async () => {
    const r = await inReview(2, 2);
    await r.score(1);
    r.clock.set(new Date(Date.parse(r.round.reviewDeadline) + 60_000));
    await closeDueReviews(r.deps);
    expect((await r.app()).reviewNote).toBe('delayed');
    expect(await extendReview(r.deps, { ...r.ids, actorId: ACCOUNTHOUDER, day: '2020-01-01' })).toEqual({ ok: false, error: { code: 'DATE' } });
    const day = new Date(r.clock.now().getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect((await extendReview(r.deps, { ...r.ids, actorId: ACCOUNTHOUDER, day })).ok).toBe(true);
    expect(await stuckReviews(r.deps, r.round.id)).toEqual([]);
    // Still short after the new date: flagged again.
    r.clock.set(new Date(Date.parse(`${day}T23:00:00Z`)));
    await closeDueReviews(r.deps);
    expect((await r.repos.outbox.list(r.round.id)).filter((e) => e.kind === 'review.stuck')).toHaveLength(2);
    // The second member scores late: the quorum is met, the review closes and the note goes.
    const late = await r.score(2);
    expect(late.ok && late.value.closed).toBe(true);
    expect(await r.app()).toMatchObject({ status: 'reviewed' });
    expect((await r.app()).reviewNote).toBeUndefined();
  });

  it('a member added while the review runs who works for the applicant is recused, and that recusal is audited', async () => {
    const r = await inReview(2, 2);
    expect((await addPanelMember(r.deps, { actorId: ACCOUNTHOUDER, person: member(7), role: 'partner', organisation: 'Stichting Buurtkracht' })).ok).toBe(true);
    const audit = (await r.repos.audit.list(r.round.id)).filter((e) => e.action === 'review.recused' && e.actorId === member(7).userId);
    expect(audit).toMatchObject([{ subjectId: r.ids.applicationId, details: { reason: 'organisation', addedLater: true } }]);
    expect(await r.score(7)).toMatchObject({ ok: false, error: { code: 'RECUSED' } });
  });
});
