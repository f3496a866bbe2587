import { describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { amsterdamInstant } from '../../src/domain/round-settings';
import { composeReminder } from '../../src/scheduler/reminder-job';
import { memoryRepos } from '../../src/store/memory-repos';
import type { Repos } from '../../src/ports';
import { currentProposal } from '../../src/usecases/allocation-proposal';
import { approveAllocation } from '../../src/usecases/approve-allocation';
import { createRound, startRound } from '../../src/usecases/create-round';
import { currentRounds } from '../../src/usecases/current-round';
import { pickRound } from '../../src/usecases/pick-round';
import { adminRound, criteriaFrozen } from '../../src/usecases/admin-round';
import { saveStep } from '../../src/usecases/save-step';
import { sendDueReminders } from '../../src/usecases/send-due-reminders';
import { startApplication } from '../../src/usecases/start-application';
import { submitApplication } from '../../src/usecases/submit-application';
import { fixedClock, NOW, VALID_INPUT } from '../fixtures';
import { ACCOUNTHOUDER, linkedRound, reviewedRound } from '../support/rounds';

const yes = { partnerInSocialeBasis: true, activeInMunicipality: true, collectiveAnswer: true };
const YEAR = NOW.getUTCFullYear();
const LB = `LB-${YEAR}`;
const LBN = `LBN-${YEAR}`;
const ANOUK = '00000000-0000-4000-a000-0000000000a1';
const BRAM = '00000000-0000-4000-a000-0000000000b2';

/** Two rounds open in the same year: the demo round and a second regeling with its own budget and an earlier deadline. */
async function twoRounds(repos: Repos = memoryRepos()) {
  const clock = fixedClock();
  const deps = { repos, clock, accounthouders: [ACCOUNTHOUDER] };
  const lb = await linkedRound(repos);
  const lbn = await linkedRound(repos, {
    id: LBN,
    referencePrefix: 'LBN',
    name: `Leerbudget najaar ${YEAR}`,
    budget: 20_000,
    opensAt: amsterdamInstant(`${YEAR}-11-16`, '09:00'),
    submissionDeadline: amsterdamInstant(`${YEAR}-11-26`, '17:00'),
  });
  return { deps, repos, clock, lb, lbn };
}

async function apply(deps: Awaited<ReturnType<typeof twoRounds>>['deps'], applicantId: string, roundId: string | undefined, token: string) {
  const started = await startApplication(deps, { applicantId, cardToken: token, answers: yes, ...(roundId ? { roundId } : {}) });
  if (!started.ok) return started;
  let app = started.value.value;
  for (const step of STEPS) {
    const saved = await saveStep(deps, {
      applicantId,
      roundId: app.roundId,
      applicationId: app.id,
      step,
      rev: app.rev,
      raw: VALID_INPUT[step],
      direction: 'next',
    });
    if (!saved.ok) throw new Error(step);
    app = saved.value.value;
  }
  return submitApplication(deps, { applicantId, roundId: app.roundId, applicationId: app.id, rev: app.rev });
}

describe('two rounds in one year', () => {
  it('a partner must choose when both are open; each submission gets its own round and reference series', async () => {
    const { deps, repos } = await twoRounds();
    expect((await currentRounds(deps)).filter((r) => r.window === 'open').map((r) => r.round.id)).toEqual([LBN, LB]);
    expect(await startApplication(deps, { applicantId: ANOUK, cardToken: 'token-0001', answers: yes })).toEqual({ ok: false, error: { code: 'CHOOSE_ROUND' } });
    expect(await repos.applications.listByApplicant(ANOUK)).toEqual([]);

    const a = await apply(deps, ANOUK, LBN, 'token-0001');
    const b = await apply(deps, BRAM, LBN, 'token-0002');
    const c = await apply(deps, ANOUK, LB, 'token-0003');
    const refs = [a, b, c].map((r) => (r.ok ? `${r.value.application.roundId} ${r.value.application.reference}` : r.error.code));
    expect(refs).toEqual([`${LBN} LBN-${YEAR}-001`, `${LBN} LBN-${YEAR}-002`, `${LB} LB-${YEAR}-001`]);
  });

  it('the same card token in two rounds makes two drafts, never one shared id', async () => {
    const { deps, repos } = await twoRounds();
    const x = await startApplication(deps, { applicantId: ANOUK, cardToken: 'token-0001', answers: yes, roundId: LB });
    const y = await startApplication(deps, { applicantId: ANOUK, cardToken: 'token-0001', answers: yes, roundId: LBN });
    const again = await startApplication(deps, { applicantId: ANOUK, cardToken: 'token-0001', answers: yes, roundId: LBN });
    expect(x.ok && y.ok && again.ok).toBe(true);
    if (!x.ok || !y.ok || !again.ok) return;
    expect(x.value.value.id).not.toBe(y.value.value.id);
    expect(again.value.value.id).toBe(y.value.value.id);
    expect((await repos.applications.listByApplicant(ANOUK)).map((d) => d.value.roundId).sort()).toEqual([LB, LBN]);
  });

  it('a tampered round id is not found and opens nothing', async () => {
    const { deps, repos } = await twoRounds();
    expect(await startApplication(deps, { applicantId: ANOUK, cardToken: 'token-0001', answers: yes, roundId: `XYZ-${YEAR}` })).toEqual({
      ok: false,
      error: { code: 'ROUND_NOT_FOUND' },
    });
    expect(await repos.applications.listByApplicant(ANOUK)).toEqual([]);
  });

  it('approvals spend each round its own budget', async () => {
    const repos = memoryRepos();
    const lb = await reviewedRound(repos, [
      { requested: 15_000, score: 5 },
      { requested: 15_000, score: 4 },
    ]);
    const lbn = await reviewedRound(
      repos,
      [
        { requested: 15_000, score: 5 },
        { requested: 15_000, score: 4 },
      ],
      {
        id: LBN,
        referencePrefix: 'LBN',
        budget: 20_000,
      },
    );
    const approve = async (roundId: string) => {
      const p = (await currentProposal(lb.deps, roundId))!;
      const res = await approveAllocation(lb.deps, { actorId: ACCOUNTHOUDER, roundId, fingerprint: p.fingerprint, adjustments: {} });
      expect(res.ok).toBe(true);
    };
    await approve(LBN);
    const spent = async (roundId: string) => (await repos.allocation.snapshot(roundId))!.ledger?.value.spent ?? 0;
    // 20,000: one whole award and 5,000 of the next (partial awards are allowed); LB's 50,000 untouched.
    expect(await spent(LBN)).toBe(20_000);
    expect(await spent(LB)).toBe(0);
    await approve(LB);
    expect(await spent(LB)).toBe(30_000);
    expect(await spent(LBN)).toBe(20_000);
    const decided = (await repos.allocation.snapshot(LBN))!.applications.map((a) => a.value.status);
    expect(decided.every((s) => s === 'awarded')).toBe(true);
    expect(lbn.round.id).toBe(LBN);
  });

  it('reminders are per round: each round its own deadline, its own drafters, in its own partition', async () => {
    const { deps, repos } = await twoRounds();
    await startApplication(deps, { applicantId: ANOUK, cardToken: 'token-0001', answers: yes, roundId: LBN });
    await startApplication(deps, { applicantId: BRAM, cardToken: 'token-0002', answers: yes, roundId: LB });
    for (const userId of [ANOUK, BRAM, ACCOUNTHOUDER])
      await repos.conversations.save({
        userId,
        conversationId: `a:${userId}`,
        reference: { conversation: { id: `a:${userId}` } },
        updatedAt: NOW.toISOString(),
      });
    // Three days before LBN's deadline (26 November), four weeks before LB's: both have a reminder due.
    deps.clock.set(new Date(amsterdamInstant(`${YEAR}-11-25`, '12:00')));
    const res = await sendDueReminders(deps, { owner: 'test', compose: composeReminder, useLease: false });
    expect(res.rounds).toBe(2);
    const drafts = async (roundId: string) => (await repos.reminders.list(roundId)).filter((r) => r.kind === 'draft.unsubmitted' && r.state === 'sent');
    const [lbn, lb] = [await drafts(LBN), await drafts(LB)];
    expect(lbn.length).toBeGreaterThan(0);
    expect(new Set(lbn.map((r) => r.deadline))).toEqual(new Set([amsterdamInstant(`${YEAR}-11-26`, '17:00')]));
    expect(lbn.flatMap((r) => r.recipients).join(' ')).toContain(ANOUK);
    expect(lbn.flatMap((r) => r.recipients).join(' ')).not.toContain(BRAM);
    for (const r of lb) expect(r.deadline).toBe((await repos.rounds.get(LB))!.value.submissionDeadline);
    expect(lb.flatMap((r) => r.recipients).join(' ')).not.toContain(ANOUK);
    // Run again: nothing twice.
    const again = await sendDueReminders(deps, { owner: 'test', compose: composeReminder, useLease: false });
    expect(again.sent).toBe(0);
  });
});

describe('starting another round', () => {
  const raw = (over: Record<string, string> = {}) => ({ name: 'Leerbudget najaar', prefix: 'lbn', year: String(YEAR), ...over });

  it('starts LBN next to LB, copying the chosen round, audited; the same card again makes nothing twice', async () => {
    const { deps, repos } = await twoRounds();
    const res = await startRound(deps, { actorId: ACCOUNTHOUDER, token: 'card-token-1', raw: raw({ prefix: 'lbz' }), copyFrom: LBN });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const round = res.value.round.value;
    expect(res.value.created).toBe(true);
    expect(round).toMatchObject({ id: `LBZ-${YEAR}`, referencePrefix: 'LBZ', name: 'Leerbudget najaar', year: YEAR, status: 'draft', budget: 20_000 });
    expect(round.submissionDeadline).toBe(amsterdamInstant(`${YEAR}-11-26`, '17:00'));
    const again = await startRound(deps, { actorId: ACCOUNTHOUDER, token: 'card-token-1', raw: raw({ prefix: 'lbz' }), copyFrom: LBN });
    expect(again).toMatchObject({ ok: true, value: { created: false, round: { value: { id: `LBZ-${YEAR}` } } } });
    const audit = (await repos.audit.list(`LBZ-${YEAR}`)).filter((e) => e.action === 'round.created');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: ACCOUNTHOUDER, details: { copiedFrom: LBN, prefix: 'LBZ' } });
  });

  it('without a choice copies the latest round (the latest opening: LBN), dates moved to its year', async () => {
    const { deps } = await twoRounds();
    const res = await startRound(deps, { actorId: ACCOUNTHOUDER, token: 'card-token-2', raw: raw({ prefix: 'LBV', year: String(YEAR + 1) }) });
    expect(res.ok && res.value.round.value.id).toBe(`LBV-${YEAR + 1}`);
    expect(res.ok && res.value.round.value.budget).toBe(20_000);
    expect(res.ok && res.value.round.value.submissionDeadline).toBe(amsterdamInstant(`${YEAR + 1}-11-26`, '17:00'));
  });

  it('refuses a prefix that year already has, and bad input, storing nothing', async () => {
    const { deps, repos } = await twoRounds();
    const before = (await repos.rounds.list()).length;
    expect(await startRound(deps, { actorId: ACCOUNTHOUDER, token: 'card-token-3', raw: raw({ prefix: 'LBN' }) })).toEqual({
      ok: false,
      error: { code: 'INVALID', errors: { prefix: 'prefixTaken' } },
    });
    expect(await startRound(deps, { actorId: ACCOUNTHOUDER, token: 'card-token-4', raw: { name: ' ', prefix: 'L8', year: '26' } })).toEqual({
      ok: false,
      error: { code: 'INVALID', errors: { name: 'required', prefix: 'prefixLetters', year: 'year' } },
    });
    expect(await startRound(deps, { actorId: ACCOUNTHOUDER, token: 'card-token-5', raw: raw({ prefix: 'LBQ' }), copyFrom: `XX-${YEAR}` })).toEqual({
      ok: false,
      error: { code: 'SOURCE_NOT_FOUND' },
    });
    // The same prefix in another year is another round.
    expect((await startRound(deps, { actorId: ACCOUNTHOUDER, token: 'card-token-6', raw: raw({ prefix: 'LBN', year: String(YEAR + 1) }) })).ok).toBe(true);
    expect((await repos.rounds.list()).length).toBe(before + 1);
  });

  it('"Nieuwe ronde {year}" continues the series of the round whose card it is on', async () => {
    const { deps } = await twoRounds();
    const next = await createRound(deps, { actorId: ACCOUNTHOUDER, year: YEAR + 1, from: LBN });
    expect(next.ok && next.value.value).toMatchObject({ id: `LBN-${YEAR + 1}`, referencePrefix: 'LBN', budget: 20_000 });
    const other = await createRound(deps, { actorId: ACCOUNTHOUDER, year: YEAR + 1, from: LB });
    expect(other.ok && other.value.value).toMatchObject({ id: `LB-${YEAR + 1}`, budget: 50_000 });
    // Pressed again: that round, not a second one.
    expect(await createRound(deps, { actorId: ACCOUNTHOUDER, year: YEAR + 1, from: LB })).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS' } });
  });

  it('refuses someone who is not an accounthouder', async () => {
    const { deps, repos } = await twoRounds();
    expect(await startRound(deps, { actorId: ANOUK, token: 'card-token-7', raw: raw({ prefix: 'LBZ' }) })).toEqual({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await repos.rounds.get(`LBZ-${YEAR}`)).toBeUndefined();
  });
});

describe('which round a command means', () => {
  it('named: that one or not found; a year with two rounds or no name with two live rounds: a choice', async () => {
    const { deps } = await twoRounds();
    const kindOf = async (arg: Parameters<typeof pickRound>[1]) => {
      const p = await pickRound(deps, arg, adminRound);
      return p.kind === 'round' ? p.round.value.id : p.kind === 'choose' ? `choose ${p.rounds.map((r) => r.id).join(',')}` : p.kind;
    };
    expect(await kindOf({ id: LBN })).toBe(LBN);
    expect(await kindOf({ id: `LBX-${YEAR}` })).toBe('not-found');
    expect(await kindOf({ year: YEAR })).toBe(`choose ${LB},${LBN}`);
    expect(await kindOf({ year: YEAR + 3 })).toBe('none');
    expect(await kindOf(undefined)).toBe(`choose ${LB},${LBN}`);
  });

  it('a command with a rule (raadpleging: criteria not frozen) takes the one live round that fits it', async () => {
    const { deps } = await twoRounds();
    const relevant = async (d: Parameters<typeof criteriaFrozen>[0], r: Parameters<typeof criteriaFrozen>[1]) => !(await criteriaFrozen(d, r));
    expect(await pickRound(deps, undefined, adminRound, relevant)).toMatchObject({ kind: 'choose' });
    expect((await apply(deps, ANOUK, LB, 'token-0001')).ok).toBe(true);
    expect(await pickRound(deps, undefined, adminRound, relevant)).toMatchObject({ kind: 'round', round: { value: { id: LBN } } });
    // Both frozen: the choice again.
    expect((await apply(deps, BRAM, LBN, 'token-0002')).ok).toBe(true);
    expect(await pickRound(deps, undefined, adminRound, relevant)).toMatchObject({ kind: 'choose' });
  });

  it('with one live round, nothing changes: the default round', async () => {
    const repos = memoryRepos();
    const clock = fixedClock();
    await linkedRound(repos);
    expect(await pickRound({ repos, clock }, undefined, adminRound)).toMatchObject({ kind: 'round', round: { value: { id: LB } } });
  });
});
