import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { validateStep } from '../../src/domain/validation';
import type { Repos } from '../../src/ports';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { currentProposal } from '../../src/usecases/allocation-proposal';
import { approveAllocation } from '../../src/usecases/approve-allocation';
import type { Deps } from '../../src/usecases/deps';
import { loadReview } from '../../src/usecases/load-review';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { claimReviewPost, recordReviewPosted } from '../../src/usecases/publish-review';
import { requestChanges } from '../../src/usecases/request-changes';
import { scoreApplication } from '../../src/usecases/score-application';
import { fixedClock, VALID_INPUT } from '../fixtures';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { ACCOUNTHOUDER, linkedRound, submittedApplication } from '../support/rounds';

/**
 * A change request (aanvulling) racing what else can happen to an in-review application at the
 * same moment, against Azurite: a panel member's score, and the last score with the
 * accounthouder's approval of the allocation that then includes the application. Each time one
 * of them wins in one transaction and the other is refused or reads again: never a score counted
 * on an application that went back, never a decision on an application whose changes were asked.
 */
let azurite: RunningAzurite;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite?.stop());

const member = (i: number) => `00000000-0000-4000-8000-0000000002${String(i).padStart(2, '0')}`;
const APPLICANT = '00000000-0000-4000-a000-000000000099';
const CARD = 'card-1';
const compose = { applicant: () => ({ type: 'AdaptiveCard' }), proposal: () => ({ type: 'AdaptiveCard' }) };

/**
 * The other side starts this many ms after the request, one race each, all at once: at 0 the
 * score mostly wins (the request reads more first), further on the request does; which one wins
 * is not asserted, only that each race ends one way or the other, whole.
 */
const STAGGER = [0, 5, 20, 60, 150, 300];
const later = <T>(ms: number, f: () => Promise<T>) => new Promise<T>((resolve, reject) => setTimeout(() => f().then(resolve, reject), ms));

async function repos(): Promise<Repos> {
  const clients = tableClients(azurite.connectionString, `CR${++n}`);
  await ensureTables(clients);
  return tableRepos(clients);
}

/**
 * A round with a panel of two (a partner, an ervaringsdeskundige; quorum 2), one application
 * submitted, its review card posted and scored by the first member: the second member's score closes it.
 */
async function inReview() {
  const size = 2;
  const r = await repos();
  const clock = fixedClock();
  const deps: Deps = { repos: r, clock, accounthouders: [ACCOUNTHOUDER] };
  const round = await linkedRound(r, { quorum: size });
  for (let i = 0; i < size; i++)
    await addPanelMember(deps, {
      actorId: ACCOUNTHOUDER,
      person: { userId: member(i), mri: `29:m${i}`, name: `Lid ${i}` },
      role: i === 0 ? 'partner' : 'ervaringsdeskundige',
      ...(i === 0 ? { organisation: 'Panelpartner' } : {}),
    });
  const fields = Object.assign(
    {},
    ...STEPS.map((s) => {
      const v = validateStep(s, VALID_INPUT[s], round, 'complete');
      if (!v.ok) throw new Error(s);
      return v.value;
    }),
  );
  const applicationId = await submittedApplication(r, round, APPLICANT, { ...fields, amount: 10_000 });
  const claimed = await claimReviewPost(deps, round.id, applicationId);
  if (!claimed.ok) throw new Error(claimed.error.code);
  await recordReviewPosted(deps, claimed.value, { threadId: '19:c@thread.tacv2;messageid=1', activityId: CARD });
  const ids = { roundId: round.id, applicationId };
  const rev = async () => (await r.applications.get(round.id, applicationId))!.value.rev;
  const score = (d: Deps, i: number) =>
    scoreApplication(d, { ...ids, cardActivityId: CARD, actorId: member(i), raw: Object.fromEntries(round.criteria.items.map((c) => [`score_${c.id}`, '4'])) });
  const request = (d: Deps, at: number) =>
    requestChanges(d, { ...ids, actorId: ACCOUNTHOUDER, rev: at, note: 'Voeg een begrotingsregel toe voor de huur.', dueDate: '', compose });
  /** The last score, then the allocation card drawn and approved at once: what the accounthouder does when the review closes. */
  const scoreAndApprove = async (d: Deps, i: number) => {
    const scored = await score(d, i);
    const p = await currentProposal(d, round.id);
    const approved =
      p && p.proposal.lines.length
        ? await approveAllocation(d, { actorId: ACCOUNTHOUDER, roundId: round.id, fingerprint: p.fingerprint, adjustments: {} })
        : undefined;
    return { scored, approved };
  };
  const first = await score(deps, 0);
  if (!first.ok || first.value.closed) throw new Error('first score');
  return { deps, round, ids, rev, score, request, scoreAndApprove };
}

/**
 * Repositories whose first call of `method` waits until `release` is called: after it ran (a read
 * the caller works from, about to be out of date), or before it runs (a write about to be sent).
 */
function held(deps: Deps, repo: 'reviews' | 'applications', method: string, when: 'after' | 'before' = 'after') {
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const readDone = new Promise<void>((r) => (reached = r));
  let first = true;
  const real = deps.repos[repo] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const proxy = new Proxy(real, {
    get: (target, prop) => {
      const fn = Reflect.get(target, prop, target) as (...a: unknown[]) => Promise<unknown>;
      if (prop !== method || typeof fn !== 'function') return typeof fn === 'function' ? fn.bind(target) : fn;
      return async (...args: unknown[]) => {
        const wait = first;
        first = false;
        if (wait && when === 'before') (reached(), await gate);
        const out = await fn.apply(target, args);
        if (wait && when === 'after') (reached(), await gate);
        return out;
      };
    },
  });
  return { deps: { ...deps, repos: { ...deps.repos, [repo]: proxy } } as Deps, release, readDone };
}

/** What is stored about the application after a race, and the checks that hold whoever won. */
async function outcome(deps: Deps, roundId: string, applicationId: string) {
  const ctx = (await loadReview(deps, roundId, applicationId))!;
  const snap = (await deps.repos.allocation.snapshot(roundId))!;
  const audit = await deps.repos.audit.list(roundId);
  const app = ctx.app.value;
  const decided = snap.decisions.filter((d) => d.value.lines.some((l) => l.applicationId === applicationId));
  const count = (action: string) => audit.filter((e) => e.action === action && e.subjectId === applicationId).length;
  if (app.status === 'changes_requested') {
    // Went back: not closed, not decided, and nothing spent on it.
    expect(ctx.bundle.review?.value.state).toBe('posted');
    expect(app.decision).toBeUndefined();
    expect(app.reviewResult).toBeUndefined();
    expect(decided).toHaveLength(0);
    expect(snap.ledger?.value.spent ?? 0).toBe(0);
    expect(count('review.closed')).toBe(0);
    expect(count('application.changes-requested')).toBe(1);
    expect((await deps.repos.outbox.list(roundId)).filter((e) => e.kind === 'change.applicant')).toHaveLength(1);
  } else {
    // Not sent back: no trace of a request anywhere.
    expect(app.changeRequest).toBeUndefined();
    expect(count('application.changes-requested')).toBe(0);
    expect((await deps.repos.outbox.list(roundId)).filter((e) => e.kind === 'change.applicant')).toHaveLength(0);
  }
  return { app, ctx, snap, decided, count };
}

describe('a change request and a score at the same moment (Azurite)', () => {
  it('raced a few times over: the score closes the review and the request is refused, or the request wins and the score is not stored, or the score was stored just before and the review does not close', async () => {
    const wins = { request: 0, score: 0, both: 0 };
    await Promise.all(
      STAGGER.map(async (ms) => {
        const s = await inReview();
        const rev = await s.rev();
        const [req, scored] = await Promise.all([s.request(s.deps, rev), later(ms, () => s.score(s.deps, 1))]);
        expect(req.ok || scored.ok).toBe(true);
        const { app, ctx, count } = await outcome(s.deps, s.ids.roundId, s.ids.applicationId);
        if (req.ok && scored.ok) {
          // The sheet committed before the request; its closing came after and lost (see the test below).
          wins.both++;
          expect(scored.value.closed).toBe(false);
          expect(app.status).toBe('changes_requested');
          expect(ctx.bundle.sheets).toHaveLength(2);
        } else if (req.ok) {
          wins.request++;
          expect(app.status).toBe('changes_requested');
          expect(scored).toMatchObject({ ok: false, error: { code: 'CLOSED' } });
          // Only the first member's sheet, saved before: the racing score is not stored.
          expect(ctx.bundle.sheets.map((x) => x.value.memberId)).toEqual([member(0)]);
          expect(count('review.scored')).toBe(1);
        } else {
          wins.score++;
          expect(app.status).toBe('reviewed');
          expect(req.error.code).toBe('NOT_REQUESTABLE');
          expect(ctx.bundle.sheets).toHaveLength(2);
          expect(app.reviewResult?.sheets).toBe(2);
          expect(count('review.closed')).toBe(1);
        }
      }),
    );
    expect(wins.request + wins.score + wins.both).toBe(STAGGER.length);
  });

  it('the request read before the score closed the review: its write fails on the ETag, it reads again and is refused', async () => {
    const s = await inReview();
    const rev = await s.rev();
    const h = held(s.deps, 'reviews', 'bundle');
    const req = s.request(h.deps, rev);
    await h.readDone;
    expect(await s.score(s.deps, 1)).toMatchObject({ ok: true, value: { closed: true } });
    h.release();
    expect(await req).toMatchObject({ ok: false, error: { code: 'NOT_REQUESTABLE' } });
    const { app } = await outcome(s.deps, s.ids.roundId, s.ids.applicationId);
    expect(app.status).toBe('reviewed');
  });

  it('the score saved just before the request, its closing just after: the closing fails on the ETag and does not close an application that went back', async () => {
    const s = await inReview();
    const rev = await s.rev();
    // The score's sheet transaction goes through; its closing transaction waits.
    const h = held(s.deps, 'reviews', 'transition', 'before');
    const scored = s.score(h.deps, 1);
    await h.readDone;
    expect((await s.request(s.deps, rev)).ok).toBe(true);
    h.release();
    expect(await scored).toMatchObject({ ok: true, value: { closed: false } });
    const { app, ctx, count } = await outcome(s.deps, s.ids.roundId, s.ids.applicationId);
    expect(app.status).toBe('changes_requested');
    // Both sheets were saved before the request (kept, and marked on the card once it is back).
    expect(ctx.bundle.sheets).toHaveLength(2);
    expect(count('review.closed')).toBe(0);
  });

  it('the score read before the request went through: its save fails on the ETag, it reads again and is told the review is closed', async () => {
    const s = await inReview();
    const rev = await s.rev();
    const h = held(s.deps, 'reviews', 'scene');
    const scored = s.score(h.deps, 1);
    await h.readDone;
    expect((await s.request(s.deps, rev)).ok).toBe(true);
    h.release();
    expect(await scored).toMatchObject({ ok: false, error: { code: 'CLOSED' } });
    const { app, ctx } = await outcome(s.deps, s.ids.roundId, s.ids.applicationId);
    expect(app.status).toBe('changes_requested');
    expect(ctx.bundle.sheets.map((x) => x.value.memberId)).toEqual([member(0)]);
  });
});

describe('a change request and the approval of the allocation at the same moment (Azurite)', () => {
  it('raced a few times over: the application is decided and the request refused, or it went back and no decision names it', async () => {
    const wins = { request: 0, decision: 0 };
    await Promise.all(
      STAGGER.map(async (ms) => {
        const s = await inReview();
        const rev = await s.rev();
        const [req, { scored, approved }] = await Promise.all([s.request(s.deps, rev), later(ms, () => s.scoreAndApprove(s.deps, 1))]);
        const { app, decided, snap } = await outcome(s.deps, s.ids.roundId, s.ids.applicationId);
        if (req.ok) {
          wins.request++;
          expect(app.status).toBe('changes_requested');
          // Not stored, or stored just before the request without closing (see the score tests above).
          expect(scored.ok && scored.value.closed).toBe(false);
          expect(approved).toBeUndefined();
        } else {
          wins.decision++;
          expect(req.error.code).toBe('NOT_REQUESTABLE');
          expect(approved?.ok).toBe(true);
          expect(app.status).toBe('awarded');
          expect(app.decision?.awarded).toBe(10_000);
          expect(decided).toHaveLength(1);
          expect(snap.ledger?.value.spent).toBe(10_000);
        }
      }),
    );
    expect(wins.request + wins.decision).toBe(STAGGER.length);
  });

  it('the request read before the review closed and the allocation was approved: it is refused, the decision stands', async () => {
    const s = await inReview();
    const rev = await s.rev();
    const h = held(s.deps, 'applications', 'get');
    const req = s.request(h.deps, rev);
    await h.readDone;
    const { approved } = await s.scoreAndApprove(s.deps, 1);
    expect(approved?.ok).toBe(true);
    h.release();
    expect(await req).toMatchObject({ ok: false, error: { code: 'NOT_REQUESTABLE' } });
    const { app, decided } = await outcome(s.deps, s.ids.roundId, s.ids.applicationId);
    expect(app.status).toBe('awarded');
    expect(decided).toHaveLength(1);
  });
});
