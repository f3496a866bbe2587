import { describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { defaultCriteria } from '../../src/domain/criteria';
import { RawCriteriaEdit, toRawCriterion } from '../../src/domain/criteria-edit';
import { toRawSettings } from '../../src/domain/round-settings';
import { memoryRepos } from '../../src/store/memory-repos';
import { createRound } from '../../src/usecases/create-round';
import { saveStep } from '../../src/usecases/save-step';
import { seedDemoRound } from '../../src/usecases/seed-demo-round';
import { setRoundStatus } from '../../src/usecases/set-round-status';
import { startApplication } from '../../src/usecases/start-application';
import { submitApplication } from '../../src/usecases/submit-application';
import { updateCriteria } from '../../src/usecases/update-criteria';
import { updateRoundSettings } from '../../src/usecases/update-round-settings';
import { fixedClock, VALID_INPUT } from '../fixtures';

const INGRID = 'ingrid';
const ROUND = 'LB-2026';

async function setup() {
  const repos = memoryRepos();
  const clock = fixedClock();
  const deps = { repos, clock, accounthouders: [INGRID] };
  await seedDemoRound(deps);
  return { deps, repos, clock };
}
type Ctx = Awaited<ReturnType<typeof setup>>;

const drawn = (set = defaultCriteria()): RawCriteriaEdit => ({
  rows: Object.fromEntries(set.items.map((c) => [c.id, { ...toRawCriterion(c), remove: 'false' }])),
  added: { title: '', weight: '1', scaleMin: '1', scaleMax: '5' },
});
const edited = (title: string) => {
  const raw = drawn();
  raw.rows.regie = { ...raw.rows.regie, title };
  return raw;
};

async function submitOne({ deps }: Ctx, applicantId = 'anouk') {
  const started = await startApplication(deps, {
    applicantId,
    cardToken: 'token-0001',
    answers: { partnerInSocialeBasis: true, activeInMunicipality: true, collectiveAnswer: true },
  });
  if (!started.ok) throw new Error('start');
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
  const submitted = await submitApplication(deps, { applicantId, roundId: app.roundId, applicationId: app.id, rev: app.rev });
  if (!submitted.ok) throw new Error('submit');
}

describe('only the accounthouder configures rounds', () => {
  it('everyone else gets FORBIDDEN and nothing changes', async () => {
    const ctx = await setup();
    const { deps, repos } = ctx;
    const before = await repos.rounds.get(ROUND);
    const raw = toRawSettings(before!.value);
    const auditBefore = repos.auditEvents.length;
    expect(await updateRoundSettings(deps, { actorId: 'anouk', roundId: ROUND, etag: before!.etag, raw: { ...raw, name: 'Gekaapt' } })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await setRoundStatus(deps, { actorId: 'anouk', roundId: ROUND, from: 'open', to: 'closed' })).toEqual({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await updateCriteria(deps, { actorId: 'anouk', roundId: ROUND, version: 1, raw: edited('x') })).toEqual({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await createRound(deps, { actorId: 'anouk', year: 2027 })).toEqual({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await createRound(deps, { actorId: '', year: 2027 })).toEqual({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await repos.rounds.get(ROUND)).toEqual(before);
    expect(await repos.rounds.get('LB-2027')).toBeUndefined();
    expect(repos.auditEvents.length).toBe(auditBefore);
  });

  it('an accounthouder added in the store may, like one from config', async () => {
    const { deps, repos } = await setup();
    await repos.roles.addAccounthouder(
      { userId: 'kees', name: 'Kees', addedBy: INGRID, addedAt: 'x' },
      { roundId: 'global', at: 'x', actorId: INGRID, action: 'role.accounthouder-added', subjectId: 'kees' },
    );
    expect((await createRound(deps, { actorId: 'kees', year: 2027 })).ok).toBe(true);
  });
});

describe('round settings', () => {
  it('saves valid settings, audited with the fields that changed', async () => {
    const { deps, repos } = await setup();
    const current = (await repos.rounds.get(ROUND))!;
    const res = await updateRoundSettings(deps, {
      actorId: INGRID,
      roundId: ROUND,
      etag: current.etag,
      raw: { ...toRawSettings(current.value), budget: '60.000', quorum: '4' },
    });
    expect(res.ok && res.value.changed).toBe(true);
    const stored = (await repos.rounds.get(ROUND))!.value;
    expect(stored).toEqual({ ...current.value, budget: 60_000, quorum: 4 });
    expect(repos.auditEvents.at(-1)).toMatchObject({ roundId: ROUND, actorId: INGRID, action: 'round.updated', details: { fields: 'budget,quorum' } });
  });

  it('invalid input stores nothing and names the field', async () => {
    const { deps, repos } = await setup();
    const current = (await repos.rounds.get(ROUND))!;
    const auditBefore = repos.auditEvents.length;
    const res = await updateRoundSettings(deps, {
      actorId: INGRID,
      roundId: ROUND,
      etag: current.etag,
      raw: { ...toRawSettings(current.value), maxPerApplication: '60000' },
    });
    expect(!res.ok && res.error.code === 'INVALID' && res.error.errors).toEqual({ maxPerApplication: 'aboveBudget' });
    expect(await repos.rounds.get(ROUND)).toEqual(current);
    expect(repos.auditEvents.length).toBe(auditBefore);
  });

  it('saving unchanged values writes nothing', async () => {
    const { deps, repos } = await setup();
    const current = (await repos.rounds.get(ROUND))!;
    const auditBefore = repos.auditEvents.length;
    const res = await updateRoundSettings(deps, { actorId: INGRID, roundId: ROUND, etag: current.etag, raw: toRawSettings(current.value) });
    expect(res.ok && res.value.changed).toBe(false);
    expect((await repos.rounds.get(ROUND))?.etag).toBe(current.etag);
    expect(repos.auditEvents.length).toBe(auditBefore);
  });

  it('a card drawn before someone else saved is STALE and comes back with the fresh round', async () => {
    const { deps, repos } = await setup();
    const old = (await repos.rounds.get(ROUND))!;
    const first = await updateRoundSettings(deps, { actorId: INGRID, roundId: ROUND, etag: old.etag, raw: { ...toRawSettings(old.value), name: 'Eerste' } });
    expect(first.ok).toBe(true);
    const second = await updateRoundSettings(deps, { actorId: INGRID, roundId: ROUND, etag: old.etag, raw: { ...toRawSettings(old.value), name: 'Tweede' } });
    expect(!second.ok && second.error.code).toBe('STALE');
    expect(!second.ok && second.error.code === 'STALE' && second.error.round.value.name).toBe('Eerste');
    expect((await repos.rounds.get(ROUND))?.value.name).toBe('Eerste');
  });

  it('a write racing another one (ETag conflict at the store) is STALE', async () => {
    const { deps, repos } = await setup();
    const current = (await repos.rounds.get(ROUND))!;
    const realGet = repos.rounds.get.bind(repos.rounds);
    // Someone saves between our read and our write.
    repos.rounds.get = async (id: string) => {
      const read = await realGet(id);
      repos.rounds.get = realGet;
      await repos.rounds.update(
        read!,
        { ...read!.value, name: 'Tussendoor' },
        { roundId: ROUND, at: 'x', actorId: INGRID, action: 'round.updated', subjectId: ROUND },
      );
      return read;
    };
    const res = await updateRoundSettings(deps, { actorId: INGRID, roundId: ROUND, etag: current.etag, raw: { ...toRawSettings(current.value), quorum: '5' } });
    expect(!res.ok && res.error.code).toBe('STALE');
    expect((await repos.rounds.get(ROUND))?.value).toMatchObject({ name: 'Tussendoor', quorum: 3 });
  });
});

describe('round status', () => {
  it('pauses, reopens and closes; closed is final; each change audited', async () => {
    const { deps, repos } = await setup();
    const step = (from: 'draft' | 'open' | 'paused' | 'closed', to: 'open' | 'paused' | 'closed') =>
      setRoundStatus(deps, { actorId: INGRID, roundId: ROUND, from, to });
    expect((await step('open', 'paused')).ok).toBe(true);
    expect((await step('paused', 'open')).ok).toBe(true);
    expect((await step('open', 'closed')).ok).toBe(true);
    const reopen = await step('closed', 'open');
    expect(!reopen.ok && reopen.error.code).toBe('TRANSITION');
    expect((await repos.rounds.get(ROUND))?.value.status).toBe('closed');
    const changes = repos.auditEvents.filter((e) => e.action === 'round.status-changed').map((e) => `${e.details?.from}→${e.details?.to}`);
    expect(changes).toEqual(['open→paused', 'paused→open', 'open→closed']);
  });

  it('the same button twice changes nothing the second time; a button from an older card is STALE', async () => {
    const { deps, repos } = await setup();
    expect(await setRoundStatus(deps, { actorId: INGRID, roundId: ROUND, from: 'open', to: 'paused' })).toMatchObject({ ok: true, value: { changed: true } });
    expect(await setRoundStatus(deps, { actorId: INGRID, roundId: ROUND, from: 'open', to: 'paused' })).toMatchObject({ ok: true, value: { changed: false } });
    const old = await setRoundStatus(deps, { actorId: INGRID, roundId: ROUND, from: 'open', to: 'closed' });
    expect(!old.ok && old.error.code).toBe('STALE');
    expect((await repos.rounds.get(ROUND))?.value.status).toBe('paused');
    expect(repos.auditEvents.filter((e) => e.action === 'round.status-changed')).toHaveLength(1);
  });

  it('a draft opens, but not after its submission deadline', async () => {
    const { deps, clock } = await setup();
    const created = await createRound(deps, { actorId: INGRID, year: 2027 });
    expect(created.ok && created.value.value.status).toBe('draft');
    expect(await setRoundStatus(deps, { actorId: INGRID, roundId: 'LB-2027', from: 'draft', to: 'paused' })).toMatchObject({
      ok: false,
      error: { code: 'TRANSITION' },
    });
    clock.set(new Date('2028-06-01T10:00:00Z'));
    expect(await setRoundStatus(deps, { actorId: INGRID, roundId: 'LB-2027', from: 'draft', to: 'open' })).toMatchObject({
      ok: false,
      error: { code: 'DEADLINE_PASSED' },
    });
    clock.set(new Date('2026-12-01T10:00:00Z'));
    expect(await setRoundStatus(deps, { actorId: INGRID, roundId: 'LB-2027', from: 'draft', to: 'open' })).toMatchObject({
      ok: true,
      value: { changed: true },
    });
  });
});

describe('criteria', () => {
  it('an edit becomes the next version, audited', async () => {
    const { deps, repos } = await setup();
    const res = await updateCriteria(deps, { actorId: INGRID, roundId: ROUND, version: 1, raw: edited('De inwoner houdt de regie') });
    expect(res.ok && res.value.changed).toBe(true);
    const stored = (await repos.rounds.get(ROUND))!.value.criteria;
    expect(stored.version).toBe(2);
    expect(stored.items.find((c) => c.id === 'regie')?.title).toBe('De inwoner houdt de regie');
    expect(repos.auditEvents.at(-1)).toMatchObject({ action: 'round.criteria-changed', actorId: INGRID, details: { version: 2, count: 7 } });
  });

  it('a card of an older version is STALE; the fresh round comes back', async () => {
    const { deps, repos } = await setup();
    await updateCriteria(deps, { actorId: INGRID, roundId: ROUND, version: 1, raw: edited('Eerst') });
    const res = await updateCriteria(deps, { actorId: INGRID, roundId: ROUND, version: 1, raw: edited('Daarna') });
    expect(!res.ok && res.error.code === 'STALE' && res.error.round.value.criteria.version).toBe(2);
    expect((await repos.rounds.get(ROUND))!.value.criteria.items.find((c) => c.id === 'regie')?.title).toBe('Eerst');
  });

  it('invalid input stores nothing', async () => {
    const { deps, repos } = await setup();
    const before = await repos.rounds.get(ROUND);
    const res = await updateCriteria(deps, { actorId: INGRID, roundId: ROUND, version: 1, raw: edited('') });
    expect(!res.ok && res.error.code === 'INVALID' && res.error.errors).toEqual({ rows: { regie: { title: 'required' } } });
    expect(await repos.rounds.get(ROUND)).toEqual(before);
  });

  it('is FROZEN once an application has been submitted, and stays as it was', async () => {
    const ctx = await setup();
    await submitOne(ctx);
    const before = await ctx.repos.rounds.get(ROUND);
    const res = await updateCriteria(ctx.deps, { actorId: INGRID, roundId: ROUND, version: 1, raw: edited('Te laat') });
    expect(!res.ok && res.error.code).toBe('FROZEN');
    expect(await ctx.repos.rounds.get(ROUND)).toEqual(before);
    expect(ctx.repos.auditEvents.some((e) => e.action === 'round.criteria-changed')).toBe(false);
  });

  it('a submission between our read and our write makes the write FROZEN (checked in the same write)', async () => {
    const ctx = await setup();
    const realCount = ctx.repos.rounds.submissionCount.bind(ctx.repos.rounds);
    // The use case's early check sees no submission; the submission lands right after it.
    ctx.repos.rounds.submissionCount = async (id: string) => {
      const n = await realCount(id);
      ctx.repos.rounds.submissionCount = realCount;
      await submitOne(ctx);
      return n;
    };
    const res = await updateCriteria(ctx.deps, { actorId: INGRID, roundId: ROUND, version: 1, raw: edited('Net te laat') });
    expect(!res.ok && res.error.code).toBe('FROZEN');
    expect((await ctx.repos.rounds.get(ROUND))!.value.criteria.version).toBe(1);
  });

  it('settings may still change after a submission (only the criteria freeze)', async () => {
    const ctx = await setup();
    await submitOne(ctx);
    const current = (await ctx.repos.rounds.get(ROUND))!;
    const res = await updateRoundSettings(ctx.deps, {
      actorId: INGRID,
      roundId: ROUND,
      etag: current.etag,
      raw: { ...toRawSettings(current.value), name: 'Nieuwe naam' },
    });
    expect(res.ok).toBe(true);
  });
});

describe('a new round', () => {
  it('copies the latest round into the year, in draft, with default criteria; audited', async () => {
    const { deps, repos } = await setup();
    await updateCriteria(deps, { actorId: INGRID, roundId: ROUND, version: 1, raw: edited('Aangepast') });
    const res = await createRound(deps, { actorId: INGRID, year: 2027 });
    expect(res.ok).toBe(true);
    const r = (await repos.rounds.get('LB-2027'))!.value;
    expect(r).toMatchObject({ id: 'LB-2027', year: 2027, status: 'draft', name: 'Wijkgericht leerbudget 2027', budget: 50_000, criteria: defaultCriteria() });
    expect(repos.auditEvents.at(-1)).toMatchObject({ roundId: 'LB-2027', action: 'round.created', actorId: INGRID, details: { copiedFrom: ROUND } });
  });

  it('is refused when the year already has a round (also a second click)', async () => {
    const { deps } = await setup();
    expect((await createRound(deps, { actorId: INGRID, year: 2027 })).ok).toBe(true);
    const again = await createRound(deps, { actorId: INGRID, year: 2027 });
    expect(!again.ok && again.error.code === 'ALREADY_EXISTS' && again.error.round.value.id).toBe('LB-2027');
    expect(await createRound(deps, { actorId: INGRID, year: 2026 })).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS' } });
    expect(await createRound(deps, { actorId: INGRID, year: 1999 })).toEqual({ ok: false, error: { code: 'INVALID_YEAR' } });
  });
});
