import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import type { Deps } from '../../src/usecases/deps';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { saveStep } from '../../src/usecases/save-step';
import { seedDemoRound } from '../../src/usecases/seed-demo-round';
import { startApplication } from '../../src/usecases/start-application';
import { submitApplication } from '../../src/usecases/submit-application';
import { fixedClock, VALID_INPUT } from '../fixtures';
import { startAzurite, RunningAzurite } from '../support/azurite';

/**
 * Linking to the registry on Table Storage: the registry's entry and index rows are written in
 * one transaction in the global partition, so people registering the same new organisation at
 * the same moment make one entry, and everyone who lost the race links the winner's.
 */
let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite?.stop());

const ACCOUNTHOUDER = '00000000-0000-4000-8000-00000000000a';
const applicant = (i: number) => `00000000-0000-4000-a000-0000000000${String(i).padStart(2, '0')}`;
let tables = 0;

async function setup(): Promise<Deps> {
  const clients = tableClients(azurite.connectionString, `OrgLink${++tables}`);
  await ensureTables(clients);
  const deps = { repos: tableRepos(clients), clock: fixedClock(), accounthouders: [ACCOUNTHOUDER] };
  await seedDemoRound(deps);
  return deps;
}

async function draft(deps: Deps, who: string, organisation: string) {
  const started = await startApplication(deps, {
    applicantId: who,
    cardToken: `token-${who.slice(-8)}`,
    answers: { partnerInSocialeBasis: true, activeInMunicipality: true, collectiveAnswer: true },
  });
  if (!started.ok) throw new Error('start');
  let app = started.value.value;
  for (const step of STEPS) {
    const raw = step === 'organisation' ? { ...VALID_INPUT.organisation, organisation, coApplicants: '' } : VALID_INPUT[step];
    const saved = await saveStep(deps, { applicantId: who, roundId: app.roundId, applicationId: app.id, step, rev: app.rev, raw, direction: 'next' });
    if (!saved.ok) throw new Error(step);
    app = saved.value.value;
  }
  return app;
}

describe('linking to the registry at the same moment (Azurite)', () => {
  it('six submissions and a partner added to the panel, all naming one new organisation at once: one entry, all linked to it, references gap-free', async () => {
    const deps = await setup();
    const spellings = ['Stichting Samen Sterk', 'Samen Sterk', 'samen sterk', 'Samen  Sterk', 'SAMEN STERK', 'Stichting Samen-Sterk'];
    const drafts = await Promise.all(spellings.map((name, i) => draft(deps, applicant(i), name)));
    const [panel, ...submitted] = await Promise.all([
      addPanelMember(deps, {
        actorId: ACCOUNTHOUDER,
        person: { userId: '00000000-0000-4000-8000-0000000000b1', mri: '29:b1', name: 'Sanne' },
        role: 'partner',
        organisation: 'Samen Sterk',
      }),
      ...drafts.map((d, i) => submitApplication(deps, { applicantId: applicant(i), roundId: d.roundId, applicationId: d.id, rev: d.rev })),
    ]);
    const entries = await deps.repos.organisations.list();
    expect(entries).toHaveLength(1);
    const id = entries[0]!.value.id;
    for (const s of submitted) expect(s.ok && s.value.application.fields.organisationId).toBe(id);
    expect(panel.ok && panel.value.members[0]?.organisationId).toBe(id);
    expect(submitted.map((s) => (s.ok ? s.value.application.reference : '')).sort()).toEqual([
      'LB-2026-001',
      'LB-2026-002',
      'LB-2026-003',
      'LB-2026-004',
      'LB-2026-005',
      'LB-2026-006',
    ]);
    const registered = (await deps.repos.audit.list('global')).filter((e) => e.action === 'organisation.registered');
    expect(registered).toHaveLength(1);
  });
});
