import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFields } from '../../src/domain/application';
import { auditEvent } from '../../src/domain/audit';
import type { ApplicationForm } from '../../src/domain/form';
import { Round } from '../../src/domain/round';
import type { Repos } from '../../src/ports';
import { tableRepos } from '../../src/store/table-repos';
import { ensureTables, tableClients } from '../../src/store/tables';
import { submitApplication } from '../../src/usecases/submit-application';
import { fixedClock, NOW, round } from '../fixtures';
import { CUSTOM_FORM } from '../support/forms';
import { RunningAzurite, startAzurite } from '../support/azurite';
import { completeFields, draftRounds } from '../support/race-rounds';

/**
 * The form is frozen at the first submission in the same guarded write as the criteria: a form
 * change racing the first submission either commits first — and the submission is checked
 * against the new form — or is refused (FROZEN). Never a submission under a form that was
 * replaced meanwhile.
 */
let azurite: RunningAzurite;
let repos: Repos;

beforeAll(async () => {
  azurite = await startAzurite();
  const clients = tableClients(azurite.connectionString, 'FormRace');
  await ensureTables(clients);
  repos = tableRepos(clients);
});
afterAll(() => azurite?.stop());

/** The custom form without its file question: a draft can be complete under both forms. */
const NEW_FORM: ApplicationForm = { ...CUSTOM_FORM, steps: CUSTOM_FORM.steps.map((s) => ({ ...s, questions: s.questions.filter((q) => q.type !== 'file') })) };

const complete: ApplicationFields = { ...completeFields(), answers: { q1: 'Jongeren', q2: 'groep', q3: 25 } };

const newRoundWithDraft = draftRounds(() => repos, 2300, 'b');
const roundWithDraft = (fields: ApplicationFields = complete) => newRoundWithDraft(fields);

const deps = (r: Repos = repos) => ({ repos: r, clock: fixedClock(), accounthouders: [] });
const submit = (r: Round, appId: string, rs: Repos = repos) =>
  submitApplication(deps(rs), { applicantId: 'anouk', roundId: r.id, applicationId: appId, rev: 1 });
async function changeForm(r: Round, form: ApplicationForm) {
  const current = (await repos.rounds.get(r.id))!;
  return repos.rounds.update(current, { ...current.value, form }, auditEvent(r.id, 'ingrid', 'round.updated', r.id, NOW));
}

describe('a form change racing the first submission (Azurite)', () => {
  it('a change that lands after the submission read the round: the submission is checked again against the new form', async () => {
    const { r, appId } = await roundWithDraft();
    let changed = false;
    // The submission has read the round (default form) and validated; the form changes just before it writes.
    const racing: Repos = {
      ...repos,
      applications: {
        ...repos.applications,
        get: (a, b) => repos.applications.get(a, b),
        listByApplicant: (a) => repos.applications.listByApplicant(a),
        listByRound: (a) => repos.applications.listByRound(a),
        create: (a, b) => repos.applications.create(a, b),
        update: (a, b, c) => repos.applications.update(a, b, c),
        async submit(current, next, audit, reference) {
          if (!changed) {
            changed = true;
            expect((await changeForm(r, NEW_FORM)).ok).toBe(true);
          }
          return repos.applications.submit(current, next, audit, reference);
        },
      },
    };
    const s = await submit(r, appId, racing);
    expect(changed).toBe(true);
    expect(s.ok && s.value.application).toMatchObject({ status: 'submitted', formVersion: NEW_FORM.version, reference: `LB-${r.year}-001` });
    expect((await repos.applications.get(r.id, appId))!.value.formVersion).toBe(NEW_FORM.version);
  });

  it('a change the draft does not meet: the submission is refused as incomplete under the new form, nothing submitted', async () => {
    const { answers: _, ...withoutAnswers } = complete;
    const { r, appId } = await roundWithDraft(withoutAnswers);
    const racing: Repos = {
      ...repos,
      applications: {
        ...repos.applications,
        get: (a, b) => repos.applications.get(a, b),
        listByApplicant: (a) => repos.applications.listByApplicant(a),
        listByRound: (a) => repos.applications.listByRound(a),
        create: (a, b) => repos.applications.create(a, b),
        update: (a, b, c) => repos.applications.update(a, b, c),
        async submit(current, next, audit, reference) {
          if ((await repos.rounds.get(r.id))!.value.form === undefined) expect((await changeForm(r, NEW_FORM)).ok).toBe(true);
          return repos.applications.submit(current, next, audit, reference);
        },
      },
    };
    const s = await submit(r, appId, racing);
    expect(!s.ok && s.error).toMatchObject({ code: 'INCOMPLETE', step: 'plan' });
    expect((await repos.applications.get(r.id, appId))!.value.status).toBe('draft');
    expect(await repos.rounds.submissionCount(r.id)).toBe(0);
  });

  it('after the first submission a form change is FROZEN, even by a write that did not ask for the guard', async () => {
    const { r, appId } = await roundWithDraft();
    expect((await submit(r, appId)).ok).toBe(true);
    const changed = await changeForm(r, NEW_FORM);
    expect(!changed.ok && changed.error.code).toBe('FROZEN');
    expect((await repos.rounds.get(r.id))!.value.form).toBeUndefined();
  });

  it('run at the same moment, many times: the submission’s form version is always the stored form’s', async () => {
    const outcomes = { changeFirst: 0, frozen: 0 };
    for (let trial = 0; trial < 12; trial++) {
      const { r, appId } = await roundWithDraft();
      const [c, s] = await Promise.all([changeForm(r, NEW_FORM), submit(r, appId)]);
      expect(s.ok, `trial ${trial}: submission`).toBe(true);
      const stored = (await repos.rounds.get(r.id))!.value;
      const app = (await repos.applications.get(r.id, appId))!.value;
      if (c.ok) {
        outcomes.changeFirst++;
        expect(stored.form).toEqual(NEW_FORM);
        expect(app.formVersion, `trial ${trial}`).toBe(NEW_FORM.version);
      } else {
        outcomes.frozen++;
        expect(c.error.code, `trial ${trial}`).toBe('FROZEN');
        expect(stored.form).toBeUndefined();
        expect(app.formVersion, `trial ${trial}`).toBe(1);
      }
      expect(await repos.rounds.submissionCount(r.id)).toBe(1);
    }
    expect(outcomes.changeFirst + outcomes.frozen).toBe(12);
  });
});
