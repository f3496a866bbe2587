import { describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { memoryRepos } from '../../src/store/memory-repos';
import { seedDemoRound } from '../../src/usecases/seed-demo-round';
import { startApplication } from '../../src/usecases/start-application';
import { saveStep } from '../../src/usecases/save-step';
import { submitApplication } from '../../src/usecases/submit-application';
import { withdrawApplication } from '../../src/usecases/withdraw-application';
import { myApplications } from '../../src/usecases/my-applications';
import { fixedClock, VALID_INPUT } from '../fixtures';

const yes = { partnerInSocialeBasis: true, activeInMunicipality: true, collectiveAnswer: true };

async function setup() {
  const repos = memoryRepos();
  const clock = fixedClock();
  const deps = { repos, clock };
  await seedDemoRound(deps);
  return { deps, repos, clock };
}

async function completeDraft(deps: Awaited<ReturnType<typeof setup>>['deps'], applicantId = 'anouk', token = 'token-0001') {
  const started = await startApplication(deps, { applicantId, cardToken: token, answers: yes });
  if (!started.ok) throw new Error('start failed');
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
    if (!saved.ok) throw new Error(`step ${step}: ${JSON.stringify(saved.error)}`);
    app = saved.value.value;
  }
  return app;
}

describe('starting an application', () => {
  it('refuses someone who is not eligible, naming why, and stores nothing', async () => {
    const { deps, repos } = await setup();
    const res = await startApplication(deps, { applicantId: 'x', cardToken: 'token-0001', answers: { ...yes, collectiveAnswer: false } });
    expect(res).toEqual({ ok: false, error: { code: 'NOT_ELIGIBLE', reasons: ['collectiveAnswer'] } });
    expect(await repos.applications.listByApplicant('x')).toEqual([]);
  });

  it('the same eligibility card pressed twice opens one draft', async () => {
    const { deps, repos } = await setup();
    const a = await startApplication(deps, { applicantId: 'anouk', cardToken: 'token-0001', answers: yes });
    const b = await startApplication(deps, { applicantId: 'anouk', cardToken: 'token-0001', answers: yes });
    expect(a.ok && b.ok && a.value.value.id === b.value.value.id).toBe(true);
    expect(await repos.applications.listByApplicant('anouk')).toHaveLength(1);
  });

  it('keeps the eligibility answers: on the draft and in the audit, and a refusal is audited too (no draft)', async () => {
    const { deps, repos } = await setup();
    const a = await startApplication(deps, { applicantId: 'anouk', cardToken: 'token-0001', answers: yes });
    expect(a.ok && a.value.value.eligibility).toEqual(yes);
    await startApplication(deps, { applicantId: 'x', cardToken: 'token-0002', answers: { ...yes, activeInMunicipality: false } });
    const audit = await repos.audit.list(a.ok ? a.value.value.roundId : '');
    expect(audit.find((e) => e.action === 'application.created')?.details).toEqual(yes);
    expect(audit.find((e) => e.action === 'application.not-eligible')).toMatchObject({ actorId: 'x', details: { ...yes, activeInMunicipality: false } });
  });

  it('is refused when no round is open', async () => {
    const { deps, clock } = await setup();
    clock.set(new Date('2027-06-01T00:00:00Z'));
    const res = await startApplication(deps, { applicantId: 'anouk', cardToken: 'token-0001', answers: yes });
    expect(res).toEqual({ ok: false, error: { code: 'NO_OPEN_ROUND' } });
  });
});

describe('saving steps', () => {
  it('an invalid step stores nothing and says which field is wrong', async () => {
    const { deps, repos } = await setup();
    const started = await startApplication(deps, { applicantId: 'anouk', cardToken: 'token-0001', answers: yes });
    const app = started.ok ? started.value.value : undefined!;
    const auditBefore = repos.auditEvents.length;
    const res = await saveStep(deps, {
      applicantId: 'anouk',
      roundId: app.roundId,
      applicationId: app.id,
      step: 'organisation',
      rev: app.rev,
      raw: { ...VALID_INPUT.organisation, contactEmail: 'nope' },
      direction: 'next',
    });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error.code === 'INVALID' && res.error.errors).toEqual({ contactEmail: 'email' });
    const stored = await repos.applications.get(app.roundId, app.id);
    expect(stored?.value.fields).toEqual({});
    expect(stored?.value.rev).toBe(app.rev);
    expect(repos.auditEvents.length).toBe(auditBefore);
  });

  it('a second click with the same card is stale and saves nothing twice', async () => {
    const { deps, repos } = await setup();
    const started = await startApplication(deps, { applicantId: 'anouk', cardToken: 'token-0001', answers: yes });
    const app = started.ok ? started.value.value : undefined!;
    const input = {
      applicantId: 'anouk',
      roundId: app.roundId,
      applicationId: app.id,
      step: 'organisation' as const,
      rev: app.rev,
      raw: VALID_INPUT.organisation,
      direction: 'next' as const,
    };
    const first = await saveStep(deps, input);
    const second = await saveStep(deps, input);
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, error: { code: 'STALE', application: { position: 'question', rev: app.rev + 1 } } });
    expect(repos.auditEvents.filter((e) => e.action === 'application.step-saved')).toHaveLength(1);
  });

  it('a file attached between the step being read and written does not lose what was typed', async () => {
    const { deps, repos } = await setup();
    const started = await startApplication(deps, { applicantId: 'anouk', cardToken: 'token-0001', answers: yes });
    const app = started.ok ? started.value.value : undefined!;
    // The partner's file lands just before the step's write (it changes the row's ETag, not its revision).
    const update = repos.applications.update.bind(repos.applications);
    let raced = false;
    repos.applications.update = async (current, next, audit) => {
      if (!raced) {
        raced = true;
        const at = new Date(0).toISOString();
        const record = {
          id: 'f1',
          roundId: app.roundId,
          applicationId: app.id,
          sha256: 'a'.repeat(64),
          blobName: 'x',
          name: 'plan.pdf',
          kind: 'pdf' as const,
          size: 10,
          addedBy: 'anouk',
          addedAt: at,
          sourceId: 's1',
        };
        expect(
          (await repos.attachments.add(current, record, { roundId: app.roundId, at, actorId: 'anouk', action: 'application.step-saved', subjectId: app.id }))
            .ok,
        ).toBe(true);
      }
      return update(current, next, audit);
    };
    const saved = await saveStep(deps, {
      applicantId: 'anouk',
      roundId: app.roundId,
      applicationId: app.id,
      step: 'organisation',
      rev: app.rev,
      raw: VALID_INPUT.organisation,
      direction: 'next',
    });
    expect(raced).toBe(true);
    expect(saved).toMatchObject({ ok: true, value: { value: { position: 'question', rev: app.rev + 1 } } });
    const stored = await repos.applications.get(app.roundId, app.id);
    expect(stored?.value.fields.contactEmail).toBe(VALID_INPUT.organisation.contactEmail);
    expect(await repos.attachments.list(app.roundId, app.id)).toHaveLength(1);
  });

  it('going back keeps what was typed, even when the step is not complete yet', async () => {
    const { deps } = await setup();
    const started = await startApplication(deps, { applicantId: 'anouk', cardToken: 'token-0001', answers: yes });
    let app = started.ok ? started.value.value : undefined!;
    const next = await saveStep(deps, {
      applicantId: 'anouk',
      roundId: app.roundId,
      applicationId: app.id,
      step: 'organisation',
      rev: app.rev,
      raw: VALID_INPUT.organisation,
      direction: 'next',
    });
    app = next.ok ? next.value.value : undefined!;
    const back = await saveStep(deps, {
      applicantId: 'anouk',
      roundId: app.roundId,
      applicationId: app.id,
      step: 'question',
      rev: app.rev,
      raw: { title: 'Half af' },
      direction: 'back',
    });
    expect(back.ok && back.value.value).toMatchObject({ position: 'organisation', fields: { title: 'Half af', organisation: 'Stichting Buurtkracht Zwolle' } });
  });

  it("someone else's application cannot be changed, whatever the card says", async () => {
    const { deps } = await setup();
    const app = await completeDraft(deps);
    const res = await saveStep(deps, {
      applicantId: 'mallory',
      roundId: app.roundId,
      applicationId: app.id,
      step: 'question',
      rev: app.rev,
      raw: VALID_INPUT.question,
      direction: 'summary',
    });
    expect(res).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('submitting', () => {
  it('gives a gap-free reference and is idempotent', async () => {
    const { deps, repos } = await setup();
    const a = await completeDraft(deps, 'anouk', 'token-000a');
    const b = await completeDraft(deps, 'peter', 'token-000b');
    const first = await submitApplication(deps, { applicantId: 'anouk', roundId: a.roundId, applicationId: a.id, rev: a.rev });
    const again = await submitApplication(deps, { applicantId: 'anouk', roundId: a.roundId, applicationId: a.id, rev: a.rev });
    const second = await submitApplication(deps, { applicantId: 'peter', roundId: b.roundId, applicationId: b.id, rev: b.rev });
    expect(first.ok && first.value).toMatchObject({ alreadySubmitted: false, application: { status: 'submitted', reference: 'LB-2026-001' } });
    expect(again.ok && again.value).toMatchObject({ alreadySubmitted: true, application: { reference: 'LB-2026-001' } });
    expect(second.ok && second.value.application.reference).toBe('LB-2026-002');
    expect(repos.auditEvents.filter((e) => e.action === 'application.submitted')).toHaveLength(2);
  });

  it('an incomplete draft names the first incomplete step', async () => {
    const { deps } = await setup();
    const started = await startApplication(deps, { applicantId: 'anouk', cardToken: 'token-0001', answers: yes });
    const app = started.ok ? started.value.value : undefined!;
    const res = await submitApplication(deps, { applicantId: 'anouk', roundId: app.roundId, applicationId: app.id, rev: app.rev });
    expect(res).toMatchObject({ ok: false, error: { code: 'INCOMPLETE', step: 'organisation' } });
  });

  it('leaves nothing half-written when storage fails mid-way, and works once it is back', async () => {
    const { deps, repos } = await setup();
    const app = await completeDraft(deps);
    repos.failNext = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    await expect(submitApplication(deps, { applicantId: 'anouk', roundId: app.roundId, applicationId: app.id, rev: app.rev })).rejects.toThrow();
    expect((await repos.applications.get(app.roundId, app.id))?.value.status).toBe('draft');
    const retry = await submitApplication(deps, { applicantId: 'anouk', roundId: app.roundId, applicationId: app.id, rev: app.rev });
    expect(retry.ok && retry.value.application.reference).toBe('LB-2026-001');
  });
});

describe('withdrawing and listing', () => {
  it('withdraws a submitted application once; the reference stays taken', async () => {
    const { deps, repos } = await setup();
    const app = await completeDraft(deps);
    await submitApplication(deps, { applicantId: 'anouk', roundId: app.roundId, applicationId: app.id, rev: app.rev });
    const w1 = await withdrawApplication(deps, { applicantId: 'anouk', roundId: app.roundId, applicationId: app.id });
    const w2 = await withdrawApplication(deps, { applicantId: 'anouk', roundId: app.roundId, applicationId: app.id });
    expect(w1.ok && w1.value).toMatchObject({ status: 'withdrawn', reference: 'LB-2026-001' });
    expect(w2.ok).toBe(true);
    expect(repos.auditEvents.filter((e) => e.action === 'application.withdrawn')).toHaveLength(1);
    expect((await myApplications(deps, 'anouk')).map((a) => a.status)).toEqual(['withdrawn']);
  });

  it('a draft cannot be withdrawn and nobody else can withdraw yours', async () => {
    const { deps } = await setup();
    const app = await completeDraft(deps);
    expect(await withdrawApplication(deps, { applicantId: 'anouk', roundId: app.roundId, applicationId: app.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_WITHDRAWABLE' },
    });
    await submitApplication(deps, { applicantId: 'anouk', roundId: app.roundId, applicationId: app.id, rev: app.rev });
    expect(await withdrawApplication(deps, { applicantId: 'mallory', roundId: app.roundId, applicationId: app.id })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
