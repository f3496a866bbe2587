import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDraft, type Application } from '../../src/domain/application';
import { auditEvent, GLOBAL, type AuditAction, type AuditEvent } from '../../src/domain/audit';
import type { ConsultationResponse } from '../../src/domain/consultation';
import type { PanelMember, Recusal } from '../../src/domain/panel';
import type { Result } from '../../src/domain/result';
import type { Round } from '../../src/domain/round';
import { computeResult, type ScoreSheet } from '../../src/domain/scoring';
import type { Consultation } from '../../src/domain/consultation';
import type { DecisionRecord, PanelMark } from '../../src/domain/decision';
import type { OutboxEntry } from '../../src/domain/outbox';
import type { DeletionRequest } from '../../src/domain/privacy-request';
import type { Question, ReviewRecord } from '../../src/domain/review';
import type { ReminderRecord } from '../../src/domain/reminders';
import type { Repos } from '../../src/ports';
import type { Versioned } from '../../src/domain/versioned';
import { NOW, round } from '../fixtures';
import { REPO_TWINS } from '../support/repo-twins';

/**
 * One contract for both implementations of the repository ports: the in-memory twins the
 * use-case tests run on and the Table Storage repositories production runs on. Every rule a
 * caller relies on is checked against both — conflict codes on stale ETags, refused duplicate
 * creates, all-or-nothing writes (and their audit records), what lists contain and in which
 * order — so a use-case test that passes on the twin means the same on Table Storage.
 */

const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
const ev = (roundId: string, action: AuditAction, subjectId = roundId, at = NOW, details?: AuditEvent['details']) =>
  auditEvent(roundId, 'tester', action, subjectId, at, details);
/** Application ids are 20 characters, like the bot's own. */
const id20 = (s: string) => s.padEnd(20, '0');

function value<T, E>(r: Result<T, E>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

const CONFLICT = { ok: false, error: { code: 'CONFLICT' } };
const ALREADY_EXISTS = { ok: false, error: { code: 'ALREADY_EXISTS' } };
const FROZEN = { ok: false, error: { code: 'FROZEN' } };

async function createRound(repos: Repos, overrides: Partial<Round> = {}): Promise<Versioned<Round>> {
  const r = round(overrides);
  return value(await repos.rounds.create(r, ev(r.id, 'round.created')));
}

async function createApp(
  repos: Repos,
  roundId: string,
  id: string,
  applicantId = 'anouk',
  fields: Application['fields'] = {},
): Promise<Versioned<Application>> {
  const draft = { ...newDraft({ id: id20(id), roundId, applicantId, now: NOW }), fields };
  return value(await repos.applications.create(draft, ev(roundId, 'application.created', draft.id)));
}

const reference = (year: number) => (n: number) => `LB-${year}-${String(n).padStart(3, '0')}`;

async function submitApp(repos: Repos, app: Versioned<Application>) {
  return repos.applications.submit(
    app,
    { ...app.value, status: 'submitted', submittedAt: NOW.toISOString() },
    ev(app.value.roundId, 'application.submitted', app.value.id),
    reference(2026),
  );
}

const member = (userId: string, addedAt: string, extra: Partial<PanelMember> = {}): PanelMember => ({
  userId,
  mri: `29:${userId}`,
  name: userId.toUpperCase(),
  role: 'gemeente',
  addedBy: 'boss',
  addedAt,
  ...extra,
});
const sheet = (memberId: string, score = 4, extra: Partial<ScoreSheet> = {}): ScoreSheet => ({
  memberId,
  criteriaVersion: 1,
  scores: { integraal: score },
  comments: {},
  overall: '',
  at: NOW.toISOString(),
  ...extra,
});
const reviewRecord = (applicationId: string, extra: Partial<ReviewRecord> = {}): ReviewRecord => ({
  applicationId,
  state: 'pending',
  claimedAt: NOW.toISOString(),
  ...extra,
});

/** An application in review: created, with its review record claimed. */
async function inReview(repos: Repos, roundId: string, id: string) {
  const app = await createApp(repos, roundId, id);
  const review = value(await repos.reviews.claim(roundId, reviewRecord(app.value.id)));
  return { app, review };
}

function outboxEntry(roundId: string, id: string, extra: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id,
    roundId,
    kind: 'decision.applicant',
    target: { type: 'user', userId: 'anouk' },
    text: `message ${id}`,
    state: 'pending',
    attempts: 0,
    notBefore: NOW.toISOString(),
    createdAt: NOW.toISOString(),
    ...extra,
  };
}

function decisionRecord(roundId: string, id: string, extra: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    id,
    roundId,
    approvedBy: 'boss',
    approvedAt: NOW.toISOString(),
    fingerprint: '1-abcdef12',
    budget: 50_000,
    spentBefore: 0,
    total: 0,
    lines: [],
    marks: { agree: 0, disagree: 0 },
    announced: false,
    ...extra,
  };
}

function reminderRecord(roundId: string, id: string, extra: Partial<ReminderRecord> = {}): ReminderRecord {
  return {
    id,
    reminderId: id,
    part: 0,
    roundId,
    kind: 'panel.unscored',
    at: NOW.toISOString(),
    deadline: minutes(60).toISOString(),
    state: 'sent',
    recipients: ['u:a'],
    recordedAt: NOW.toISOString(),
    recordedBy: 'instance-a',
    ...extra,
  };
}

function consultation(roundId: string, r: Round, extra: Partial<Consultation> = {}): Consultation {
  return {
    roundId,
    draft: r.criteria,
    closesAt: minutes(7 * 24 * 60).toISOString(),
    status: 'open',
    invited: [{ userId: 'sanne', name: 'Sanne', role: 'partner' }],
    startedBy: 'boss',
    startedAt: NOW.toISOString(),
    ...extra,
  };
}

const response = (userId: string, extra: Partial<ConsultationResponse> = {}): ConsultationResponse => ({
  userId,
  role: 'partner',
  perCriterion: { integraal: { kind: 'endorse' } },
  newCriteria: [],
  updatedAt: NOW.toISOString(),
  ...extra,
});

describe.each(REPO_TWINS)('repository contract: $name', (twin) => {
  beforeAll(() => twin.start());
  afterAll(() => twin.stop());

  describe('RoundRepo', () => {
    it('a round comes back as stored with the ETag its create returned; a second create of the id is ALREADY_EXISTS and writes nothing', async () => {
      const repos = await twin.fresh();
      const link = {
        teamId: 't',
        channelId: '19:c@thread.tacv2',
        serviceUrl: 'https://smba.example/',
        tenantId: 'tn',
        botId: 'b',
        linkedBy: 'boss',
        linkedAt: NOW.toISOString(),
      };
      const full = round({
        routing: { default: link, byWijk: { Holtenbroek: { ...link, channelId: '19:h@thread.tacv2' } } },
        allowPartialAwards: false,
        concentrationLimit: 0.25,
        status: 'paused',
      });
      const created = value(await repos.rounds.create(full, ev(full.id, 'round.created')));
      expect(created.value).toEqual(full);
      const read = await repos.rounds.get(full.id);
      expect(read).toEqual(created);
      expect(await repos.rounds.create({ ...full, name: 'Another' }, ev(full.id, 'round.created'))).toEqual(ALREADY_EXISTS);
      expect((await repos.rounds.get(full.id))?.value.name).toBe(full.name);
      expect(await repos.audit.list(full.id)).toHaveLength(1);
      expect(await repos.rounds.get('LB-1999')).toBeUndefined();
    });

    it('list returns every round, ordered by id', async () => {
      const repos = await twin.fresh();
      for (const year of [2031, 2029, 2030]) await createRound(repos, { id: `LB-${year}`, year });
      expect((await repos.rounds.list()).map((r) => r.id)).toEqual(['LB-2029', 'LB-2030', 'LB-2031']);
    });

    it('update is ETag-guarded: a stale read is CONFLICT and changes nothing, audit included; the returned ETag is the one to use next', async () => {
      const repos = await twin.fresh();
      const v1 = await createRound(repos);
      const v2 = value(await repos.rounds.update(v1, { ...v1.value, budget: 60_000 }, ev(v1.value.id, 'round.updated')));
      expect(v2.etag).not.toBe(v1.etag);
      expect(await repos.rounds.update(v1, { ...v1.value, budget: 70_000 }, ev(v1.value.id, 'round.updated'))).toEqual(CONFLICT);
      expect((await repos.rounds.get(v1.value.id))!.value.budget).toBe(60_000);
      expect((await repos.audit.list(v1.value.id)).map((e) => e.action).sort()).toEqual(['round.created', 'round.updated']);
      const v3 = value(await repos.rounds.update(v2, { ...v2.value, budget: 80_000 }, ev(v1.value.id, 'round.updated')));
      expect(await repos.rounds.get(v1.value.id)).toEqual(v3);
    });

    it('whileNoSubmissions: an ordinary update until an application is submitted, then FROZEN (from a fresh or a stale read); submissionCount counts references, withdrawn ones included', async () => {
      const repos = await twin.fresh();
      const v1 = await createRound(repos);
      const roundId = v1.value.id;
      expect(await repos.rounds.submissionCount(roundId)).toBe(0);
      expect(await repos.rounds.submissionCount('LB-1999')).toBe(0);
      const v2 = value(await repos.rounds.update(v1, { ...v1.value, quorum: 2 }, ev(roundId, 'round.criteria-changed'), { whileNoSubmissions: true }));
      const submitted = value(await submitApp(repos, await createApp(repos, roundId, 'a1')));
      expect(await repos.rounds.submissionCount(roundId)).toBe(1);
      expect(await repos.rounds.update(v2, { ...v2.value, quorum: 1 }, ev(roundId, 'round.criteria-changed'), { whileNoSubmissions: true })).toEqual(FROZEN);
      expect(await repos.rounds.update(v1, { ...v1.value, quorum: 1 }, ev(roundId, 'round.criteria-changed'), { whileNoSubmissions: true })).toEqual(FROZEN);
      expect((await repos.rounds.get(roundId))!.value.quorum).toBe(2);
      // Withdrawing keeps the reference issued.
      value(
        await repos.applications.update(
          submitted,
          { ...submitted.value, status: 'withdrawn', withdrawnAt: NOW.toISOString() },
          ev(roundId, 'application.withdrawn', submitted.value.id),
        ),
      );
      expect(await repos.rounds.submissionCount(roundId)).toBe(1);
      // Without the option, the round can still change (its settings, not its criteria).
      value(await repos.rounds.update(v2, { ...v2.value, name: 'Renamed' }, ev(roundId, 'round.updated')));
      expect((await repos.audit.list(roundId)).filter((e) => e.action === 'round.criteria-changed')).toHaveLength(1);
    });
  });

  describe('RoleRepo', () => {
    it('accounthouders: added (a second add replaces, never duplicates), listed by user id, audited in the global partition', async () => {
      const repos = await twin.fresh();
      expect(await repos.roles.isAccounthouder('zoe')).toBe(false);
      expect(await repos.roles.listAccounthouders()).toEqual([]);
      for (const [i, userId] of ['zoe', 'adam', 'mira'].entries())
        await repos.roles.addAccounthouder(
          { userId, name: userId, addedBy: 'boss', addedAt: NOW.toISOString() },
          ev(GLOBAL, 'role.accounthouder-added', userId, minutes(i * 0.1)),
        );
      await repos.roles.addAccounthouder(
        { userId: 'zoe', name: 'Zoë', addedBy: 'boss', addedAt: minutes(1).toISOString() },
        ev(GLOBAL, 'role.accounthouder-added', 'zoe', minutes(1)),
      );
      expect(await repos.roles.isAccounthouder('zoe')).toBe(true);
      expect(await repos.roles.isAccounthouder("o'brien")).toBe(false);
      expect(await repos.roles.listAccounthouders()).toEqual([
        { userId: 'adam', name: 'adam', addedBy: 'boss', addedAt: NOW.toISOString() },
        { userId: 'mira', name: 'mira', addedBy: 'boss', addedAt: NOW.toISOString() },
        { userId: 'zoe', name: 'Zoë', addedBy: 'boss', addedAt: minutes(1).toISOString() },
      ]);
      expect((await repos.audit.list(GLOBAL)).map((e) => e.subjectId)).toEqual(['zoe', 'adam', 'mira', 'zoe']);
    });
  });

  describe('ApplicationRepo', () => {
    it('an application with every optional part comes back as stored', async () => {
      const repos = await twin.fresh();
      const { value: r } = await createRound(repos);
      const created = await createApp(repos, r.id, 'a1', 'anouk', {
        organisation: "Stichting 't Hoekje",
        coApplicants: ['A', 'B'],
        amount: 7500,
        ambitions: ['contact', 'kansen'],
        title: 'Samen',
      });
      const sheets = [sheet('u1', 4), sheet('u2', 2)];
      const full: Application = {
        ...created.value,
        status: 'awarded',
        rev: 7,
        position: 'summary',
        reference: 'LB-2026-001',
        submittedAt: minutes(1).toISOString(),
        withdrawnAt: minutes(2).toISOString(),
        decision: { decisionId: 'd1', outcome: 'partial', awarded: 5000, decidedAt: minutes(3).toISOString() },
        results: { state: 'draft', done: 'x', spent: 100, updatedAt: minutes(4).toISOString() },
        reviewResult: computeResult(r.criteria.items, sheets, 2),
      };
      const updated = value(await repos.applications.update(created, full, ev(r.id, 'application.step-saved', full.id)));
      expect(updated.value).toEqual(full);
      expect(await repos.applications.get(r.id, full.id)).toEqual(updated);
      expect(await repos.applications.get(r.id, id20('nope'))).toBeUndefined();
    });

    it('a second create of the same id is ALREADY_EXISTS and changes nothing; the same id in another round is another application', async () => {
      const repos = await twin.fresh();
      const a = await createRound(repos, { id: 'LB-2026' });
      const b = await createRound(repos, { id: 'LB-2027', year: 2027 });
      const first = await createApp(repos, a.value.id, 'a1', 'anouk', { title: 'first' });
      const again = { ...newDraft({ id: first.value.id, roundId: a.value.id, applicantId: 'peter', now: NOW }), fields: { title: 'second' } };
      expect(await repos.applications.create(again, ev(a.value.id, 'application.created', again.id))).toEqual(ALREADY_EXISTS);
      expect(await repos.applications.get(a.value.id, first.value.id)).toEqual(first);
      expect((await repos.audit.list(a.value.id)).filter((e) => e.action === 'application.created')).toHaveLength(1);
      const other = await createApp(repos, b.value.id, 'a1', 'peter');
      expect(other.value.roundId).toBe('LB-2027');
      expect((await repos.applications.get(a.value.id, first.value.id))!.value.applicantId).toBe('anouk');
    });

    it('update is ETag-guarded: a stale read is CONFLICT and changes nothing, audit included', async () => {
      const repos = await twin.fresh();
      const { value: r } = await createRound(repos);
      const v1 = await createApp(repos, r.id, 'a1');
      const v2 = value(
        await repos.applications.update(v1, { ...v1.value, rev: 2, fields: { title: 'first' } }, ev(r.id, 'application.step-saved', v1.value.id)),
      );
      const auditBefore = await repos.audit.list(r.id);
      expect(
        await repos.applications.update(v1, { ...v1.value, rev: 2, fields: { title: 'second' } }, ev(r.id, 'application.step-saved', v1.value.id)),
      ).toEqual(CONFLICT);
      expect(await repos.applications.get(r.id, v1.value.id)).toEqual(v2);
      expect(await repos.audit.list(r.id)).toEqual(auditBefore);
    });

    it("listByRound: that round's applications only, by id; listByApplicant: one person's across rounds, by round then id", async () => {
      const repos = await twin.fresh();
      await createRound(repos, { id: 'LB-2027', year: 2027 });
      await createRound(repos, { id: 'LB-2026' });
      await createApp(repos, 'LB-2027', 'c3', 'anouk');
      await createApp(repos, 'LB-2026', 'b2', "o'brien");
      await createApp(repos, 'LB-2026', 'c1', 'anouk');
      await createApp(repos, 'LB-2026', 'a9', 'anouk');
      await createApp(repos, 'LB-2027', 'a1', 'peter');
      expect((await repos.applications.listByRound('LB-2026')).map((a) => a.value.id)).toEqual([id20('a9'), id20('b2'), id20('c1')]);
      expect((await repos.applications.listByRound('LB-2027')).map((a) => a.value.id)).toEqual([id20('a1'), id20('c3')]);
      expect(await repos.applications.listByRound('LB-1999')).toEqual([]);
      expect((await repos.applications.listByApplicant('anouk')).map((a) => `${a.value.roundId}/${a.value.id.slice(0, 2)}`)).toEqual([
        'LB-2026/a9',
        'LB-2026/c1',
        'LB-2027/c3',
      ]);
      expect((await repos.applications.listByApplicant("o'brien")).map((a) => a.value.id)).toEqual([id20('b2')]);
      expect(await repos.applications.listByApplicant('nobody')).toEqual([]);
      // The listed ETags are current: an update from a listed version goes through.
      const [listed] = await repos.applications.listByApplicant('peter');
      value(await repos.applications.update(listed!, { ...listed!.value, rev: 2 }, ev('LB-2027', 'application.step-saved', listed!.value.id)));
    });

    it('submit: gap-free references per round, concurrent submissions included, each audited with its reference', async () => {
      const repos = await twin.fresh();
      const a = (await createRound(repos, { id: 'LB-2026' })).value;
      const b = (await createRound(repos, { id: 'LB-2027', year: 2027 })).value;
      const drafts = await Promise.all(Array.from({ length: 8 }, (_, i) => createApp(repos, a.id, `c${i}x`, `partner${i}`)));
      const results = await Promise.all(drafts.map((d) => submitApp(repos, d)));
      const refs = results.map((r) => value(r).value.reference).sort();
      expect(refs).toEqual(Array.from({ length: 8 }, (_, i) => reference(2026)(i + 1)));
      // Stored as returned, and the returned ETag is current.
      for (const r of results) {
        const v = value(r);
        expect(await repos.applications.get(a.id, v.value.id)).toEqual(v);
      }
      const audit = (await repos.audit.list(a.id)).filter((e) => e.action === 'application.submitted');
      expect(audit.map((e) => e.details?.reference).sort()).toEqual(refs);
      // Another round counts from 1.
      const other = value(await submitApp(repos, await createApp(repos, b.id, 'a1')));
      expect(other.value.reference).toBe(reference(2026)(1));
      expect(await repos.rounds.submissionCount(a.id)).toBe(8);
      expect(await repos.rounds.submissionCount(b.id)).toBe(1);
    });

    it('submit from a stale read is CONFLICT and uses no number', async () => {
      const repos = await twin.fresh();
      const { value: r } = await createRound(repos);
      const v1 = await createApp(repos, r.id, 'd1');
      value(await repos.applications.update(v1, { ...v1.value, rev: 2 }, ev(r.id, 'application.step-saved', v1.value.id)));
      expect(await submitApp(repos, v1)).toEqual(CONFLICT);
      expect(await repos.rounds.submissionCount(r.id)).toBe(0);
      expect((await repos.applications.get(r.id, v1.value.id))!.value.status).toBe('draft');
      const fresh = (await repos.applications.get(r.id, v1.value.id))!;
      expect(value(await submitApp(repos, fresh)).value.reference).toBe(reference(2026)(1));
    });
  });

  describe('ReviewRepo', () => {
    it('scene: the round with its panel and the application with its whole review, as the separate reads give them', async () => {
      const repos = await twin.fresh();
      const empty = await repos.reviews.scene('LB-1999', id20('x'));
      expect(empty).toEqual({ panel: [], bundle: { sheets: [], recusals: [], questions: [] } });
      const { value: r } = await createRound(repos);
      await repos.reviews.putPanelMember(r.id, member('u2', minutes(2).toISOString()), ev(r.id, 'panel.member-added', 'u2'));
      await repos.reviews.putPanelMember(r.id, member('u1', minutes(1).toISOString()), ev(r.id, 'panel.member-added', 'u1'));
      const { app, review } = await inReview(repos, r.id, 'a1');
      await inReview(repos, r.id, 'a2'); // a neighbour whose rows must not leak in
      const saved = value(await repos.reviews.saveSheet(r.id, app.value.id, sheet('u1'), undefined, ev(r.id, 'review.scored', app.value.id), review));
      await repos.reviews.addRecusal(
        r.id,
        app.value.id,
        { memberId: 'u2', reason: 'declared', note: 'ken ze', at: NOW.toISOString() },
        ev(r.id, 'review.recused', app.value.id),
        saved.review,
      );
      await repos.reviews.addQuestion(
        r.id,
        { id: 'q1', applicationId: app.value.id, askedBy: 'u1', text: 'Hoe?', askedAt: NOW.toISOString() },
        ev(r.id, 'review.question-asked', app.value.id),
      );
      const scene = await repos.reviews.scene(r.id, app.value.id);
      expect(scene).toEqual({
        round: await repos.rounds.get(r.id),
        panel: await repos.reviews.listPanel(r.id),
        app: await repos.applications.get(r.id, app.value.id),
        bundle: await repos.reviews.bundle(r.id, app.value.id),
      });
      expect(scene.panel.map((m) => m.userId)).toEqual(['u1', 'u2']);
      expect(scene.bundle.sheets.map((s) => s.value.memberId)).toEqual(['u1']);
      expect(scene.bundle.recusals.map((x) => x.memberId)).toEqual(['u2']);
      expect(scene.bundle.questions.map((q) => q.value.id)).toEqual(['q1']);
      expect(scene.bundle.review!.value.changes).toBe(2);
    });

    it('panel: a member put twice is replaced, members are listed by addedAt, per round; removing an absent member writes no audit', async () => {
      const repos = await twin.fresh();
      const { value: r } = await createRound(repos, { id: 'LB-2026' });
      await createRound(repos, { id: 'LB-2027', year: 2027 });
      await repos.reviews.putPanelMember(r.id, member('zz', minutes(1).toISOString()), ev(r.id, 'panel.member-added', 'zz'));
      await repos.reviews.putPanelMember(r.id, member('aa', minutes(3).toISOString()), ev(r.id, 'panel.member-added', 'aa'));
      await repos.reviews.putPanelMember(
        r.id,
        member('mm', minutes(2).toISOString(), { role: 'partner', organisation: 'Org' }),
        ev(r.id, 'panel.member-added', 'mm'),
      );
      await repos.reviews.putPanelMember(
        r.id,
        member('zz', minutes(1).toISOString(), { name: 'Renamed', role: 'ervaringsdeskundige' }),
        ev(r.id, 'panel.member-added', 'zz'),
      );
      await repos.reviews.putPanelMember('LB-2027', member('other', NOW.toISOString()), ev('LB-2027', 'panel.member-added', 'other'));
      const panel = await repos.reviews.listPanel(r.id);
      expect(panel.map((m) => m.userId)).toEqual(['zz', 'mm', 'aa']);
      expect(panel[0]).toEqual(member('zz', minutes(1).toISOString(), { name: 'Renamed', role: 'ervaringsdeskundige' }));
      expect(panel[1]).toEqual(member('mm', minutes(2).toISOString(), { role: 'partner', organisation: 'Org' }));
      const auditBefore = (await repos.audit.list(r.id)).length;
      await repos.reviews.removePanelMember(r.id, 'nobody', ev(r.id, 'panel.member-removed', 'nobody'));
      expect(await repos.audit.list(r.id)).toHaveLength(auditBefore);
      await repos.reviews.removePanelMember(r.id, 'mm', ev(r.id, 'panel.member-removed', 'mm'));
      expect((await repos.reviews.listPanel(r.id)).map((m) => m.userId)).toEqual(['zz', 'aa']);
      expect(await repos.audit.list(r.id)).toHaveLength(auditBefore + 1);
      expect((await repos.reviews.listPanel('LB-2027')).map((m) => m.userId)).toEqual(['other']);
    });

    it('claim: a second claim is ALREADY_EXISTS and keeps the first; updateReview is ETag-guarded; listReviews lists the round by application id', async () => {
      const repos = await twin.fresh();
      const { value: r } = await createRound(repos, { id: 'LB-2026' });
      await createRound(repos, { id: 'LB-2027', year: 2027 });
      const appB = await createApp(repos, r.id, 'b1');
      const appA = await createApp(repos, r.id, 'a1');
      const claimedB = value(await repos.reviews.claim(r.id, reviewRecord(appB.value.id)));
      expect(await repos.reviews.claim(r.id, reviewRecord(appB.value.id, { claimedAt: minutes(5).toISOString() }))).toEqual(ALREADY_EXISTS);
      value(await repos.reviews.claim(r.id, reviewRecord(appA.value.id)));
      value(await repos.reviews.claim('LB-2027', reviewRecord(id20('zz'))));
      const posted = value(
        await repos.reviews.updateReview(r.id, claimedB, { ...claimedB.value, state: 'posted', threadId: 't;messageid=1', activityId: '1' }),
      );
      expect(await repos.reviews.updateReview(r.id, claimedB, { ...claimedB.value, state: 'closed' })).toEqual(CONFLICT);
      const listed = await repos.reviews.listReviews(r.id);
      expect(listed.map((x) => x.value.applicationId)).toEqual([appA.value.id, appB.value.id]);
      expect(listed[1]).toEqual(posted);
      expect((await repos.reviews.bundle(r.id, appB.value.id)).review).toEqual(posted);
    });

    it('saveSheet: created once, replaced under its ETag, every save raising the review; a stale sheet or review is CONFLICT and writes nothing', async () => {
      const repos = await twin.fresh();
      const { value: r } = await createRound(repos);
      const { app, review } = await inReview(repos, r.id, 'a1');
      const appId = app.value.id;
      const first = value(await repos.reviews.saveSheet(r.id, appId, sheet('u1', 3), undefined, ev(r.id, 'review.scored', appId), review));
      expect(first.review.value.changes).toBe(1);
      expect(first.sheet.value).toEqual(sheet('u1', 3));
      const before = await repos.reviews.bundle(r.id, appId);
      const auditBefore = await repos.audit.list(r.id);
      // A second "create" of the same sheet; a stale sheet ETag; a stale review record.
      expect(await repos.reviews.saveSheet(r.id, appId, sheet('u1', 5), undefined, ev(r.id, 'review.scored', appId), first.review)).toEqual(CONFLICT);
      expect(await repos.reviews.saveSheet(r.id, appId, sheet('u2', 5), undefined, ev(r.id, 'review.scored', appId), review)).toEqual(CONFLICT);
      expect(
        await repos.reviews.saveSheet(
          r.id,
          appId,
          sheet('u1', 5),
          'W/"datetime\'2000-01-01T00%3A00%3A00.0000000Z\'"',
          ev(r.id, 'review.scored', appId),
          first.review,
        ),
      ).toEqual(CONFLICT);
      expect(await repos.reviews.bundle(r.id, appId)).toEqual(before);
      expect(await repos.audit.list(r.id)).toEqual(auditBefore);
      // From the current versions: replaced, and the review raised again.
      const second = value(await repos.reviews.saveSheet(r.id, appId, sheet('u1', 5), first.sheet.etag, ev(r.id, 'review.scored', appId), first.review));
      expect(second.review.value.changes).toBe(2);
      const after = await repos.reviews.bundle(r.id, appId);
      expect(after.review).toEqual(second.review);
      expect(after.sheets).toEqual([second.sheet]);
    });

    it('saveSheet: of two members saving from the same read, exactly one commits', async () => {
      const repos = await twin.fresh();
      const { value: r } = await createRound(repos);
      const { app, review } = await inReview(repos, r.id, 'a1');
      const results = await Promise.all(
        ['u1', 'u2'].map((u) => repos.reviews.saveSheet(r.id, app.value.id, sheet(u), undefined, ev(r.id, 'review.scored', app.value.id), review)),
      );
      expect(results.filter((x) => x.ok)).toHaveLength(1);
      expect(results.filter((x) => !x.ok)).toEqual([CONFLICT]);
      const bundle = await repos.reviews.bundle(r.id, app.value.id);
      expect(bundle.sheets).toHaveLength(1);
      expect(bundle.review!.value.changes).toBe(1);
    });

    it('bundle: sheets by member id, questions by id, recusals by member; only the one application', async () => {
      const repos = await twin.fresh();
      const { value: r } = await createRound(repos);
      const { app, review } = await inReview(repos, r.id, 'a1');
      const other = await inReview(repos, r.id, 'a2');
      const appId = app.value.id;
      let current = review;
      for (const u of ['u3', 'u1', 'u2'])
        current = value(await repos.reviews.saveSheet(r.id, appId, sheet(u), undefined, ev(r.id, 'review.scored', appId), current)).review;
      value(
        await repos.reviews.addRecusal(r.id, appId, { memberId: 'u9', reason: 'declared', at: NOW.toISOString() }, ev(r.id, 'review.recused', appId), current),
      );
      current = (await repos.reviews.bundle(r.id, appId)).review!;
      value(
        await repos.reviews.addRecusal(
          r.id,
          appId,
          { memberId: 'u5', reason: 'organisation', at: NOW.toISOString() },
          ev(r.id, 'review.recused', appId),
          current,
        ),
      );
      for (const q of ['q2', 'q1'])
        await repos.reviews.addQuestion(
          r.id,
          { id: q, applicationId: appId, askedBy: 'u1', text: q, askedAt: NOW.toISOString() },
          ev(r.id, 'review.question-asked', appId),
        );
      value(await repos.reviews.saveSheet(r.id, other.app.value.id, sheet('u0'), undefined, ev(r.id, 'review.scored', other.app.value.id), other.review));
      const bundle = await repos.reviews.bundle(r.id, appId);
      expect(bundle.sheets.map((s) => s.value.memberId)).toEqual(['u1', 'u2', 'u3']);
      expect(bundle.recusals.map((x) => x.memberId)).toEqual(['u5', 'u9']);
      expect(bundle.questions.map((q) => q.value.id)).toEqual(['q1', 'q2']);
      expect(bundle.review!.value.changes).toBe(5);
      expect(await repos.reviews.bundle(r.id, id20('none'))).toEqual({ sheets: [], recusals: [], questions: [] });
    });

    it('addRecusal: raises the review; a second recusal of the member is ALREADY_EXISTS (from a fresh or stale read); a stale review is CONFLICT and records nothing', async () => {
      const repos = await twin.fresh();
      const { value: r } = await createRound(repos);
      const { app, review } = await inReview(repos, r.id, 'a1');
      const appId = app.value.id;
      const recusal: Recusal = { memberId: 'u1', reason: 'declared', note: 'buurvrouw', at: NOW.toISOString() };
      expect(await repos.reviews.addRecusal(r.id, appId, recusal, ev(r.id, 'review.recused', appId), review)).toEqual({ ok: true, value: undefined });
      const raised = (await repos.reviews.bundle(r.id, appId)).review!;
      expect(raised.value.changes).toBe(1);
      expect(await repos.reviews.addRecusal(r.id, appId, { ...recusal, note: 'again' }, ev(r.id, 'review.recused', appId), raised)).toEqual(ALREADY_EXISTS);
      expect(await repos.reviews.addRecusal(r.id, appId, { ...recusal, note: 'again' }, ev(r.id, 'review.recused', appId), review)).toEqual(ALREADY_EXISTS);
      expect(
        await repos.reviews.addRecusal(r.id, appId, { memberId: 'u2', reason: 'declared', at: NOW.toISOString() }, ev(r.id, 'review.recused', appId), review),
      ).toEqual(CONFLICT);
      const bundle = await repos.reviews.bundle(r.id, appId);
      expect(bundle.recusals).toEqual([recusal]);
      expect(bundle.review).toEqual(raised);
      expect((await repos.audit.list(r.id)).filter((e) => e.action === 'review.recused')).toHaveLength(1);
    });

    it('transition: the review record and the application together, or neither', async () => {
      const repos = await twin.fresh();
      const { value: r } = await createRound(repos);
      const { app, review } = await inReview(repos, r.id, 'a1');
      const nextReview = { ...review.value, state: 'posted' as const, postedAt: NOW.toISOString() };
      const nextApp = { ...app.value, status: 'in_review' as const, rev: 2 };
      const audit = [ev(r.id, 'review.posted', app.value.id, minutes(5)), ev(r.id, 'application.step-saved', app.value.id, minutes(5))];
      // The application changed since read: nothing is written.
      const changedApp = value(await repos.applications.update(app, { ...app.value, rev: 2 }, ev(r.id, 'application.step-saved', app.value.id)));
      const auditBefore = await repos.audit.list(r.id);
      expect(await repos.reviews.transition(r.id, { current: review, next: nextReview }, { current: app, next: nextApp }, audit)).toEqual(CONFLICT);
      expect((await repos.reviews.bundle(r.id, app.value.id)).review).toEqual(review);
      // The review changed since read: nothing is written either.
      const changedReview = value(await repos.reviews.updateReview(r.id, review, { ...review.value, claimedAt: minutes(1).toISOString() }));
      expect(await repos.reviews.transition(r.id, { current: review, next: nextReview }, { current: changedApp, next: nextApp }, audit)).toEqual(CONFLICT);
      expect(await repos.applications.get(r.id, app.value.id)).toEqual(changedApp);
      expect(await repos.audit.list(r.id)).toEqual(auditBefore);
      // Both current: both written, every audit record with them.
      expect(await repos.reviews.transition(r.id, { current: changedReview, next: nextReview }, { current: changedApp, next: nextApp }, audit)).toEqual({
        ok: true,
        value: undefined,
      });
      expect((await repos.reviews.bundle(r.id, app.value.id)).review!.value).toEqual(nextReview);
      expect((await repos.applications.get(r.id, app.value.id))!.value).toEqual(nextApp);
      // (Records of one moment come in no particular order.)
      expect(
        (await repos.audit.list(r.id))
          .slice(auditBefore.length)
          .map((e) => e.action)
          .sort(),
      ).toEqual(['application.step-saved', 'review.posted']);
    });

    it('questions: answered under their ETag (a stale read is CONFLICT); a second question with the same id is refused and keeps the first', async () => {
      const repos = await twin.fresh();
      const { value: r } = await createRound(repos);
      const { app } = await inReview(repos, r.id, 'a1');
      const q: Question = { id: 'q1', applicationId: app.value.id, askedBy: 'u1', text: 'Hoe?', askedAt: NOW.toISOString() };
      await repos.reviews.addQuestion(r.id, q, ev(r.id, 'review.question-asked', app.value.id));
      await expect(repos.reviews.addQuestion(r.id, { ...q, text: 'Overwritten?' }, ev(r.id, 'review.question-asked', app.value.id))).rejects.toThrow();
      const [asked] = (await repos.reviews.bundle(r.id, app.value.id)).questions;
      expect(asked!.value).toEqual(q);
      const answer = { ...q, answer: 'Zo.', answeredAt: minutes(1).toISOString() };
      expect(await repos.reviews.answerQuestion(r.id, asked!, answer, ev(r.id, 'review.question-answered', app.value.id))).toEqual({
        ok: true,
        value: undefined,
      });
      expect(await repos.reviews.answerQuestion(r.id, asked!, { ...answer, answer: 'Anders.' }, ev(r.id, 'review.question-answered', app.value.id))).toEqual(
        CONFLICT,
      );
      expect((await repos.reviews.bundle(r.id, app.value.id)).questions.map((x) => x.value)).toEqual([answer]);
      expect((await repos.audit.list(r.id)).filter((e) => e.action.startsWith('review.question'))).toHaveLength(2);
    });
  });

  describe('AllocationRepo', () => {
    async function roundWithApps(repos: Repos) {
      const r = await createRound(repos, { id: 'LB-2026' });
      await createRound(repos, { id: 'LB-2027', year: 2027 });
      await createApp(repos, 'LB-2027', 'zz'); // another round's
      const a = await createApp(repos, r.value.id, 'a1');
      const b = await createApp(repos, r.value.id, 'b1');
      await repos.reviews.putPanelMember(r.value.id, member('u1', NOW.toISOString()), ev(r.value.id, 'panel.member-added', 'u1'));
      return { r, a, b };
    }
    const award = (app: Versioned<Application>, decisionId: string, awarded: number) => ({
      current: app,
      next: {
        ...app.value,
        status: 'awarded' as const,
        rev: app.value.rev + 1,
        decision: { decisionId, outcome: 'awarded' as const, awarded, decidedAt: NOW.toISOString() },
      },
    });

    it('snapshot: undefined for no round; else the round, its applications and panel, no ledger before the first decision, the consultation if any', async () => {
      const repos = await twin.fresh();
      expect(await repos.allocation.snapshot('LB-1999')).toBeUndefined();
      expect(await repos.allocation.snapshotWithReviews('LB-1999')).toBeUndefined();
      const { r, a, b } = await roundWithApps(repos);
      const snapshot = (await repos.allocation.snapshot(r.value.id))!;
      expect(snapshot).toEqual({ round: r, applications: [a, b], panel: await repos.reviews.listPanel(r.value.id), decisions: [] });
      const c = consultation(r.value.id, r.value);
      value(await repos.consultations.start(c, ev(r.value.id, 'consultation.started')));
      expect((await repos.allocation.snapshot(r.value.id))!.consultation).toEqual(c);
      expect((await repos.allocation.snapshotWithReviews(r.value.id))!.consultation).toEqual(c);
    });

    it('approve: ledger, applications, decision and audit in one go; a stale ledger or application is CONFLICT and writes none of them', async () => {
      const repos = await twin.fresh();
      const { r, a, b } = await roundWithApps(repos);
      const roundId = r.value.id;
      const d1 = decisionRecord(roundId, 'd1', { total: 5000 });
      expect(
        await repos.allocation.approve({
          roundId,
          round: r,
          spentAfter: 5000,
          applications: [award(a, 'd1', 5000)],
          decision: d1,
          audit: ev(roundId, 'allocation.approved', 'd1'),
        }),
      ).toEqual({ ok: true, value: undefined });
      const after1 = (await repos.allocation.snapshot(roundId))!;
      expect(after1.ledger!.value).toEqual({ spent: 5000 });
      expect(after1.decisions.map((d) => d.value)).toEqual([d1]);
      expect(after1.applications.find((x) => x.value.id === a.value.id)!.value.decision?.decisionId).toBe('d1');
      const auditAfter1 = await repos.audit.list(roundId);

      const freshA = after1.applications.find((x) => x.value.id === a.value.id)!;
      const d2 = decisionRecord(roundId, 'd2', { spentBefore: 5000, total: 3000 });
      const attempt = async (
        ledger: Versioned<{ spent: number }> | undefined,
        apps: { current: Versioned<Application>; next: Application }[],
        decision = d2,
        round?: Versioned<Round>,
      ) =>
        repos.allocation.approve({
          roundId,
          round: round ?? (await repos.rounds.get(roundId))!,
          ...(ledger ? { ledger } : {}),
          spentAfter: 8000,
          applications: apps,
          decision,
          audit: ev(roundId, 'allocation.approved', decision.id),
        });
      // No ledger given while there is one (a second "first" decision); a stale application among current ones.
      expect(await attempt(undefined, [award(b, 'd2', 3000)])).toEqual(CONFLICT);
      expect(await attempt(after1.ledger, [award(b, 'd2', 3000), award(a, 'd2', 1)])).toEqual(CONFLICT);
      // The same decision id again, everything else current.
      expect(await attempt(after1.ledger, [award(b, 'd1', 3000)], { ...d2, id: 'd1' })).toEqual(CONFLICT);
      expect(await repos.allocation.snapshot(roundId)).toEqual(after1);
      expect(await repos.audit.list(roundId)).toEqual(auditAfter1);
      // From current versions it goes through; the old ledger version is then stale.
      expect(await attempt(after1.ledger, [award(b, 'd2', 3000), award(freshA, 'd2', 0)])).toEqual({ ok: true, value: undefined });
      expect(await attempt(after1.ledger, [], decisionRecord(roundId, 'd3'))).toEqual(CONFLICT);
      const after2 = (await repos.allocation.snapshot(roundId))!;
      expect(after2.ledger!.value).toEqual({ spent: 8000 });
      expect(after2.decisions.map((d) => d.value.id)).toEqual(['d1', 'd2']);
      expect(await repos.allocation.decisions(roundId)).toEqual(after2.decisions);
      expect(await repos.allocation.decisions('LB-2027')).toEqual([]);
    });

    it('approve: a decision that does not fit one transaction is refused before anything is written', async () => {
      const repos = await twin.fresh();
      const { r, a } = await roundWithApps(repos);
      const many = Array.from({ length: 98 }, (_, i) => award({ ...a, value: { ...a.value, id: id20(`m${i}`) } }, 'big', 1));
      await expect(
        repos.allocation.approve({
          roundId: r.value.id,
          round: r,
          spentAfter: 98,
          applications: many,
          decision: decisionRecord(r.value.id, 'big'),
          audit: ev(r.value.id, 'allocation.approved', 'big'),
        }),
      ).rejects.toThrow(RangeError);
      expect(await repos.allocation.decisions(r.value.id)).toEqual([]);
    });

    it('markAnnounced: from the current version it marks the decision; from a stale one it does nothing (and does not throw)', async () => {
      const repos = await twin.fresh();
      const { r } = await roundWithApps(repos);
      const roundId = r.value.id;
      value(
        await repos.allocation.approve({
          roundId,
          round: (await repos.rounds.get(roundId))!,
          spentAfter: 0,
          applications: [],
          decision: decisionRecord(roundId, 'd1'),
          audit: ev(roundId, 'allocation.approved', 'd1'),
        }),
      );
      const [d] = await repos.allocation.decisions(roundId);
      await repos.allocation.markAnnounced(roundId, d!);
      const [marked] = await repos.allocation.decisions(roundId);
      expect(marked!.value).toEqual({ ...d!.value, announced: true });
      await repos.allocation.markAnnounced(roundId, { ...d!, value: { ...d!.value, fingerprint: 'stale' } });
      expect(await repos.allocation.decisions(roundId)).toEqual([marked]);
    });

    it('snapshotWithReviews: what snapshot gives, plus a bundle for every application with review rows (as bundle() reads it) and none for the others', async () => {
      const repos = await twin.fresh();
      const { r, a, b } = await roundWithApps(repos);
      const roundId = r.value.id;
      const review = value(await repos.reviews.claim(roundId, reviewRecord(a.value.id)));
      value(await repos.reviews.saveSheet(roundId, a.value.id, sheet('u1'), undefined, ev(roundId, 'review.scored', a.value.id), review));
      await repos.reviews.addQuestion(
        roundId,
        { id: 'q1', applicationId: a.value.id, askedBy: 'u1', text: '?', askedAt: NOW.toISOString() },
        ev(roundId, 'review.question-asked', a.value.id),
      );
      value(
        await repos.allocation.approve({
          roundId,
          round: (await repos.rounds.get(roundId))!,
          spentAfter: 0,
          applications: [],
          decision: decisionRecord(roundId, 'd1'),
          audit: ev(roundId, 'allocation.approved', 'd1'),
        }),
      );
      // Rows a snapshot never carries, to be left out.
      await repos.allocation.putMark(
        roundId,
        { fingerprint: '1-abcdef12', memberId: 'u1', name: 'U1', role: 'gemeente', agree: true, at: NOW.toISOString() },
        ev(roundId, 'allocation.marked'),
      );
      await repos.outbox.enqueue([outboxEntry(roundId, 'o1')]);
      const { bundles, ...rest } = (await repos.allocation.snapshotWithReviews(roundId))!;
      expect(rest).toEqual(await repos.allocation.snapshot(roundId));
      expect([...bundles.keys()]).toEqual([a.value.id]);
      expect(bundles.get(a.value.id)).toEqual(await repos.reviews.bundle(roundId, a.value.id));
      expect(bundles.get(b.value.id)).toBeUndefined();
    });

    it('marks: one per member and fingerprint (a second replaces the first), listed by member id', async () => {
      const repos = await twin.fresh();
      const { r } = await roundWithApps(repos);
      const roundId = r.value.id;
      const mark = (memberId: string, fingerprint: string, agree: boolean): PanelMark => ({
        fingerprint,
        memberId,
        name: memberId,
        role: 'partner',
        agree,
        at: NOW.toISOString(),
      });
      for (const m of [
        mark('u3', '1-aaaaaaaa', true),
        mark('u1', '1-aaaaaaaa', false),
        mark('u2', '2-bbbbbbbb', true),
        { ...mark('u3', '1-aaaaaaaa', false), remark: 'toch niet' },
      ]) {
        await repos.allocation.putMark(roundId, m, ev(roundId, 'allocation.marked', m.memberId));
      }
      expect(await repos.allocation.listMarks(roundId, '1-aaaaaaaa')).toEqual([
        mark('u1', '1-aaaaaaaa', false),
        { ...mark('u3', '1-aaaaaaaa', false), remark: 'toch niet' },
      ]);
      expect(await repos.allocation.listMarks(roundId, '2-bbbbbbbb')).toEqual([mark('u2', '2-bbbbbbbb', true)]);
      expect(await repos.allocation.listMarks(roundId, '3-cccccccc')).toEqual([]);
      expect(await repos.allocation.listMarks('LB-2027', '1-aaaaaaaa')).toEqual([]);
    });

    it("all marks: the round's marks on every version of the proposal (by version, then member), a replaced one once, no other round's", async () => {
      const repos = await twin.fresh();
      const { r } = await roundWithApps(repos);
      const roundId = r.value.id;
      const mark = (memberId: string, fingerprint: string, agree: boolean, remark?: string): PanelMark => ({
        fingerprint,
        memberId,
        name: memberId,
        role: 'partner',
        agree,
        ...(remark ? { remark } : {}),
        at: NOW.toISOString(),
      });
      expect(await repos.allocation.listAllMarks(roundId)).toEqual([]);
      for (const [rid, m] of [
        [roundId, mark('u2', '2-bbbbbbbb', true)],
        [roundId, mark('u3', '1-aaaaaaaa', true)],
        ['LB-2027', mark('u1', '1-aaaaaaaa', true, 'andere ronde')],
        [roundId, mark('u1', '1-aaaaaaaa', false)],
        [roundId, mark('u3', '1-aaaaaaaa', false, 'toch niet')],
      ] as const) {
        await repos.allocation.putMark(rid, m, ev(rid, 'allocation.marked', m.memberId));
      }
      expect(await repos.allocation.listAllMarks(roundId)).toEqual([
        mark('u1', '1-aaaaaaaa', false),
        mark('u3', '1-aaaaaaaa', false, 'toch niet'),
        mark('u2', '2-bbbbbbbb', true),
      ]);
      expect(await repos.allocation.listAllMarks('LB-2027')).toEqual([mark('u1', '1-aaaaaaaa', true, 'andere ronde')]);
      expect(await repos.allocation.listAllMarks('LB-1999')).toEqual([]);
    });

    it('proposal posts: claimed once per fingerprint; a second claim is ALREADY_EXISTS and keeps the first', async () => {
      const repos = await twin.fresh();
      const { r } = await roundWithApps(repos);
      const roundId = r.value.id;
      const post = {
        fingerprint: '1-aaaaaaaa',
        threadId: '19:c;messageid=1',
        activityId: '1',
        serviceUrl: 'https://smba.example/',
        tenantId: 't',
        botId: 'b',
        postedAt: NOW.toISOString(),
      };
      expect(await repos.allocation.getProposalPost(roundId, post.fingerprint)).toBeUndefined();
      expect(await repos.allocation.claimProposalPost(roundId, post, ev(roundId, 'allocation.shared'))).toEqual({ ok: true, value: undefined });
      expect(await repos.allocation.claimProposalPost(roundId, { ...post, activityId: '2' }, ev(roundId, 'allocation.shared'))).toEqual(ALREADY_EXISTS);
      expect(await repos.allocation.getProposalPost(roundId, post.fingerprint)).toEqual(post);
      expect(await repos.allocation.getProposalPost(roundId, '2-bbbbbbbb')).toBeUndefined();
      expect((await repos.audit.list(roundId)).filter((e) => e.action === 'allocation.shared')).toHaveLength(1);
    });
  });

  describe('OutboxRepo', () => {
    it("list: a round's entries by creation time, then id; a repeated enqueue stores nothing twice and resets nothing", async () => {
      const repos = await twin.fresh();
      const entries = [
        outboxEntry('LB-2026', 'b', { createdAt: minutes(1).toISOString() }),
        outboxEntry('LB-2026', 'c', { createdAt: minutes(0).toISOString() }),
        outboxEntry('LB-2026', 'a', { createdAt: minutes(1).toISOString() }),
        outboxEntry('LB-2027', 'x'),
      ];
      await repos.outbox.enqueue(entries);
      expect((await repos.outbox.list('LB-2026')).map((e) => e.id)).toEqual(['c', 'a', 'b']);
      expect(await repos.outbox.list('LB-2027')).toEqual([entries[3]]);
      const [due] = await repos.outbox.due(NOW, 60_000);
      const sent = value(await repos.outbox.update(due!, { ...due!.value, state: 'sent', sentAt: NOW.toISOString() }));
      await repos.outbox.enqueue(entries.slice(0, 3));
      const listed = await repos.outbox.list('LB-2026');
      expect(listed).toHaveLength(3);
      expect(listed.find((e) => e.id === sent.value.id)).toEqual(sent.value);
    });

    it('an entry stored again with another creation time (a retry an hour later) is still stored once', async () => {
      const repos = await twin.fresh();
      const first = outboxEntry('LB-2026', 'notice-1', { createdAt: minutes(0).toISOString() });
      await repos.outbox.enqueue([first]);
      await repos.outbox.enqueue([{ ...first, createdAt: minutes(60).toISOString() }]);
      expect(await repos.outbox.list('LB-2026')).toEqual([first]);
      expect(await repos.outbox.due(minutes(61), 60_000)).toHaveLength(1);
    });

    it('due: pending from notBefore on, or sending and claimed too long ago; oldest first across rounds; at most `limit`', async () => {
      const repos = await twin.fresh();
      const stale = 5 * 60_000;
      await repos.outbox.enqueue([
        outboxEntry('LB-2026', 'now', { createdAt: minutes(-3).toISOString(), notBefore: NOW.toISOString() }),
        outboxEntry('LB-2026', 'later', { createdAt: minutes(-9).toISOString(), notBefore: minutes(1).toISOString() }),
        outboxEntry('LB-2026', 'sent', { createdAt: minutes(-8).toISOString(), state: 'sent' }),
        outboxEntry('LB-2026', 'failed', { createdAt: minutes(-8).toISOString(), state: 'failed' }),
        outboxEntry('LB-2026', 'stuck', { createdAt: minutes(-1).toISOString(), state: 'sending', claimedAt: minutes(-5).toISOString() }),
        outboxEntry('LB-2026', 'busy', { createdAt: minutes(-7).toISOString(), state: 'sending', claimedAt: minutes(-4).toISOString() }),
        // Sending without a claim time: never stuck for good.
        outboxEntry('LB-2026', 'unclaimed', { createdAt: minutes(-2).toISOString(), state: 'sending' }),
      ]);
      await repos.outbox.enqueue([outboxEntry('LB-2027', 'other', { createdAt: minutes(-6).toISOString(), notBefore: minutes(-6).toISOString() })]);
      expect((await repos.outbox.due(NOW, stale)).map((e) => e.value.id)).toEqual(['other', 'now', 'unclaimed', 'stuck']);
      expect((await repos.outbox.due(NOW, stale, 2)).map((e) => e.value.id)).toEqual(['other', 'now']);
      expect((await repos.outbox.due(minutes(2), stale)).map((e) => e.value.id)).toEqual(['later', 'busy', 'other', 'now', 'unclaimed', 'stuck']);
    });

    it('update is ETag-guarded: of two dispatchers claiming from the same read, one wins and the other gets CONFLICT', async () => {
      const repos = await twin.fresh();
      await repos.outbox.enqueue([outboxEntry('LB-2026', 'o1')]);
      const [due] = await repos.outbox.due(NOW, 60_000);
      const claim = (by: string) => repos.outbox.update(due!, { ...due!.value, state: 'sending', claimedAt: NOW.toISOString(), lastError: by });
      const results = await Promise.all([claim('a'), claim('b')]);
      expect(results.filter((x) => !x.ok)).toEqual([CONFLICT]);
      const winner = results.find((x) => x.ok)!;
      expect(await repos.outbox.list('LB-2026')).toEqual([value(winner).value]);
      expect(await repos.outbox.due(NOW, 60_000)).toEqual([]);
      // The winner's ETag is current.
      value(await repos.outbox.update(value(winner), { ...value(winner).value, state: 'sent' }));
    });
  });

  describe('ConsultationRepo', () => {
    it('start once per round (a second is ALREADY_EXISTS and keeps the first); state has the consultation, responses by user, decisions', async () => {
      const repos = await twin.fresh();
      const { value: r } = await createRound(repos);
      expect(await repos.consultations.state(r.id)).toBeUndefined();
      const c = consultation(r.id, r);
      const started = value(await repos.consultations.start(c, ev(r.id, 'consultation.started')));
      expect(await repos.consultations.start({ ...c, startedBy: 'other' }, ev(r.id, 'consultation.started'))).toEqual(ALREADY_EXISTS);
      for (const u of ['zoe', 'adam']) value(await repos.consultations.saveResponse(r.id, response(u), undefined, ev(r.id, 'consultation.responded', u)));
      value(
        await repos.consultations.decide(
          r.id,
          'adam|integraal',
          { accepted: true, reply: 'ok', decidedBy: 'boss', decidedAt: NOW.toISOString() },
          ev(r.id, 'consultation.decided'),
        ),
      );
      const state = (await repos.consultations.state(r.id))!;
      expect(state.consultation).toEqual(started);
      expect(state.responses.map((x) => x.value)).toEqual([response('adam'), response('zoe')]);
      expect(state.decisions).toEqual({ 'adam|integraal': { accepted: true, reply: 'ok', decidedBy: 'boss', decidedAt: NOW.toISOString() } });
      expect((await repos.audit.list(r.id)).map((e) => e.action).sort()).toEqual([
        'consultation.decided',
        'consultation.responded',
        'consultation.responded',
        'consultation.started',
        'round.created',
      ]);
    });

    it('saveResponse: created once, replaced under its ETag; a second create or a stale ETag is CONFLICT and changes nothing', async () => {
      const repos = await twin.fresh();
      const { value: r } = await createRound(repos);
      value(await repos.consultations.start(consultation(r.id, r), ev(r.id, 'consultation.started')));
      value(await repos.consultations.saveResponse(r.id, response('sanne'), undefined, ev(r.id, 'consultation.responded')));
      expect(await repos.consultations.saveResponse(r.id, response('sanne', { role: 'gemeente' }), undefined, ev(r.id, 'consultation.responded'))).toEqual(
        CONFLICT,
      );
      const [first] = (await repos.consultations.state(r.id))!.responses;
      value(
        await repos.consultations.saveResponse(
          r.id,
          response('sanne', { updatedAt: minutes(1).toISOString() }),
          first!.etag,
          ev(r.id, 'consultation.responded'),
        ),
      );
      expect(
        await repos.consultations.saveResponse(
          r.id,
          response('sanne', { updatedAt: minutes(2).toISOString() }),
          first!.etag,
          ev(r.id, 'consultation.responded'),
        ),
      ).toEqual(CONFLICT);
      const { responses } = (await repos.consultations.state(r.id))!;
      expect(responses.map((x) => x.value)).toEqual([response('sanne', { updatedAt: minutes(1).toISOString() })]);
      expect((await repos.audit.list(r.id)).filter((e) => e.action === 'consultation.responded')).toHaveLength(2);
    });

    it('decide: once per proposal; a second decision is ALREADY_EXISTS and keeps the first', async () => {
      const repos = await twin.fresh();
      const { value: r } = await createRound(repos);
      value(await repos.consultations.start(consultation(r.id, r), ev(r.id, 'consultation.started')));
      const yes = { accepted: true, reply: 'ja', decidedBy: 'boss', decidedAt: NOW.toISOString() };
      value(await repos.consultations.decide(r.id, 'p1', yes, ev(r.id, 'consultation.decided')));
      expect(await repos.consultations.decide(r.id, 'p1', { ...yes, accepted: false }, ev(r.id, 'consultation.decided'))).toEqual(ALREADY_EXISTS);
      expect((await repos.consultations.state(r.id))!.decisions).toEqual({ p1: yes });
    });

    it('publish: the consultation and the round together under their ETags; a stale one is CONFLICT and writes neither; after a submission FROZEN, even from a stale read', async () => {
      const repos = await twin.fresh();
      const round0 = await createRound(repos);
      const roundId = round0.value.id;
      const c0 = value(await repos.consultations.start(consultation(roundId, round0.value), ev(roundId, 'consultation.started')));
      const published = { ...c0.value, status: 'published' as const, publishedAt: NOW.toISOString(), publishedVersion: 2 };
      const nextRound = { ...round0.value, criteria: { ...round0.value.criteria, version: 2 } };
      const publish = (consultationV: Versioned<Consultation>, roundV: Versioned<Round>) =>
        repos.consultations.publish({ consultation: consultationV, next: published, round: roundV, nextRound, audit: ev(roundId, 'consultation.published') });
      // The round changed since read.
      const round1 = value(await repos.rounds.update(round0, { ...round0.value, name: 'Renamed' }, ev(roundId, 'round.updated')));
      expect(await publish(c0, round0)).toEqual(CONFLICT);
      expect((await repos.consultations.state(roundId))!.consultation).toEqual(c0);
      expect(await repos.rounds.get(roundId)).toEqual(round1);
      // The consultation changed since read (a stale ETag of it).
      expect(await publish({ ...c0, etag: round0.etag }, round1)).toEqual(CONFLICT);
      expect(await repos.rounds.get(roundId)).toEqual(round1);
      expect((await repos.audit.list(roundId)).filter((e) => e.action === 'consultation.published')).toEqual([]);
      // Both current.
      expect(await publish(c0, round1)).toEqual({ ok: true, value: undefined });
      expect((await repos.consultations.state(roundId))!.consultation.value).toEqual(published);
      expect((await repos.rounds.get(roundId))!.value).toEqual(nextRound);

      // Another round, with a submission: FROZEN, whether the reads are current or not.
      const other = await createRound(repos, { id: 'LB-2027', year: 2027 });
      const oc = value(await repos.consultations.start(consultation('LB-2027', other.value), ev('LB-2027', 'consultation.started')));
      value(await submitApp(repos, await createApp(repos, 'LB-2027', 'a1')));
      const publishOther = (consultationV: Versioned<Consultation>) =>
        repos.consultations.publish({
          consultation: consultationV,
          next: { ...oc.value, status: 'published' },
          round: other,
          nextRound: { ...other.value, name: 'x' },
          audit: ev('LB-2027', 'consultation.published'),
        });
      expect(await publishOther(oc)).toEqual(FROZEN);
      expect(await publishOther({ ...oc, etag: other.etag })).toEqual(FROZEN);
      expect((await repos.consultations.state('LB-2027'))!.consultation).toEqual(oc);
    });
  });

  describe('ConversationRepo', () => {
    it("saves and replaces a person's conversation reference; the locale is optional", async () => {
      const repos = await twin.fresh();
      expect(await repos.conversations.get('u-1')).toBeUndefined();
      const record = {
        userId: 'u-1',
        conversationId: 'a:1',
        reference: { conversation: { id: 'a:1' }, serviceUrl: 'https://smba.example/' },
        locale: 'nl-NL',
        updatedAt: NOW.toISOString(),
      };
      await repos.conversations.save(record);
      expect(await repos.conversations.get('u-1')).toEqual(record);
      const replaced = { userId: 'u-1', conversationId: 'a:2', reference: { conversation: { id: 'a:2' } }, updatedAt: minutes(1).toISOString() };
      await repos.conversations.save(replaced);
      expect(await repos.conversations.get('u-1')).toEqual(replaced);
      expect(await repos.conversations.get("o'brien")).toBeUndefined();
    });

    it('saveIfAbsent keeps the first conversation stored: a second create (or one after the person chatted) stores nothing and gets the kept one', async () => {
      const repos = await twin.fresh();
      const created = { userId: 'u-1', conversationId: 'a:created', reference: { conversation: { id: 'a:created' } }, updatedAt: NOW.toISOString() };
      expect(await repos.conversations.saveIfAbsent(created)).toEqual(created);
      const other = { ...created, conversationId: 'a:other', reference: { conversation: { id: 'a:other' } } };
      expect(await repos.conversations.saveIfAbsent(other)).toEqual(created);
      expect(await repos.conversations.get('u-1')).toEqual(created);
      const [a, b] = await Promise.all([
        repos.conversations.saveIfAbsent({ ...created, userId: 'u-2', conversationId: 'a:x' }),
        repos.conversations.saveIfAbsent({ ...created, userId: 'u-2', conversationId: 'a:y' }),
      ]);
      expect(a).toEqual(b);
      expect((await repos.conversations.list()).map((c) => c.userId)).toEqual(['u-1', 'u-2']);
    });

    it('roster addresses: stored per person (replaced on the next read), listed apart from conversations, more than one transaction holds', async () => {
      const repos = await twin.fresh();
      const address = (i: number, name = `Lid ${i}`) => ({
        userId: `u-${String(i).padStart(3, '0')}`,
        rosterId: `29:m${i}`,
        tenantId: 't-1',
        serviceUrl: 'https://smba.example/',
        botId: '28:bot',
        name,
        updatedAt: NOW.toISOString(),
      });
      expect(await repos.conversations.getRoster('u-001')).toBeUndefined();
      await repos.conversations.saveRoster(Array.from({ length: 130 }, (_, i) => address(i)));
      await repos.conversations.saveRoster([address(1, 'Andere naam'), address(1, 'Andere naam')]);
      expect(await repos.conversations.getRoster('u-001')).toEqual(address(1, 'Andere naam'));
      const all = await repos.conversations.listRoster();
      expect(all).toHaveLength(130);
      expect(all[0]).toEqual(address(0));
      expect(await repos.conversations.list()).toEqual([]);
    });
  });

  describe('ReminderRepo', () => {
    it('record: the record and its messages together; a second record of the reminder is ALREADY_EXISTS and stores none of its messages', async () => {
      const repos = await twin.fresh();
      const roundId = 'LB-2026';
      expect(await repos.reminders.record(roundId, reminderRecord(roundId, 'r2'), [outboxEntry(roundId, 'm2')], ev(roundId, 'reminder.sent', 'r2'))).toEqual({
        ok: true,
        value: undefined,
      });
      expect(
        await repos.reminders.record(
          roundId,
          reminderRecord(roundId, 'r1'),
          [outboxEntry(roundId, 'm1a'), outboxEntry(roundId, 'm1b')],
          ev(roundId, 'reminder.sent', 'r1'),
        ),
      ).toEqual({ ok: true, value: undefined });
      expect(
        await repos.reminders.record(
          roundId,
          { ...reminderRecord(roundId, 'r1'), recordedBy: 'instance-b' },
          [outboxEntry(roundId, 'm1c')],
          ev(roundId, 'reminder.sent', 'r1'),
        ),
      ).toEqual(ALREADY_EXISTS);
      expect(await repos.reminders.list(roundId)).toEqual([reminderRecord(roundId, 'r1'), reminderRecord(roundId, 'r2')]);
      expect((await repos.outbox.list(roundId)).map((e) => e.id)).toEqual(['m1a', 'm1b', 'm2']);
      expect(
        (await repos.audit.list(roundId))
          .filter((e) => e.action === 'reminder.sent')
          .map((e) => e.subjectId)
          .sort(),
      ).toEqual(['r1', 'r2']);
      expect(await repos.reminders.list('LB-2027')).toEqual([]);
    });

    it('record: messages of another round, or more than one transaction holds, are refused before anything is written', async () => {
      const repos = await twin.fresh();
      const roundId = 'LB-2026';
      await expect(
        repos.reminders.record(roundId, reminderRecord(roundId, 'r1'), [outboxEntry('LB-2027', 'm1')], ev(roundId, 'reminder.sent', 'r1')),
      ).rejects.toThrow(RangeError);
      const many = Array.from({ length: 100 }, (_, i) => outboxEntry(roundId, `m${i}`));
      await expect(repos.reminders.record(roundId, reminderRecord(roundId, 'r2'), many, ev(roundId, 'reminder.sent', 'r2'))).rejects.toThrow(RangeError);
      expect(await repos.reminders.list(roundId)).toEqual([]);
      expect(await repos.outbox.list(roundId)).toEqual([]);
      expect(await repos.outbox.list('LB-2027')).toEqual([]);
    });
  });

  describe('LeaseRepo', () => {
    it('acquire: free, expired or already its own; held by another until it expires; release only by the holder', async () => {
      const repos = await twin.fresh();
      const ttl = 60_000;
      expect(await repos.leases.acquire('reminders', 'a', ttl, NOW)).toBe(true);
      expect(await repos.leases.acquire('reminders', 'b', ttl, minutes(0.5))).toBe(false);
      // Another name is another lease.
      expect(await repos.leases.acquire('announcer', 'b', ttl, NOW)).toBe(true);
      // The holder extends it.
      expect(await repos.leases.acquire('reminders', 'a', ttl, minutes(0.5))).toBe(true);
      expect(await repos.leases.acquire('reminders', 'b', ttl, minutes(1))).toBe(false);
      // Expired (at the very moment it ends): someone else takes it over.
      expect(await repos.leases.acquire('reminders', 'b', ttl, minutes(1.5))).toBe(true);
      expect(await repos.leases.acquire('reminders', 'a', ttl, minutes(1.6))).toBe(false);
      // A release by someone who does not hold it changes nothing.
      await repos.leases.release('reminders', 'a');
      expect(await repos.leases.acquire('reminders', 'a', ttl, minutes(1.7))).toBe(false);
      await repos.leases.release('reminders', 'b');
      expect(await repos.leases.acquire('reminders', 'a', ttl, minutes(1.7))).toBe(true);
      await repos.leases.release('nothing', 'a');
    });

    it('acquire: of two instances racing for a free or expired lease, one wins', async () => {
      const repos = await twin.fresh();
      const race = async (at: Date) => (await Promise.all(['a', 'b', 'c'].map((o) => repos.leases.acquire('job', o, 60_000, at)))).filter(Boolean).length;
      expect(await race(NOW)).toBe(1);
      expect(await race(minutes(2))).toBe(1);
    });
  });

  describe('PrivacyRepo', () => {
    const request = (userId: string, extra: Partial<DeletionRequest> = {}): DeletionRequest => ({
      userId,
      rev: 1,
      state: 'open',
      requestedAt: NOW.toISOString(),
      lang: 'nl',
      ...extra,
    });
    /** Audit records are listed by time: each write here gets its own minute. */
    let minute = 0;
    const globalEv = (action: AuditAction, subjectId: string) => auditEvent(GLOBAL, 'tester', action, subjectId, minutes(++minute));
    const message = (id: string) => outboxEntry(GLOBAL, id, { kind: 'privacy.deletion-request', target: { type: 'user', userId: 'boss' } });

    it('save creates a request with its audit record and messages in one write; get and list read it back (list by person)', async () => {
      const repos = await twin.fresh();
      expect(await repos.privacy.get('anouk')).toBeUndefined();
      expect(await repos.privacy.list()).toEqual([]);
      const saved = value(await repos.privacy.save(request('zoe'), undefined, globalEv('privacy.deletion-requested', 'zoe'), [message('m1'), message('m2')]));
      expect(saved.value).toEqual(request('zoe'));
      expect(saved.etag).toBeTruthy();
      value(await repos.privacy.save(request('anouk', { lang: 'en' }), undefined, globalEv('privacy.deletion-requested', 'anouk'), []));
      expect(await repos.privacy.get('zoe')).toEqual(saved);
      expect((await repos.privacy.list()).map((r) => r.value.userId)).toEqual(['anouk', 'zoe']);
      expect((await repos.privacy.list()).find((r) => r.value.userId === 'zoe')).toEqual(saved);
      expect((await repos.outbox.list(GLOBAL)).map((e) => e.id)).toEqual(['m1', 'm2']);
      expect((await repos.audit.list(GLOBAL)).map((e) => [e.action, e.subjectId])).toEqual([
        ['privacy.deletion-requested', 'zoe'],
        ['privacy.deletion-requested', 'anouk'],
      ]);
      // Nothing of it in a round's partition.
      expect(await repos.audit.list('LB-2026')).toEqual([]);
    });

    it('a second create for the same person, or a replace from a stale ETag, is CONFLICT and writes nothing (no audit record, no message)', async () => {
      const repos = await twin.fresh();
      const first = value(await repos.privacy.save(request('zoe'), undefined, globalEv('privacy.deletion-requested', 'zoe'), []));
      expect(await repos.privacy.save(request('zoe', { rev: 9 }), undefined, globalEv('privacy.deletion-requested', 'zoe'), [message('dup')])).toEqual(
        CONFLICT,
      );
      const decided = request('zoe', { rev: 2, state: 'approved', decidedBy: 'boss', decidedAt: minutes(1).toISOString() });
      const second = value(await repos.privacy.save(decided, first.etag, globalEv('privacy.deletion-decided', 'zoe'), [message('answer')]));
      expect(second.etag).not.toBe(first.etag);
      // Two accounthouders deciding from the same read: the second is refused.
      expect(
        await repos.privacy.save(request('zoe', { rev: 2, state: 'refused', reason: 'nee' }), first.etag, globalEv('privacy.deletion-decided', 'zoe'), [
          message('late'),
        ]),
      ).toEqual(CONFLICT);
      expect(await repos.privacy.get('zoe')).toEqual(second);
      expect((await repos.outbox.list(GLOBAL)).map((e) => e.id)).toEqual(['answer']);
      expect((await repos.audit.list(GLOBAL)).map((e) => e.action)).toEqual(['privacy.deletion-requested', 'privacy.deletion-decided']);
      // The outcome (a nested record) reads back as written.
      const outcome: DeletionRequest['outcome'] = {
        applications: 1,
        removed: {
          applicationFields: ['contactName', 'question'],
          resultsFields: [],
          comments: 3,
          overallRemarks: 0,
          recusalNotes: 0,
          questions: 1,
          answers: 1,
          applicantPseudonymised: true,
        },
        auditRecords: 4,
        kept: ['amounts', 'wijk'],
      };
      const done = value(await repos.privacy.save({ ...decided, rev: 3, outcome }, second.etag, globalEv('privacy.deletion-decided', 'psn_x'), []));
      expect((await repos.privacy.get('zoe'))?.value.outcome).toEqual(outcome);
      expect(done.value.outcome).toEqual(outcome);
    });

    it('refuses, before writing, a message or audit record outside the global partition', async () => {
      const repos = await twin.fresh();
      await expect(repos.privacy.save(request('zoe'), undefined, globalEv('privacy.deletion-requested', 'zoe'), [outboxEntry('LB-2026', 'x')])).rejects.toThrow(
        RangeError,
      );
      await expect(repos.privacy.save(request('zoe'), undefined, ev('LB-2026', 'privacy.deletion-requested', 'zoe'), [])).rejects.toThrow(RangeError);
      expect(await repos.privacy.get('zoe')).toBeUndefined();
      expect(await repos.audit.list(GLOBAL)).toEqual([]);
    });
  });

  describe('AuditRepo', () => {
    it("list: one round's records, oldest first, whatever order they were written in", async () => {
      const repos = await twin.fresh();
      const r = await createRound(repos, { id: 'LB-2026' });
      await createRound(repos, { id: 'LB-2027', year: 2027 });
      const v = value(await repos.rounds.update(r, { ...r.value, name: 'b' }, ev('LB-2026', 'round.updated', 'LB-2026', minutes(2), { step: 2 })));
      value(await repos.rounds.update(v, { ...r.value, name: 'a' }, ev('LB-2026', 'round.updated', 'LB-2026', minutes(1), { step: 1 })));
      expect(await repos.audit.list('LB-2026')).toEqual([
        ev('LB-2026', 'round.created'),
        ev('LB-2026', 'round.updated', 'LB-2026', minutes(1), { step: 1 }),
        ev('LB-2026', 'round.updated', 'LB-2026', minutes(2), { step: 2 }),
      ]);
      expect(await repos.audit.list('LB-2027')).toEqual([ev('LB-2027', 'round.created')]);
      expect(await repos.audit.list('LB-1999')).toEqual([]);
    });

    it('ping answers', async () => {
      const repos = await twin.fresh();
      expect(await repos.ping()).toBe(true);
    });
  });
});
