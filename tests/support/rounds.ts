import { type Application, newDraft, STEPS } from '../../src/domain/application';
import { auditEvent } from '../../src/domain/audit';
import { Round } from '../../src/domain/round';
import { demoRound } from '../../src/domain/demo-round';
import { validateStep } from '../../src/domain/validation';
import type { Repos } from '../../src/ports';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { claimReviewPost, recordReviewPosted } from '../../src/usecases/publish-review';
import { scoreApplication } from '../../src/usecases/score-application';
import { fixedClock, NOW, VALID_INPUT } from '../fixtures';

/** The seeded applicant of application i, an Entra-shaped object id (activities must carry one). */
export const applicantId = (i: number) => `00000000-0000-4000-a000-${String(i).padStart(12, '0')}`;

export const ACCOUNTHOUDER = '00000000-0000-4000-8000-00000000000a';
export const REVIEWER = '00000000-0000-4000-8000-0000000000e1';

export interface AppSpec {
  requested: number;
  /** The score every criterion gets (1–5), or 'knockout' for a 1 on the knock-out criterion. */
  score: number | 'knockout';
  organisation?: string;
  wijk?: string;
  applicantId?: string;
  /** The reviewer's general remark for the applicant. */
  remark?: string;
  /** The reviewer's comment on every criterion. */
  comment?: string;
  /** Fields over the valid defaults (after organisation, wijk and title). */
  fields?: Partial<Application['fields']>;
}

/**
 * A round whose applications went all the way through review, through the real use cases: a
 * panel of one (quorum 1), each application submitted, posted, scored and closed.
 */
export async function reviewedRound(repos: Repos, specs: AppSpec[], overrides: Partial<Round> = {}) {
  const clock = fixedClock();
  const deps = { repos, clock, accounthouders: [ACCOUNTHOUDER] };
  const round = await linkedRound(repos, { quorum: 1, ...overrides });
  await addPanelMember(deps, {
    actorId: ACCOUNTHOUDER,
    roundId: round.id,
    person: { userId: REVIEWER, mri: '29:reviewer', name: 'Reviewer' },
    role: 'ervaringsdeskundige',
  });
  const base = Object.assign(
    {},
    ...STEPS.map((s) => {
      const v = validateStep(s, VALID_INPUT[s], { ...round, form: undefined }, 'complete');
      if (!v.ok) throw new Error(s);
      return v.value;
    }),
  );
  const ids: string[] = [];
  for (const [i, spec] of specs.entries()) {
    const id = `${String(i).padStart(4, '0')}`.padEnd(20, 'a');
    const fields = {
      ...base,
      amount: spec.requested,
      organisation: spec.organisation ?? `Organisatie ${i}`,
      wijk: spec.wijk ?? 'Holtenbroek',
      coApplicants: [],
      title: `Plan ${i}`,
      ...spec.fields,
    };
    const draft = { ...newDraft({ id, roundId: round.id, applicantId: spec.applicantId ?? applicantId(i), now: clock.now() }), fields };
    const created = await repos.applications.create(draft, auditEvent(round.id, draft.applicantId, 'application.created', id, NOW));
    if (!created.ok) throw new Error('create');
    await repos.applications.submit(
      created.value,
      { ...draft, status: 'submitted', submittedAt: new Date(NOW.getTime() + i * 1000).toISOString(), formVersion: round.form?.version ?? 1 },
      auditEvent(round.id, draft.applicantId, 'application.submitted', id, NOW),
      (n) => `LB-${round.year}-${String(n).padStart(3, '0')}`,
    );
    const claimed = await claimReviewPost(deps, round.id, id);
    if (!claimed.ok) throw new Error(claimed.error.code);
    await recordReviewPosted(deps, claimed.value, { threadId: `19:c@thread.tacv2;messageid=${i}`, activityId: `m${i}` });
    const raw: Record<string, string> = Object.fromEntries(
      round.criteria.items.map((c) => [`score_${c.id}`, spec.score === 'knockout' ? (c.minimum ? '1' : '5') : String(spec.score)]),
    );
    if (spec.remark) raw.overall = spec.remark;
    if (spec.comment) for (const c of round.criteria.items) raw[`comment_${c.id}`] = spec.comment;
    const scored = await scoreApplication(deps, { actorId: REVIEWER, roundId: round.id, applicationId: id, cardActivityId: `m${i}`, raw });
    if (!scored.ok || !scored.value.closed) throw new Error(`score ${i}: ${JSON.stringify(scored.ok || scored.error.code)}`);
    ids.push(id);
  }
  return { deps, clock, round, ids };
}

/** The demo round with a review channel linked, stored. */
export async function linkedRound(repos: Repos, overrides: Partial<Round> = {}): Promise<Round> {
  const round: Round = {
    ...demoRound(NOW),
    routing: {
      byWijk: {},
      default: {
        teamId: 't',
        channelId: '19:c@thread.tacv2',
        serviceUrl: 'http://127.0.0.1:9/',
        tenantId: 't',
        botId: 'b',
        linkedBy: ACCOUNTHOUDER,
        linkedAt: NOW.toISOString(),
      },
    },
    ...overrides,
  };
  await repos.rounds.create(round, auditEvent(round.id, 'system', 'round.created', round.id, NOW));
  return round;
}

/** One application "Samen sterk" of Buurtkracht, submitted straight through the store (no review card yet). */
export async function submittedApplication(repos: Repos, round: Round, applicant: string, fields: Partial<Application['fields']> = {}): Promise<string> {
  const draft = {
    ...newDraft({ id: 'a'.repeat(20), roundId: round.id, applicantId: applicant, now: NOW }),
    fields: { title: 'Samen sterk', wijk: 'Holtenbroek', organisation: 'Buurtkracht', ...fields },
  };
  const created = await repos.applications.create(draft, auditEvent(round.id, draft.applicantId, 'application.created', draft.id, NOW));
  if (!created.ok) throw new Error('create');
  await repos.applications.submit(
    created.value,
    { ...draft, status: 'submitted', submittedAt: NOW.toISOString() },
    auditEvent(round.id, draft.applicantId, 'application.submitted', draft.id, NOW),
    (s) => `LB-${round.year}-${String(s).padStart(3, '0')}`,
  );
  return draft.id;
}
