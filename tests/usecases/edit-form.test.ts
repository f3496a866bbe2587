import { describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { DEFAULT_FORM, questionsOf } from '../../src/domain/form';
import { memoryRepos } from '../../src/store/memory-repos';
import { editForm, loadFormEditor } from '../../src/usecases/edit-form';
import { saveStep } from '../../src/usecases/save-step';
import { seedDemoRound } from '../../src/usecases/seed-demo-round';
import { startApplication } from '../../src/usecases/start-application';
import { submitApplication } from '../../src/usecases/submit-application';
import { fixedClock, VALID_INPUT } from '../fixtures';

const INGRID = 'ingrid';
const ROUND = 'LB-2026';

async function setup() {
  const repos = memoryRepos();
  const deps = { repos, clock: fixedClock(), accounthouders: [INGRID] };
  await seedDemoRound(deps);
  return { deps, repos };
}

const add = { op: 'addQuestion' as const, stepId: 'results', type: 'longText' as const, raw: { labelNl: 'Wat leer je?', labelEn: 'What do you learn?' } };
const formChanges = async (repos: ReturnType<typeof memoryRepos>) => (await repos.audit.list(ROUND)).filter((e) => e.action === 'round.formChanged');

async function submitOne(deps: Awaited<ReturnType<typeof setup>>['deps']) {
  const started = await startApplication(deps, {
    applicantId: 'anouk',
    cardToken: 'token-0001',
    answers: { partnerInSocialeBasis: true, activeInMunicipality: true, collectiveAnswer: true },
  });
  if (!started.ok) throw new Error('start');
  let app = started.value.value;
  for (const step of STEPS) {
    const saved = await saveStep(deps, {
      applicantId: 'anouk',
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
  const submitted = await submitApplication(deps, { applicantId: 'anouk', roundId: app.roundId, applicationId: app.id, rev: app.rev });
  if (!submitted.ok) throw new Error('submit');
}

describe('editForm', () => {
  it('saves the next version on the round, with an audit record naming what changed', async () => {
    const { deps, repos } = await setup();
    const res = await editForm(deps, { actorId: INGRID, roundId: ROUND, version: 1, operation: add });
    expect(res.ok).toBe(true);
    const stored = (await repos.rounds.get(ROUND))!.value.form!;
    expect(stored.version).toBe(2);
    expect(questionsOf(stored).at(-1)!.question).toMatchObject({ id: 'q2', type: 'longText', label: { nl: 'Wat leer je?' } });
    const audit = await formChanges(repos);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: INGRID,
      subjectId: ROUND,
      details: { op: 'addQuestion', version: 2, step: 'results', question: 'q2', type: 'longText' },
    });
    // Nothing typed in the audit.
    expect(JSON.stringify(audit[0]!.details)).not.toContain('leer');
  });

  it('refuses anyone but an accounthouder, and stores nothing', async () => {
    const { deps, repos } = await setup();
    const res = await editForm(deps, { actorId: 'anouk', roundId: ROUND, version: 1, operation: add });
    expect(!res.ok && res.error.code).toBe('FORBIDDEN');
    expect((await loadFormEditor(deps, { actorId: 'anouk' })).ok).toBe(false);
    expect((await repos.rounds.get(ROUND))!.value.form).toBeUndefined();
    expect(await formChanges(repos)).toHaveLength(0);
  });

  it('a card of an older version (a second press) stores nothing and gets the current form', async () => {
    const { deps, repos } = await setup();
    expect((await editForm(deps, { actorId: INGRID, roundId: ROUND, version: 1, operation: add })).ok).toBe(true);
    const again = await editForm(deps, { actorId: INGRID, roundId: ROUND, version: 1, operation: add });
    expect(!again.ok && again.error.code).toBe('STALE');
    expect(!again.ok && again.error.code === 'STALE' && again.error.view.form.version).toBe(2);
    expect(questionsOf((await repos.rounds.get(ROUND))!.value.form!).filter((x) => /^q\d+$/.test(x.question.id))).toHaveLength(1);
    expect(await formChanges(repos)).toHaveLength(1);
  });

  it('a refused edit stores nothing and says why', async () => {
    const { deps, repos } = await setup();
    const core = await editForm(deps, { actorId: INGRID, roundId: ROUND, version: 1, operation: { op: 'removeQuestion', questionId: 'amount' } });
    expect(!core.ok && core.error.code === 'REFUSED' && core.error.reason).toEqual({ code: 'PROTECTED', reason: 'coreRemove' });
    const gone = await editForm(deps, { actorId: INGRID, roundId: ROUND, version: 1, operation: { op: 'moveQuestion', questionId: 'q77', direction: 'up' } });
    expect(!gone.ok && gone.error.code === 'REFUSED' && gone.error.reason).toEqual({ code: 'NOT_FOUND' });
    expect((await repos.rounds.get(ROUND))!.value.form).toBeUndefined();
    expect(await formChanges(repos)).toHaveLength(0);
  });

  it('is frozen from the first submission: "het formulier ligt vast"', async () => {
    const { deps, repos } = await setup();
    await submitOne(deps);
    const res = await editForm(deps, { actorId: INGRID, roundId: ROUND, version: 1, operation: add });
    expect(!res.ok && res.error.code).toBe('FROZEN');
    expect((await repos.rounds.get(ROUND))!.value.form).toBeUndefined();
    const view = await loadFormEditor(deps, { actorId: INGRID });
    expect(view.ok && view.value.frozen).toBe(true);
    expect(view.ok && view.value.form).toEqual(DEFAULT_FORM);
  });
});
