import { describe, expect, it } from 'vitest';
import { allocationCard } from '../../src/cards/allocation-cards';
import { STEPS } from '../../src/domain/application';
import { auditEvent, GLOBAL } from '../../src/domain/audit';
import type { Repos } from '../../src/ports';
import { memoryRepos } from '../../src/store/memory-repos';
import { currentProposal, unlinkedCoApplicants } from '../../src/usecases/allocation-proposal';
import type { Deps } from '../../src/usecases/deps';
import { linkReviewChannel } from '../../src/usecases/link-review-channel';
import { loadReview, viewerIn } from '../../src/usecases/load-review';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { organisationPreview, registerOrganisation } from '../../src/usecases/organisations';
import { claimReviewPost, recordReviewPosted } from '../../src/usecases/publish-review';
import { saveStep } from '../../src/usecases/save-step';
import { scoreApplication } from '../../src/usecases/score-application';
import { seedDemoRound } from '../../src/usecases/seed-demo-round';
import { startApplication } from '../../src/usecases/start-application';
import { submitApplication } from '../../src/usecases/submit-application';
import { readCard } from '../support/teams';
import { ACCOUNTHOUDER, applicantId, reviewedRound } from '../support/rounds';
import { fixedClock, VALID_INPUT } from '../fixtures';

const yes = { partnerInSocialeBasis: true, activeInMunicipality: true, collectiveAnswer: true };
const SANNE = '00000000-0000-4000-8000-0000000000b1';
const MOHAMED = '00000000-0000-4000-8000-0000000000b2';

async function setup() {
  const repos = memoryRepos();
  const deps: Deps = { repos, clock: fixedClock(), accounthouders: [ACCOUNTHOUDER] };
  const { roundId } = await seedDemoRound(deps);
  return { deps, repos, roundId };
}

let tokens = 0;
/** A complete draft through the real use cases, with the organisation step as typed. */
async function draft(deps: Deps, applicant: string, organisation: Record<string, string> = {}) {
  const started = await startApplication(deps, { applicantId: applicant, cardToken: `token-${String(++tokens).padStart(4, '0')}`, answers: yes });
  if (!started.ok) throw new Error('start');
  let app = started.value.value;
  for (const step of STEPS) {
    const raw = step === 'organisation' ? { ...VALID_INPUT.organisation, ...organisation } : VALID_INPUT[step];
    const saved = await saveStep(deps, { applicantId: applicant, roundId: app.roundId, applicationId: app.id, step, rev: app.rev, raw, direction: 'next' });
    if (!saved.ok) throw new Error(`step ${step}: ${JSON.stringify(saved.error)}`);
    app = saved.value.value;
  }
  return app;
}

const submitOf = (deps: Deps, applicant: string, app: { roundId: string; id: string; rev: number }) =>
  submitApplication(deps, { applicantId: applicant, roundId: app.roundId, applicationId: app.id, rev: app.rev });

async function register(deps: Deps, name: string, extra: { kvk?: string; aliases?: string } = {}) {
  const res = await registerOrganisation(deps, {
    actorId: ACCOUNTHOUDER,
    token: `reg-${name.replace(/\W/g, '')}-${++tokens}`.slice(0, 60),
    raw: { name, ...extra },
  });
  if (!res.ok) throw new Error(`register ${name}: ${res.error.code}`);
  return res.value.organisation;
}

const registry = async (repos: Repos) => (await repos.organisations.list()).map((v) => v.value);

describe('the applicant is linked to the registry at submission', () => {
  it('a unique match links the entry: "Buurtkracht" is Stichting Buurtkracht Zwolle; nothing new is registered', async () => {
    const { deps, repos } = await setup();
    const org = await register(deps, 'Stichting Buurtkracht Zwolle');
    const app = await draft(deps, applicantId(1), { organisation: 'Buurtkracht', coApplicants: '' });
    expect(await organisationPreview(deps, 'Buurtkracht')).toEqual({ kind: 'found', name: 'Stichting Buurtkracht Zwolle' });

    const res = await submitOf(deps, applicantId(1), app);
    expect(res.ok && res.value).toMatchObject({
      alreadySubmitted: false,
      organisationName: 'Stichting Buurtkracht Zwolle',
      application: { reference: 'LB-2026-001', fields: { organisation: 'Buurtkracht', organisationId: org.id } },
    });
    expect(res.ok && res.value.application.fields.coApplicantIds).toBeUndefined();
    expect(await registry(repos)).toHaveLength(1);
    const audit = repos.auditEvents.find((e) => e.action === 'application.submitted');
    expect(audit?.details).toMatchObject({ organisationId: org.id, organisationRegistered: false, coApplicantsUnlinked: 0 });

    // A second press: the same application, the same link, nothing twice.
    const again = await submitOf(deps, applicantId(1), app);
    expect(again.ok && again.value).toMatchObject({ alreadySubmitted: true, organisationName: 'Stichting Buurtkracht Zwolle' });
    expect(repos.auditEvents.filter((e) => e.action === 'application.submitted')).toHaveLength(1);
  });

  it('an unknown organisation is registered (source applicant, created by the applicant, audited in the global partition) and linked', async () => {
    const { deps, repos } = await setup();
    const app = await draft(deps, applicantId(1), { organisation: 'Taalhuis De Brug', coApplicants: '' });
    expect(await organisationPreview(deps, 'Taalhuis De Brug')).toEqual({ kind: 'new' });
    const res = await submitOf(deps, applicantId(1), app);
    const [entry] = await registry(repos);
    expect(entry).toMatchObject({ name: 'Taalhuis De Brug', aliases: [], source: 'applicant', createdBy: applicantId(1) });
    expect(res.ok && res.value.application.fields.organisationId).toBe(entry!.id);
    const registered = repos.auditEvents.filter((e) => e.action === 'organisation.registered');
    expect(registered).toEqual([expect.objectContaining({ roundId: GLOBAL, actorId: applicantId(1), subjectId: entry!.id, details: { source: 'applicant' } })]);
    // The name (personal data for an eenmanszaak) is in no audit record.
    expect(JSON.stringify(repos.auditEvents)).not.toContain('Taalhuis');

    // The next applicant of the same organisation, spelled otherwise, finds that entry.
    const second = await draft(deps, applicantId(2), { organisation: 'taalhuis de brug', coApplicants: '' });
    const res2 = await submitOf(deps, applicantId(2), second);
    expect(res2.ok && res2.value.application.fields.organisationId).toBe(entry!.id);
    expect(await registry(repos)).toHaveLength(1);
  });

  it('a name that fits more than one entry refuses the submission with the candidates; nothing is written, no reference is used', async () => {
    const { deps, repos } = await setup();
    await register(deps, 'Stichting Buurtkracht Zwolle');
    await register(deps, 'Buurtkracht Kampen');
    const app = await draft(deps, applicantId(1), { organisation: 'Buurtkracht' });
    expect(await organisationPreview(deps, 'Buurtkracht')).toEqual({ kind: 'ambiguous', candidates: ['Buurtkracht Kampen', 'Stichting Buurtkracht Zwolle'] });
    const auditBefore = repos.auditEvents.length;

    const res = await submitOf(deps, applicantId(1), app);
    expect(res).toMatchObject({ ok: false, error: { code: 'ORGANISATION_AMBIGUOUS', candidates: ['Buurtkracht Kampen', 'Stichting Buurtkracht Zwolle'] } });
    expect((await repos.applications.get(app.roundId, app.id))?.value).toMatchObject({ status: 'draft', rev: app.rev });
    expect(await registry(repos)).toHaveLength(2);
    expect(repos.auditEvents.length).toBe(auditBefore);

    // With the full name it goes through and still gets the first reference.
    const fixed = await saveStep(deps, {
      applicantId: applicantId(1),
      roundId: app.roundId,
      applicationId: app.id,
      step: 'organisation',
      rev: app.rev,
      raw: { ...VALID_INPUT.organisation, organisation: 'Buurtkracht Zwolle' },
      direction: 'summary',
    });
    if (!fixed.ok) throw new Error('fix');
    const done = await submitOf(deps, applicantId(1), fixed.value.value);
    expect(done.ok && done.value).toMatchObject({ organisationName: 'Stichting Buurtkracht Zwolle', application: { reference: 'LB-2026-001' } });
  });

  it('a name that is only a legal form is refused (it cannot be an entry)', async () => {
    const { deps, repos } = await setup();
    const app = await draft(deps, applicantId(1), { organisation: 'Stichting' });
    expect(await organisationPreview(deps, 'Stichting')).toEqual({ kind: 'invalid', error: 'noName' });
    const res = await submitOf(deps, applicantId(1), app);
    expect(res).toMatchObject({ ok: false, error: { code: 'ORGANISATION_INVALID', error: 'noName' } });
    expect(await registry(repos)).toEqual([]);
    expect((await repos.applications.get(app.roundId, app.id))?.value.status).toBe('draft');
  });

  it('two applicants registering the same new organisation at the same moment make one entry, and both are linked to it', async () => {
    const { deps, repos } = await setup();
    const a = await draft(deps, applicantId(1), { organisation: 'Stichting Samen Sterk', coApplicants: '' });
    const b = await draft(deps, applicantId(2), { organisation: 'Samen Sterk', coApplicants: '' });
    const [ra, rb] = await Promise.all([submitOf(deps, applicantId(1), a), submitOf(deps, applicantId(2), b)]);
    const entries = await registry(repos);
    expect(entries).toHaveLength(1);
    expect(ra.ok && ra.value.application.fields.organisationId).toBe(entries[0]!.id);
    expect(rb.ok && rb.value.application.fields.organisationId).toBe(entries[0]!.id);
    expect(repos.auditEvents.filter((e) => e.action === 'organisation.registered')).toHaveLength(1);
    expect([ra.ok && ra.value.application.reference, rb.ok && rb.value.application.reference].sort()).toEqual(['LB-2026-001', 'LB-2026-002']);
  });

  it('a submission that fails after the registry entry was written registers nothing twice on its retry', async () => {
    const { deps, repos } = await setup();
    const app = await draft(deps, applicantId(1), { organisation: 'Taalhuis De Brug', coApplicants: '' });
    repos.failNext = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    await expect(submitOf(deps, applicantId(1), app)).rejects.toThrow();
    expect((await repos.applications.get(app.roundId, app.id))?.value.status).toBe('draft');
    const retry = await submitOf(deps, applicantId(1), app);
    const entries = await registry(repos);
    expect(entries).toHaveLength(1);
    expect(retry.ok && retry.value.application).toMatchObject({ reference: 'LB-2026-001', fields: { organisationId: entries[0]!.id } });
    expect(repos.auditEvents.filter((e) => e.action === 'organisation.registered')).toHaveLength(1);
  });
});

describe('co-applicants', () => {
  it('a known co-applicant gets its id; an unknown or ambiguous one keeps its name with an empty id and is flagged', async () => {
    const { deps, repos } = await setup();
    const travers = await register(deps, 'Travers Welzijn');
    await register(deps, 'Sportbedrijf Zwolle Noord');
    await register(deps, 'Sportbedrijf Zwolle Zuid');
    const app = await draft(deps, applicantId(1), { coApplicants: 'Travers\nSportbedrijf Zwolle\nBibliotheek Zwolle' });
    const res = await submitOf(deps, applicantId(1), app);
    if (!res.ok) throw new Error(res.error.code);
    const fields = res.value.application.fields;
    expect(fields.coApplicants).toEqual(['Travers', 'Sportbedrijf Zwolle', 'Bibliotheek Zwolle']);
    expect(fields.coApplicantIds).toEqual([travers.id, '', '']);
    expect(unlinkedCoApplicants(res.value.application)).toEqual(['Sportbedrijf Zwolle', 'Bibliotheek Zwolle']);
    // Co-applicants are never registered on an applicant's word.
    expect((await registry(repos)).map((o) => o.name).sort()).toEqual([
      'Sportbedrijf Zwolle Noord',
      'Sportbedrijf Zwolle Zuid',
      'Stichting Buurtkracht Zwolle',
      'Travers Welzijn',
    ]);
    expect(repos.auditEvents.find((e) => e.action === 'application.submitted')?.details).toMatchObject({ coApplicantsUnlinked: 2 });
  });

  it('applications from before the registry (no ids at all) are not flagged', () => {
    expect(unlinkedCoApplicants({ fields: { coApplicants: ['Travers Welzijn'] } } as never)).toEqual([]);
  });

  it('the flag reaches the accounthouder: a line on the allocation card per unlinked co-applicant', async () => {
    const repos = memoryRepos();
    const { deps, round, ids } = await reviewedRound(repos, [
      { requested: 10_000, score: 4 },
      { requested: 5_000, score: 3 },
    ]);
    const stored = (await repos.applications.get(round.id, ids[0]!))!;
    await repos.applications.update(
      stored,
      {
        ...stored.value,
        fields: { ...stored.value.fields, coApplicants: ['Travers Welzijn', 'Sportbedrijf Zwolle'], coApplicantIds: ['org-00000000000a', ''] },
      },
      auditEvent(round.id, 'system', 'application.step-saved', ids[0]!, new Date()),
    );
    const cp = (await currentProposal(deps, round.id))!;
    expect([...cp.unlinked!.entries()]).toEqual([[ids[0], ['Sportbedrijf Zwolle']]]);
    const text = readCard(allocationCard('nl', cp, [])).text;
    expect(text).toContain("LB-2026-001: mede-aanvrager 'Sportbedrijf Zwolle' staat niet in het register.");
    expect(text).not.toContain('Travers Welzijn');
    expect(readCard(allocationCard('en', cp, [])).text).toContain("LB-2026-001: co-applicant 'Sportbedrijf Zwolle' is not in the registry.");
  });

  it('the proposal carries the registry id from the application: two spellings of one entry share one line in the shares', async () => {
    const repos = memoryRepos();
    const { deps, round, ids } = await reviewedRound(repos, [
      { requested: 10_000, score: 4, organisation: 'Buurtkracht' },
      { requested: 12_000, score: 3, organisation: 'Stichting Buurtkracht Zwolle' },
    ]);
    for (const id of ids) {
      const stored = (await repos.applications.get(round.id, id))!;
      await repos.applications.update(
        stored,
        { ...stored.value, fields: { ...stored.value.fields, organisationId: 'org-0000000000b1' } },
        auditEvent(round.id, 'system', 'application.step-saved', id, new Date()),
      );
    }
    const cp = (await currentProposal(deps, round.id))!;
    expect(cp.proposal.lines.map((l) => l.organisationId)).toEqual(['org-0000000000b1', 'org-0000000000b1']);
    expect(cp.proposal.byOrganisation.map((s) => [s.name, s.amount])).toEqual([['Buurtkracht', 22_000]]);
    expect(cp.proposal.concentration).toHaveLength(1);
  });
});

describe('partners on the panel are linked by id', () => {
  const person = (userId: string, name: string) => ({ userId, mri: `29:${name}`, name });

  it('registers an unknown organisation (source accounthouder), links a known one by its words, audits the id', async () => {
    const { deps, repos, roundId } = await setup();
    const first = await addPanelMember(deps, {
      actorId: ACCOUNTHOUDER,
      person: person(SANNE, 'sanne'),
      role: 'partner',
      organisation: 'Stichting Buurtkracht Zwolle',
    });
    if (!first.ok) throw new Error(first.error.code);
    const [entry] = await registry(repos);
    expect(entry).toMatchObject({ name: 'Stichting Buurtkracht Zwolle', source: 'accounthouder', createdBy: ACCOUNTHOUDER });
    expect(first.value.organisation).toEqual({ name: 'Stichting Buurtkracht Zwolle', registered: true });
    expect(first.value.members.find((m) => m.userId === SANNE)).toMatchObject({ organisation: 'Stichting Buurtkracht Zwolle', organisationId: entry!.id });

    const second = await addPanelMember(deps, { actorId: ACCOUNTHOUDER, person: person(MOHAMED, 'mohamed'), role: 'partner', organisation: 'Buurtkracht' });
    expect(second.ok && second.value.organisation).toEqual({ name: 'Stichting Buurtkracht Zwolle', registered: false });
    expect(second.ok && second.value.members.find((m) => m.userId === MOHAMED)?.organisationId).toBe(entry!.id);
    expect(await registry(repos)).toHaveLength(1);
    const audits = (await repos.audit.list(roundId)).filter((e) => e.action === 'panel.member-added');
    expect(audits.map((e) => e.details)).toEqual([
      { role: 'partner', organisationId: entry!.id },
      { role: 'partner', organisationId: entry!.id },
    ]);
  });

  it('an ambiguous organisation is refused with the candidates and changes nothing; other roles are not linked', async () => {
    const { deps, repos } = await setup();
    await register(deps, 'Stichting Buurtkracht Zwolle');
    await register(deps, 'Buurtkracht Kampen');
    const res = await addPanelMember(deps, { actorId: ACCOUNTHOUDER, person: person(SANNE, 'sanne'), role: 'partner', organisation: 'Buurtkracht' });
    expect(res).toEqual({ ok: false, error: { code: 'ORGANISATION_AMBIGUOUS', candidates: ['Buurtkracht Kampen', 'Stichting Buurtkracht Zwolle'] } });
    expect(await repos.reviews.listPanel('LB-2026')).toEqual([]);
    expect(await addPanelMember(deps, { actorId: ACCOUNTHOUDER, person: person(SANNE, 'sanne'), role: 'partner', organisation: 'B.V.' })).toEqual({
      ok: false,
      error: { code: 'ORGANISATION_INVALID' },
    });

    const gemeente = await addPanelMember(deps, { actorId: ACCOUNTHOUDER, person: person(MOHAMED, 'm'), role: 'gemeente', organisation: 'Gemeente Zwolle' });
    expect(gemeente.ok && gemeente.value.members[0]).not.toHaveProperty('organisationId');
    expect(await registry(repos)).toHaveLength(2);
  });
});

describe('recusal by the registry, through the real use cases', () => {
  it('a partner of "Stichting Buurtkracht Zwolle" is recused from an application by "Buurtkracht": both linked to one entry', async () => {
    const { deps, repos, roundId } = await setup();
    const linked = await linkReviewChannel(deps, {
      actorId: ACCOUNTHOUDER,
      channel: { teamId: 't', channelId: '19:c@thread.tacv2', serviceUrl: 'http://127.0.0.1:9/', tenantId: 't', botId: 'b' },
    });
    if (!linked.ok) throw new Error(linked.error.code);
    // The accounthouder builds the panel: the partner's organisation goes into the registry.
    for (const [userId, role, organisation] of [
      [SANNE, 'partner', 'Stichting Buurtkracht Zwolle'],
      [MOHAMED, 'ervaringsdeskundige', undefined],
    ] as const) {
      const res = await addPanelMember(deps, {
        actorId: ACCOUNTHOUDER,
        person: { userId, mri: `29:${userId}`, name: userId },
        role,
        ...(organisation ? { organisation } : {}),
      });
      if (!res.ok) throw new Error(res.error.code);
    }
    // The names alone do not match ("buurtkracht" is not "buurtkracht zwolle"): only the registry links them.
    const app = await draft(deps, applicantId(1), { organisation: 'Buurtkracht', coApplicants: '' });
    const submitted = await submitOf(deps, applicantId(1), app);
    if (!submitted.ok) throw new Error(submitted.error.code);
    const sanne = (await repos.reviews.listPanel(roundId)).find((m) => m.userId === SANNE)!;
    expect(submitted.value.application.fields.organisationId).toBe(sanne.organisationId);

    const claimed = await claimReviewPost(deps, roundId, app.id);
    if (!claimed.ok) throw new Error(claimed.error.code);
    await recordReviewPosted(deps, claimed.value, { threadId: '19:c@thread.tacv2;messageid=1', activityId: 'm1' });
    const ctx = (await loadReview(deps, roundId, app.id))!;
    expect(viewerIn(ctx, SANNE)).toMatchObject({ kind: 'recused', recusal: { reason: 'organisation' } });
    expect(viewerIn(ctx, MOHAMED)).toMatchObject({ kind: 'member' });

    const raw = Object.fromEntries(ctx.round.value.criteria.items.map((c) => [`score_${c.id}`, '4']));
    const scored = await scoreApplication(deps, { actorId: SANNE, roundId, applicationId: app.id, cardActivityId: 'm1', raw });
    expect(scored).toMatchObject({ ok: false, error: { code: 'RECUSED' } });
  });
});
