import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDraft } from '../../src/domain/application';
import { auditEvent } from '../../src/domain/audit';
import { demoRound } from '../../src/domain/demo-round';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { closeDueReviews } from '../../src/usecases/close-review';
import { declareConflict } from '../../src/usecases/declare-conflict';
import { loadReview, viewerIn } from '../../src/usecases/load-review';
import { reviewCard } from '../../src/cards/review-cards';
import { messages } from '../../src/i18n';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { claimReviewPost, recordReviewPosted } from '../../src/usecases/publish-review';
import { scoreApplication } from '../../src/usecases/score-application';
import { submitApplication } from '../../src/usecases/submit-application';
import { fixedClock, NOW, VALID_INPUT } from '../fixtures';
import type { Deps } from '../../src/usecases/deps';
import { azuriteConnectionString, startAzurite, RunningAzurite } from '../support/azurite';
import { startCountingProxy } from '../support/counting-proxy';
import { currentProposal } from '../../src/usecases/allocation-proposal';
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
async function reviewUnderway(size: number, quorum: number, connectionString = azurite.connectionString) {
  const clients = tableClients(connectionString, `C${++n}`);
  await ensureTables(clients);
  const clock = fixedClock();
  const deps = { repos: tableRepos(clients), clock, accounthouders: [ACCOUNTHOUDER] };
  const round = {
    ...demoRound(NOW),
    quorum,
    routing: {
      byWijk: {},
      default: { teamId: 't', channelId: 'c', serviceUrl: 'http://x', tenantId: 't', botId: 'b', linkedBy: ACCOUNTHOUDER, linkedAt: NOW.toISOString() },
    },
  };
  await deps.repos.rounds.create(round, auditEvent(round.id, 'system', 'round.created', round.id, NOW));
  for (let i = 0; i < size; i++) {
    await addPanelMember(deps, {
      actorId: ACCOUNTHOUDER,
      person: { userId: member(i), mri: `29:m${i}`, name: `Lid ${i}` },
      role: i === 0 ? 'partner' : 'gemeente',
      ...(i === 0 ? { organisation: 'Panelpartner' } : {}),
    });
  }
  const fields = Object.assign(
    {},
    ...STEPS.map((s) => {
      const v = validateStep(s, VALID_INPUT[s], round, 'complete');
      if (!v.ok) throw new Error(s);
      return v.value;
    }),
  );
  const draft = { ...newDraft({ id: 'b'.repeat(20), roundId: round.id, applicantId: 'anouk', now: NOW }), fields };
  const created = await deps.repos.applications.create(draft, auditEvent(round.id, 'anouk', 'application.created', draft.id, NOW));
  if (!created.ok) throw new Error('create');
  await deps.repos.applications.submit(
    created.value,
    { ...draft, status: 'submitted' },
    auditEvent(round.id, 'anouk', 'application.submitted', draft.id, NOW),
    () => 'LB-2026-001',
  );
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
      Array.from({ length: 8 }, (_, i) =>
        scoreApplication(deps, { actorId: member(i), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw(String((i % 5) + 1)) }),
      ),
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

/** Repositories whose first `n` review reads wait for each other: the callers all work from the same read, then write at once. */
function readingTogether(deps: Deps, n: number): Deps {
  let waiting: (() => void)[] = [];
  let left = n;
  const real = deps.repos.reviews;
  const scene = async (roundId: string, applicationId: string) => {
    const read = await real.scene(roundId, applicationId);
    if (left > 0) {
      left--;
      await new Promise<void>((r) => {
        waiting.push(r);
        if (left === 0) (waiting.forEach((w) => w()), (waiting = []));
      });
    }
    return read;
  };
  const reviews = new Proxy(real, { get: (target, prop) => (prop === 'scene' ? scene : Reflect.get(target, prop, target).bind(target)) });
  return { ...deps, repos: { ...deps.repos, reviews } };
}

describe('the last two scores at the same moment (Azurite)', () => {
  it('both from the same read: one commits, the other reads again, and the review closes once', async () => {
    const { deps, round, appId, raw } = await reviewUnderway(2, 2);
    const racing = readingTogether(deps, 2);
    const [a, b] = await Promise.all(
      [0, 1].map((i) =>
        scoreApplication(racing, { actorId: member(i), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw(String(i + 3)) }),
      ),
    );
    expect(a!.ok && b!.ok).toBe(true);
    // Exactly one of them saw the review complete and closed it.
    expect([a, b].filter((r) => r!.ok && r!.value.closed)).toHaveLength(1);
    const ctx = (await loadReview(deps, round.id, appId))!;
    expect(ctx.app.value.status).toBe('reviewed');
    expect(ctx.bundle.review?.value.state).toBe('closed');
    expect(ctx.bundle.review?.value.changes).toBe(2);
    expect(ctx.app.value.reviewResult?.sheets).toBe(2);
    expect((await deps.repos.audit.list(round.id)).filter((e) => e.action === 'review.closed')).toHaveLength(1);
  });

  it('a recusal at the same moment as the last score: the score counts, the recusal holds, the review closes', async () => {
    const { deps, round, appId, raw } = await reviewUnderway(2, 1);
    const racing = readingTogether(deps, 2);
    const [scored, recused] = await Promise.all([
      scoreApplication(racing, { actorId: member(1), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('4') }),
      declareConflict(racing, { actorId: member(0), roundId: round.id, applicationId: appId, cardActivityId: '1', note: 'Ik zit in het bestuur.' }),
    ]);
    expect(scored.ok && recused.ok).toBe(true);
    const ctx = (await loadReview(deps, round.id, appId))!;
    expect(ctx.progress.recused.map((r) => r.member.userId)).toEqual([member(0)]);
    expect(ctx.sheets.map((s) => s.memberId)).toEqual([member(1)]);
    expect(ctx.app.value.status).toBe('reviewed');
  });
});

describe('a save at the moment the deadline closes the review (Azurite)', () => {
  it('either counts in the kept result or is refused as closed: never a sheet the result does not know', async () => {
    const { deps, clock, round, appId, raw } = await reviewUnderway(3, 2);
    for (const i of [0, 1]) await scoreApplication(deps, { actorId: member(i), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('4') });
    clock.set(new Date(Date.parse(round.reviewDeadline) + 60_000));
    const racing = readingTogether(deps, 2);
    const [late] = await Promise.all([
      scoreApplication(racing, { actorId: member(2), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('1') }),
      closeDueReviews(racing),
    ]);
    const ctx = (await loadReview(deps, round.id, appId))!;
    expect(ctx.app.value.status).toBe('reviewed');
    const stored = ctx.bundle.sheets.length;
    expect(ctx.app.value.reviewResult?.sheets).toBe(stored);
    if (late.ok) expect(stored).toBe(3);
    else expect(late.error.code === 'CLOSED' && stored === 2).toBe(true);
  });
});

describe('a save that keeps losing the race', () => {
  it('retries a few times, then says so: nothing saved, the typed values come back', async () => {
    const { deps, round, appId, raw } = await reviewUnderway(3, 3);
    let attempts = 0;
    const real = deps.repos.reviews;
    // Every attempt finds another member's save committed just before it: its transaction fails.
    const reviews = new Proxy(real, {
      get: (target, prop) =>
        prop === 'saveSheet'
          ? async () => (attempts++, { ok: false as const, error: { code: 'CONFLICT' as const } })
          : Reflect.get(target, prop, target).bind(target),
    });
    const res = await scoreApplication(
      { ...deps, repos: { ...deps.repos, reviews } },
      { actorId: member(0), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('4') },
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    expect(attempts).toBe(8);
    expect((await loadReview(deps, round.id, appId))!.sheets).toEqual([]);
    if (res.ok || res.error.code !== 'BUSY') throw new Error('expected BUSY');
    const card = reviewCard('nl', res.error.ctx, viewerIn(res.error.ctx, member(0)), { raw: raw('4'), notice: messages('nl').review.busy });
    expect(JSON.stringify(card)).toContain(messages('nl').review.busy);
    const inputs: { id: string; value?: unknown }[] = [];
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(walk);
      if (!n || typeof n !== 'object') return;
      const o = n as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string' && o.id.startsWith('score_'))
        inputs.push({ id: o.id, value: o.value });
      Object.values(o).forEach(walk);
    };
    walk(card);
    expect(inputs.map((i) => i.id).sort()).toEqual(round.criteria.items.map((c) => `score_${c.id}`).sort());
    expect(inputs.every((i) => i.value === '4')).toBe(true);
  });
});

describe('conflicts of interest and the deadline', () => {
  it('a declared conflict recuses the member, is audited, and takes their sheet out of the count', async () => {
    const { deps, round, appId, raw } = await reviewUnderway(4, 3);
    await scoreApplication(deps, { actorId: member(0), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('1') });
    const declared = await declareConflict(deps, {
      actorId: member(0),
      roundId: round.id,
      applicationId: appId,
      cardActivityId: '1',
      note: 'Mijn zus werkt daar.',
    });
    expect(declared.ok).toBe(true);
    const ctx = (await loadReview(deps, round.id, appId))!;
    expect(ctx.progress.eligible).toHaveLength(3);
    expect(ctx.sheets).toHaveLength(0);
    expect(
      (await deps.repos.audit.list(round.id)).some((e) => e.action === 'review.recused' && e.actorId === member(0) && e.details?.reason === 'declared'),
    ).toBe(true);
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

describe('storage round trips (Azurite behind a counting proxy)', () => {
  const filterOf = (url: string) => new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('$filter') ?? '';

  it('saving a score takes three requests: the round with its panel, the application with its review, one transaction', async () => {
    const proxy = await startCountingProxy(azurite.url);
    try {
      const { deps, round, appId, raw } = await reviewUnderway(3, 3, azuriteConnectionString(proxy.url));
      const { value, requests } = await proxy.during(() =>
        scoreApplication(deps, { actorId: member(0), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('4') }),
      );
      expect(value).toMatchObject({ ok: true, value: { closed: false } });
      expect(requests.map((r) => r.method).sort()).toEqual(['GET', 'GET', 'POST']);
      expect(requests.filter((r) => r.method === 'POST').every((r) => r.url.includes('$batch'))).toBe(true);
      // Both reads are key-range reads inside the round's partition, not scans.
      for (const r of requests.filter((r) => r.method === 'GET'))
        expect(filterOf(r.url)).toMatch(/^PartitionKey eq '.+' and RowKey ge '.+' and RowKey lt '.+'$/);
      // What came back is the whole picture: the saved sheet counts, the panel is complete.
      if (!value.ok) throw new Error('not saved');
      expect(value.value.ctx.panel).toHaveLength(3);
      expect(value.value.ctx.sheets.map((s) => s.memberId)).toEqual([member(0)]);
    } finally {
      await proxy.stop();
    }
  });

  it('submitting takes three requests once the instance has submitted before: the application and the round (point reads), one transaction', async () => {
    const proxy = await startCountingProxy(azurite.url);
    try {
      const { deps, round } = await reviewUnderway(1, 1, azuriteConnectionString(proxy.url));
      const fields = (await deps.repos.applications.get(round.id, 'b'.repeat(20)))!.value.fields;
      const submitOne = async (i: number) => {
        const draft = { ...newDraft({ id: `d${i}`.padEnd(20, '0'), roundId: round.id, applicantId: `partner-${i}`, now: NOW }), fields };
        const made = await deps.repos.applications.create(draft, auditEvent(round.id, draft.applicantId, 'application.created', draft.id, NOW));
        if (!made.ok) throw new Error('create');
        return proxy.during(() => submitApplication(deps, { applicantId: draft.applicantId, roundId: round.id, applicationId: draft.id, rev: draft.rev }));
      };
      // The first registers the organisation, the second reads the registry once more.
      const first = await submitOne(1);
      expect(first.value).toMatchObject({ ok: true, value: { alreadySubmitted: false } });
      expect((await submitOne(2)).value.ok).toBe(true);
      const { value, requests } = await submitOne(3);
      expect(value).toMatchObject({
        ok: true,
        value: { application: { reference: 'LB-2026-004' }, organisationName: first.value.ok && first.value.value.organisationName },
      });
      // The counter is the one this instance wrote (the transaction is guarded by its ETag), the
      // registry the copy of a moment ago (a name registered meanwhile is caught by its key row).
      expect(requests.map((r) => `${r.method} ${/\$batch/.test(r.url) ? '$batch' : (/RowKey='([^']*)'/.exec(r.url)?.[1] ?? r.url)}`).sort()).toEqual(
        [`GET app_${'d3'.padEnd(20, '0')}_`, 'GET round', 'POST $batch'].sort(),
      );
    } finally {
      await proxy.stop();
    }
  });

  it('a closed review keeps its result on the application, and the proposal reads no review rows', async () => {
    const proxy = await startCountingProxy(azurite.url);
    try {
      const { deps, round, appId, raw } = await reviewUnderway(2, 2, azuriteConnectionString(proxy.url));
      await scoreApplication(deps, { actorId: member(0), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('4') });
      const last = await scoreApplication(deps, { actorId: member(1), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('2') });
      expect(last).toMatchObject({ ok: true, value: { closed: true } });
      const app = (await deps.repos.applications.get(round.id, appId))!.value;
      expect(app.status).toBe('reviewed');
      const fromSheets = (await loadReview(deps, round.id, appId))!.result;
      // The kept result is the result from the sheets, with the review's facts for the council report.
      expect(app.reviewResult).toEqual({ ...fromSheets, facts: expect.objectContaining({ counted: 2, revisedAfterSeen: 0 }) });
      expect(app.reviewResult?.sheets).toBe(2);

      const { value: proposal, requests } = await proxy.during(() => currentProposal(deps, round.id));
      expect(proposal?.results.get(appId)).toEqual(app.reviewResult);
      expect(proposal?.proposal.lines.map((l) => l.applicationId)).toEqual([appId]);
      // Every read is a point read or a key range; none reads the partition's review rows.
      for (const r of requests) {
        const f = filterOf(r.url);
        expect(f === '' || /RowKey ge/.test(f)).toBe(true);
        expect(f).not.toMatch(/kind ne/);
      }
      const rows = await deps.repos.allocation.snapshot(round.id);
      expect(rows?.bundles).toBeUndefined();
      expect(rows?.applications.map((a) => a.value.id)).toEqual([appId]);
    } finally {
      await proxy.stop();
    }
  });

  it('an application closed without a kept result (stored before results were kept) still gets its score, from its review rows', async () => {
    const { deps, round, appId, raw } = await reviewUnderway(1, 1);
    await scoreApplication(deps, { actorId: member(0), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('5') });
    const stored = (await deps.repos.applications.get(round.id, appId))!;
    const { reviewResult, ...without } = stored.value;
    expect(reviewResult?.quorumMet).toBe(true);
    const saved = await deps.repos.applications.update(stored, without, auditEvent(round.id, 'system', 'review.closed', appId, NOW));
    expect(saved.ok).toBe(true);
    expect((await deps.repos.applications.get(round.id, appId))!.value.reviewResult).toBeUndefined();
    const proposal = await currentProposal(deps, round.id);
    // Worked out from the review rows: the same result (the facts are kept only when a review closes).
    expect(proposal?.results.get(appId)).toEqual({ ...reviewResult, facts: undefined });
    expect(proposal?.proposal.lines[0]?.score).toBe(reviewResult?.overall);
  });

  it('application rows and review rows share a prefix, yet each read gets only its own', async () => {
    const { deps, round, appId, raw } = await reviewUnderway(2, 2);
    await scoreApplication(deps, { actorId: member(0), roundId: round.id, applicationId: appId, cardActivityId: '1', raw: raw('3') });
    const other = { ...newDraft({ id: 'c'.repeat(20), roundId: round.id, applicantId: 'peter', now: NOW }), fields: { title: 'Ander plan' } };
    await deps.repos.applications.create(other, auditEvent(round.id, 'peter', 'application.created', other.id, NOW));
    expect((await deps.repos.applications.listByRound(round.id)).map((a) => a.value.id).sort()).toEqual([appId, other.id]);
    expect((await deps.repos.applications.listByApplicant('anouk')).map((a) => a.value.id)).toEqual([appId]);
    const withReviews = (await deps.repos.allocation.snapshotWithReviews(round.id))!;
    expect([...withReviews.bundles.keys()]).toEqual([appId]);
    expect(withReviews.bundles.get(appId)?.sheets.map((s) => s.value.memberId)).toEqual([member(0)]);
    expect(withReviews.bundles.get(appId)?.review?.value.state).toBe('posted');
    const scene = await deps.repos.reviews.scene(round.id, other.id);
    expect(scene.app?.value.id).toBe(other.id);
    expect(scene.bundle).toEqual({ sheets: [], recusals: [], questions: [] });
    expect(scene.panel.map((m) => m.userId)).toEqual([member(0), member(1)]);
    expect((await deps.repos.reviews.bundle(round.id, appId)).sheets).toHaveLength(1);
  });
});
