import { describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { changeDueDays, fieldChanges, scoredBeforeChange, validateChangeRequest } from '../../src/domain/change-request';
import { validateStep } from '../../src/domain/validation';
import { memoryRepos } from '../../src/store/memory-repos';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { claimReviewPost, recordReviewPosted } from '../../src/usecases/publish-review';
import { loadReview } from '../../src/usecases/load-review';
import { expireChangeRequests, proposeChanges, requestChanges } from '../../src/usecases/request-changes';
import { saveStep } from '../../src/usecases/save-step';
import { scoreApplication } from '../../src/usecases/score-application';
import { submitApplication } from '../../src/usecases/submit-application';
import { withdrawApplication } from '../../src/usecases/withdraw-application';
import { fixedClock, NOW, VALID_INPUT } from '../fixtures';
import { ACCOUNTHOUDER, linkedRound, submittedApplication } from '../support/rounds';

const member = (i: number) => ({ userId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, mri: `29:m${i}`, name: `Lid ${i}` });
const APPLICANT = member(99).userId;
const CARD = 'card-1';
const compose = { applicant: () => ({ card: 'applicant' }), proposal: (_l: string, _v: unknown, note: string) => ({ card: 'proposal', note }) };

async function inReview() {
  const repos = memoryRepos();
  const clock = fixedClock();
  const deps = { repos, clock, accounthouders: [ACCOUNTHOUDER] };
  const round = await linkedRound(repos, { quorum: 2 });
  for (let i = 1; i <= 3; i++)
    await addPanelMember(deps, {
      actorId: ACCOUNTHOUDER,
      person: member(i),
      role: i === 3 ? 'ervaringsdeskundige' : 'partner',
      ...(i === 3 ? {} : { organisation: `Partner ${i}` }),
    });
  const fields = Object.assign(
    {},
    ...STEPS.map((s) => {
      const v = validateStep(s, VALID_INPUT[s], round, 'complete');
      if (!v.ok) throw new Error(s);
      return v.value;
    }),
  );
  const applicationId = await submittedApplication(repos, round, APPLICANT, fields);
  const claimed = await claimReviewPost(deps, round.id, applicationId);
  if (!claimed.ok) throw new Error(claimed.error.code);
  await recordReviewPosted(deps, claimed.value, { threadId: '19:c@thread.tacv2;messageid=1', activityId: CARD });
  const ids = { roundId: round.id, applicationId };
  const app = async () => (await repos.applications.get(round.id, applicationId))!;
  const score = (i: number, v = '4') =>
    scoreApplication(deps, {
      ...ids,
      cardActivityId: CARD,
      actorId: member(i).userId,
      raw: Object.fromEntries(round.criteria.items.map((c) => [`score_${c.id}`, v])),
    });
  const request = async (actorId = ACCOUNTHOUDER, rev?: number) =>
    requestChanges(deps, { ...ids, actorId, rev: rev ?? (await app()).value.rev, note: 'Voeg een begrotingsregel toe voor de huur.', dueDate: '', compose });
  return { deps, repos, clock, round, ids, app, score, request };
}

describe('domain: the date rule and the diff', () => {
  it('default 7 days, never past the day before the review deadline, at least a day', () => {
    const deadline = '2026-12-15T16:00:00.000Z';
    expect(changeDueDays(deadline, NOW)).toEqual({ earliest: '2026-11-23', suggested: '2026-11-30', latest: '2026-12-14' });
    const ok = validateChangeRequest({ note: 'x', dueDate: '' }, { reviewDeadline: deadline, now: NOW });
    // Due at 00:00 Amsterdam after the day (CET: 23:00 UTC).
    expect(ok.ok && ok.value.dueBy).toBe('2026-11-30T23:00:00.000Z');
    expect(validateChangeRequest({ note: 'x', dueDate: '2026-12-15' }, { reviewDeadline: deadline, now: NOW })).toMatchObject({
      ok: false,
      error: { dueDate: 'afterDeadline' },
    });
    expect(validateChangeRequest({ note: 'x', dueDate: '2026-11-22' }, { reviewDeadline: deadline, now: NOW })).toMatchObject({
      ok: false,
      error: { dueDate: 'tooSoon' },
    });
    expect(validateChangeRequest({ note: ' \u200b ', dueDate: '2026-02-30' }, { reviewDeadline: deadline, now: NOW })).toMatchObject({
      ok: false,
      error: { note: 'required', dueDate: 'badDate' },
    });
    expect(validateChangeRequest({ note: 'a'.repeat(1001) }, { reviewDeadline: deadline, now: NOW })).toMatchObject({ ok: false, error: { note: 'tooLong' } });
  });

  it('fields diff generically: changed, added, removed, nested answers per key; registry links and empty-vs-missing are not changes', () => {
    const before = { title: 'A', amount: 100, coApplicants: ['X'], organisationId: 'o1', evidence: '', answers: { q1: 'ja', q2: 'nee' } };
    const after = { title: 'A', amount: 150, coApplicants: ['X', 'Y'], organisationId: 'o2', approach: 'Nieuw', answers: { q1: 'ja', q2: 'ja' } };
    expect(fieldChanges(before, after).map((c) => c.key)).toEqual(['amount', 'coApplicants', 'approach', 'answers.q2']);
    expect(fieldChanges(before, after).find((c) => c.key === 'amount')).toEqual({ key: 'amount', before: 100, after: 150 });
    expect(scoredBeforeChange({ at: '2026-12-01T00:00:00Z' }, { resubmittedAt: '2026-12-02T00:00:00Z' } as never)).toBe(true);
    expect(scoredBeforeChange({ at: '2026-12-03T00:00:00Z' }, { resubmittedAt: '2026-12-02T00:00:00Z' } as never)).toBe(false);
  });
});

describe('requesting changes', () => {
  it('only the accounthouder; another person is refused and nothing changes', async () => {
    const r = await inReview();
    expect(await r.request(member(1).userId)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await r.app()).value.status).toBe('in_review');
    expect(await r.repos.outbox.list(r.round.id)).toEqual([]);
  });

  it('a draft is "not found"; a reviewed application is not requestable', async () => {
    const r = await inReview();
    const current = await r.app();
    await r.repos.applications.update(
      current,
      { ...current.value, status: 'reviewed', rev: current.value.rev + 1 },
      { roundId: r.round.id, at: '', actorId: 'system', action: 'review.closed', subjectId: r.ids.applicationId },
    );
    expect(await r.request()).toMatchObject({ ok: false, error: { code: 'NOT_REQUESTABLE' } });
  });

  it('sends it back once: status, snapshot, the applicant message and audit in one write; a second press does nothing twice', async () => {
    const r = await inReview();
    const before = await r.app();
    const res = await r.request();
    expect(res.ok).toBe(true);
    const after = (await r.app()).value;
    expect(after.status).toBe('changes_requested');
    expect(after.reference).toBe(before.value.reference);
    expect(after.changeRequest?.snapshot).toEqual(before.value.fields);
    const outbox = await r.repos.outbox.list(r.round.id);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ kind: 'change.applicant', target: { type: 'user', userId: APPLICANT } });
    expect(r.repos.auditEvents.filter((e) => e.action === 'application.changes-requested')).toHaveLength(1);
    // The same card pressed again (its old revision): nothing sent again.
    expect(await r.request(ACCOUNTHOUDER, before.value.rev)).toMatchObject({ ok: false, error: { code: 'ALREADY' } });
    expect(await r.repos.outbox.list(r.round.id)).toHaveLength(1);
    // Scoring is paused; withdrawing is still allowed.
    expect((await r.score(1)).ok).toBe(false);
    expect((await loadReview(r.deps, r.round.id, r.ids.applicationId))!.open).toBe(false);
  });

  it('a score racing the request: the review record is raised, so the score reads again and is refused', async () => {
    const r = await inReview();
    const raced = await r.repos.reviews.bundle(r.round.id, r.ids.applicationId);
    expect((await r.request()).ok).toBe(true);
    expect((await r.repos.reviews.bundle(r.round.id, r.ids.applicationId)).review!.value.changes).toBe((raced.review!.value.changes ?? 0) + 1);
  });

  it('resubmission keeps the reference and the counter, names what changed, marks earlier scores, notifies the thread', async () => {
    const r = await inReview();
    expect((await r.score(1, '3')).ok).toBe(true);
    const countBefore = await r.repos.rounds.submissionCount(r.round.id);
    const ref = (await r.app()).value.reference;
    await r.request();
    r.clock.advance(60_000);
    const draft = await r.app();
    const saved = await saveStep(r.deps, {
      applicantId: APPLICANT,
      ...r.ids,
      step: 'approach',
      rev: draft.value.rev,
      raw: { ...VALID_INPUT.approach, approach: 'Een nieuwe aanpak met een begrotingsregel voor de huur.' },
      direction: 'summary',
    });
    expect(saved.ok).toBe(true);
    // Someone else's application is "not found".
    expect(await submitApplication(r.deps, { applicantId: member(1).userId, ...r.ids, rev: (await r.app()).value.rev })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const back = await submitApplication(r.deps, { applicantId: APPLICANT, ...r.ids, rev: (await r.app()).value.rev });
    expect(back.ok && back.value.resubmitted).toBe(true);
    const app = (await r.app()).value;
    expect(app.status).toBe('in_review');
    expect(app.reference).toBe(ref);
    expect(await r.repos.rounds.submissionCount(r.round.id)).toBe(countBefore);
    expect(app.changeRequest?.changed).toEqual(['approach']);
    const ctx = (await loadReview(r.deps, r.round.id, r.ids.applicationId))!;
    const sheet = ctx.bundle.sheets.find((s) => s.value.memberId === member(1).userId)!.value;
    expect(scoredBeforeChange(sheet, app.changeRequest)).toBe(true);
    expect(ctx.sheets).toHaveLength(1); // kept, still counts
    const thread = (await r.repos.outbox.list(r.round.id)).filter((e) => e.kind === 'change.thread');
    expect(thread).toHaveLength(1);
    expect(thread[0]!.text).toContain('Gewijzigd: Aanpak');
    // A second press of submit: already back, nothing twice.
    const again = await submitApplication(r.deps, { applicantId: APPLICANT, ...r.ids, rev: app.rev - 1 });
    expect(again.ok && again.value.alreadySubmitted).toBe(true);
    expect(r.repos.auditEvents.filter((e) => e.action === 'application.resubmitted')).toHaveLength(1);
    // The member can revise: a score after it is no longer marked.
    r.clock.advance(60_000);
    expect((await r.score(1, '5')).ok).toBe(true);
    const revised = (await loadReview(r.deps, r.round.id, r.ids.applicationId))!.bundle.sheets.find((s) => s.value.memberId === member(1).userId)!.value;
    expect(scoredBeforeChange(revised, app.changeRequest)).toBe(false);
  });

  it('not back by the date: the snapshot is put back, in review again, accounthouder and applicant told', async () => {
    const r = await inReview();
    const original = (await r.app()).value.fields;
    await r.request();
    const d = await r.app();
    await saveStep(r.deps, {
      applicantId: APPLICANT,
      ...r.ids,
      step: 'approach',
      rev: d.value.rev,
      raw: { ...VALID_INPUT.approach, approach: 'Half af' },
      direction: 'later',
    });
    expect(await expireChangeRequests(r.deps)).toEqual([]);
    r.clock.advance(8 * 24 * 3600_000);
    expect(await expireChangeRequests(r.deps)).toEqual([r.ids]);
    const app = (await r.app()).value;
    expect(app.status).toBe('in_review');
    expect(app.fields).toEqual(original);
    expect(app.changeRequest?.expiredAt).toBeDefined();
    const told = (await r.repos.outbox.list(r.round.id)).filter((e) => e.kind === 'change.expired').map((e) => (e.target as { userId: string }).userId);
    expect(told.sort()).toEqual([ACCOUNTHOUDER, APPLICANT].sort());
    expect(await expireChangeRequests(r.deps)).toEqual([]);
  });

  it('withdrawing while changes are requested is allowed', async () => {
    const r = await inReview();
    await r.request();
    expect((await withdrawApplication(r.deps, { applicantId: APPLICANT, ...r.ids })).ok).toBe(true);
  });

  it('a panel member proposes: it goes to the accounthouders, never to the applicant; twice stores it once', async () => {
    const r = await inReview();
    const input = { actorId: member(1).userId, ...r.ids, cardActivityId: CARD, note: 'Vraag om een begroting per activiteit.', compose };
    expect((await proposeChanges(r.deps, input)).ok).toBe(true);
    expect((await proposeChanges(r.deps, input)).ok).toBe(true);
    const outbox = await r.repos.outbox.list(r.round.id);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ kind: 'change.proposal', target: { type: 'user', userId: ACCOUNTHOUDER } });
    expect((await r.app()).value.status).toBe('in_review');
    expect(await proposeChanges(r.deps, { ...input, actorId: member(50).userId })).toMatchObject({ ok: false, error: { code: 'NOT_ON_PANEL' } });
    expect(await proposeChanges(r.deps, { ...input, cardActivityId: 'other' })).toMatchObject({ ok: false, error: { code: 'WRONG_CARD' } });
    expect(r.repos.auditEvents.filter((e) => e.action === 'application.changes-proposed')).toHaveLength(1);
  });
});
