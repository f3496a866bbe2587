import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDraft } from '../../src/domain/application';
import { auditEvent } from '../../src/domain/audit';
import { demoRound } from '../../src/domain/round';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { closeDueReviews } from '../../src/usecases/close-review';
import { declareConflict } from '../../src/usecases/declare-conflict';
import { loadReview } from '../../src/usecases/load-review';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { claimReviewPost, recordReviewPosted } from '../../src/usecases/publish-review';
import { scoreApplication } from '../../src/usecases/score-application';
import { fixedClock, NOW, VALID_INPUT } from '../fixtures';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { validateStep } from '../../src/domain/validation';
import { STEPS } from '../../src/domain/application';

let azurite: RunningAzurite;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite?.stop());

const ACCOUNTHOUDER = '00000000-0000-4000-8000-00000000000a';
const member = (i: number) => `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`;

/** A round with a panel of `size`, one application submitted and its review card posted. */
async function reviewUnderway(size: number, quorum: number) {
  const clients = tableClients(azurite.connectionString, `C${++n}`);
  await ensureTables(clients);
  const clock = fixedClock();
  const deps = { repos: tableRepos(clients), clock, accounthouders: [ACCOUNTHOUDER] };
  const round = { ...demoRound(NOW), quorum, routing: { byWijk: {}, default: { teamId: 't', channelId: 'c', serviceUrl: 'http://x', tenantId: 't', botId: 'b', linkedBy: ACCOUNTHOUDER, linkedAt: NOW.toISOString() } } };
  await deps.repos.rounds.create(round, auditEvent(round.id, 'system', 'round.created', round.id, NOW));
  for (let i = 0; i < size; i++) {
    await addPanelMember(deps, { actorId: ACCOUNTHOUDER, person: { userId: member(i), mri: `29:m${i}`, name: `Lid ${i}` }, role: 'gemeente' });
  }
  const fields = Object.assign({}, ...STEPS.map((s) => {
    const v = validateStep(s, VALID_INPUT[s], round, 'complete');
    if (!v.ok) throw new Error(s);
    return v.value;
  }));
  const draft = { ...newDraft({ id: 'b'.repeat(20), roundId: round.id, applicantId: 'anouk', now: NOW }), fields };
  const created = await deps.repos.applications.create(draft, auditEvent(round.id, 'anouk', 'application.created', draft.id, NOW));
  if (!created.ok) throw new Error('create');
  await deps.repos.applications.submit(created.value, { ...draft, status: 'submitted' }, auditEvent(round.id, 'anouk', 'application.submitted', draft.id, NOW), () => 'LB-2026-001');
  const claimed = await claimReviewPost(deps, round.id, draft.id);
  if (!claimed.ok) throw new Error(claimed.error.code);
  await recordReviewPosted(deps, claimed.value, { threadId: 'c;messageid=1', activityId: '1' });
  const raw = (v: string) => Object.fromEntries(round.criteria.items.map((c) => [`score_${c.id}`, v]));
  return { deps, clock, round, appId: draft.id, raw };
}

describe('scores saved at the same moment (Azurite)', () => {
  it('members saving together lose no score', async () => {
    const { deps, round, appId, raw } = await reviewUnderway(8, 8);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => scoreApplication(deps, { actorId: member(i), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw(String((i % 5) + 1)) })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const ctx = await loadReview(deps, round.id, appId);
    expect(ctx?.sheets).toHaveLength(8);
    expect(ctx?.app.value.status).toBe('reviewed');
    expect((await deps.repos.audit.list(round.id)).filter((e) => e.action === 'review.closed')).toHaveLength(1);
  });

  it('one member saving twice at once: one wins, the other is told, nothing is half-written', async () => {
    const { deps, round, appId, raw } = await reviewUnderway(3, 3);
    const [a, b] = await Promise.all([
      scoreApplication(deps, { actorId: member(0), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('2') }),
      scoreApplication(deps, { actorId: member(0), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('5') }),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    expect([a, b].find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const ctx = await loadReview(deps, round.id, appId);
    const winner = a.ok ? 2 : 5;
    expect(Object.values(ctx!.sheets[0]!.scores).every((v) => v === winner)).toBe(true);
  });
});

describe('conflicts of interest and the deadline', () => {
  it('a declared conflict recuses the member, is audited, and takes their sheet out of the count', async () => {
    const { deps, round, appId, raw } = await reviewUnderway(4, 3);
    await scoreApplication(deps, { actorId: member(0), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('1') });
    const declared = await declareConflict(deps, { actorId: member(0), roundId: round.id, applicationId: appId, cardActivityId: '1', note: 'Mijn zus werkt daar.' });
    expect(declared.ok).toBe(true);
    const ctx = (await loadReview(deps, round.id, appId))!;
    expect(ctx.progress.eligible).toHaveLength(3);
    expect(ctx.sheets).toHaveLength(0);
    expect((await deps.repos.audit.list(round.id)).some((e) => e.action === 'review.recused' && e.actorId === member(0) && e.details?.reason === 'declared')).toBe(true);
    const again = await scoreApplication(deps, { actorId: member(0), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('5') });
    expect(again).toMatchObject({ ok: false, error: { code: 'RECUSED' } });
  });

  it('closes at the review deadline when the quorum is in, not before', async () => {
    const { deps, clock, round, appId, raw } = await reviewUnderway(4, 2);
    for (const i of [0, 1]) await scoreApplication(deps, { actorId: member(i), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('4') });
    expect(await closeDueReviews(deps)).toEqual([]);
    clock.set(new Date(Date.parse(round.reviewDeadline) + 60_000));
    expect(await closeDueReviews(deps)).toEqual([{ roundId: round.id, applicationId: appId }]);
    expect((await deps.repos.applications.get(round.id, appId))?.value.status).toBe('reviewed');
    expect(await closeDueReviews(deps)).toEqual([]);
  });
});
