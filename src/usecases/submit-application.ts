import { Application, stepIdsOf, submit, SubmitError } from '../domain/application';
import { attachmentRulesOf, missingDocuments } from '../domain/attachments';
import { auditEvent } from '../domain/audit';
import { DEFAULT_FORM_VERSION } from '../domain/form';
import { formatReference } from '../domain/reference';
import { err, ok, Result } from '../domain/result';
import { isStepComplete } from '../domain/validation';
import { listAttachments } from './attachments';
import type { Round } from '../domain/round';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';
import { loadOwnApplication } from './load-own-application';
import { ApplicationLinkError, linkApplication, organisationName } from './organisations';
import { resubmitApplication } from './request-changes';

export type SubmitApplicationError =
  | { code: 'NOT_FOUND' }
  | { code: 'STALE'; application: Application }
  | (SubmitError & { application: Application })
  /** The organisation's name fits more than one registry entry (`candidates`), or cannot be one: nothing was submitted. */
  | (ApplicationLinkError & { application: Application })
  /** A document the form requires (a file question) is not attached yet: `documents` are the question ids. */
  | { code: 'MISSING_DOCUMENTS'; documents: string[]; application: Application };

export interface Submitted {
  application: Application;
  /** True when this request found the application already submitted (second click, re-delivery). */
  alreadySubmitted: boolean;
  /** The registry entry the application is linked to, by name (for the card). */
  organisationName?: string;
  /** Sent back after a change request (aanvulling): same reference, no new number. */
  resubmitted?: boolean;
}

/**
 * Submits a complete draft; the reference is allocated in the same transaction. Idempotent.
 *
 * Before that transaction the organisations are linked to the registry: the applicant's found or
 * registered (a name that fits more than one entry refuses the submission), each co-applicant
 * found or kept as typed with an empty id. The registry lives in another partition, so its entry
 * is written first; a submission that fails afterwards finds that entry on its retry and
 * registers nothing twice.
 */
export async function submitApplication(
  deps: Deps,
  input: { applicantId: string; roundId: string; applicationId: string; rev: number },
): Promise<Result<Submitted, SubmitApplicationError>> {
  // The application and its round in parallel (one round trip): the application is read by this
  // round's id, so its round is the round asked for; the round is not used when the application
  // is not the applicant's.
  const [current, first] = await Promise.all([
    loadOwnApplication(deps, input.applicantId, input.roundId, input.applicationId),
    deps.repos.rounds.get(input.roundId),
  ]);
  if (!current) return err({ code: 'NOT_FOUND' });
  const app = current.value;
  if (app.status === 'changes_requested') return resubmit(deps, current, first, input);
  if (app.status !== 'draft' && app.reference) return ok(await withName(deps, { application: app, alreadySubmitted: true }));
  if (app.status === 'draft' && app.rev !== input.rev) return err({ code: 'STALE', application: app });
  let round = first;
  // The form can change until the first submission commits: when it did after this check, the
  // store refuses (FORM_CHANGED) and the draft is checked again against the form as it is now.
  for (let attempt = 0; attempt < FORM_ATTEMPTS; attempt++) {
    if (!round || round.value.id !== app.roundId) return err({ code: 'NOT_FOUND' });
    const now = deps.clock.now();
    const checked = submit(app, round.value, now, isStepComplete(round.value));
    if (!checked.ok) return err({ ...checked.error, application: app });
    // Only a form that requires a document costs the read of the attachments (the default form requires none).
    const rules = attachmentRulesOf(round.value);
    const missing = rules.documents.some((d) => d.required) ? missingDocuments(rules, await listAttachments(deps, app.roundId, app.id)) : [];
    if (missing.length > 0) return err({ code: 'MISSING_DOCUMENTS', documents: missing, application: app });

    const linked = await linkApplication(deps, app.fields, input.applicantId);
    if (!linked.ok) return err({ ...linked.error, application: app });
    const { links, organisation, registered, unlinked } = linked.value;
    const next: Application = { ...checked.value, fields: { ...checked.value.fields, ...links } };
    const r = round.value;

    const saved = await deps.repos.applications.submit(
      current,
      next,
      auditEvent(app.roundId, input.applicantId, 'application.submitted', app.id, now, {
        organisationId: organisation.id,
        organisationRegistered: registered,
        coApplicantsUnlinked: unlinked.length,
        formVersion: next.formVersion ?? DEFAULT_FORM_VERSION,
      }),
      (sequence) => formatReference(r.referencePrefix, r.year, sequence),
    );
    if (saved.ok) return ok({ application: saved.value.value, alreadySubmitted: false, organisationName: organisation.name });
    if (saved.error.code === 'FORM_CHANGED') {
      round = await deps.repos.rounds.get(input.roundId);
      continue;
    }
    const latest = await deps.repos.applications.get(app.roundId, app.id);
    if (latest?.value.reference) return ok(await withName(deps, { application: latest.value, alreadySubmitted: true }));
    return err({ code: 'STALE', application: latest?.value ?? app });
  }
  return err({ code: 'STALE', application: app });
}

const FORM_ATTEMPTS = 3;

/**
 * The changed application back after a change request: complete, linked to the registry again
 * (the organisation may have changed), then back in review with its reference (no counter).
 */
async function resubmit(
  deps: Deps,
  current: Versioned<Application>,
  round: Versioned<Round> | undefined,
  input: { applicantId: string; rev: number },
): Promise<Result<Submitted, SubmitApplicationError>> {
  const app = current.value;
  if (app.rev !== input.rev) return err({ code: 'STALE', application: app });
  if (!round || round.value.id !== app.roundId) return err({ code: 'NOT_FOUND' });
  const incomplete = stepIdsOf(round.value).find((s) => !isStepComplete(round.value)(s, app.fields));
  if (incomplete) return err({ code: 'INCOMPLETE', step: incomplete, application: app });
  const missing = missingDocuments(attachmentRulesOf(round.value), await listAttachments(deps, app.roundId, app.id));
  if (missing.length > 0) return err({ code: 'MISSING_DOCUMENTS', documents: missing, application: app });
  const linked = await linkApplication(deps, app.fields, input.applicantId);
  if (!linked.ok) return err({ ...linked.error, application: app });
  const withLinks: Versioned<Application> = { ...current, value: { ...app, fields: { ...app.fields, ...linked.value.links } } };
  const back = await resubmitApplication(deps, current, withLinks.value, input.applicantId);
  if (back.ok) return ok({ application: back.value.value, alreadySubmitted: false, organisationName: linked.value.organisation.name, resubmitted: true });
  const latest = await deps.repos.applications.get(app.roundId, app.id);
  if (latest && latest.value.status !== 'changes_requested' && latest.value.reference)
    return ok(await withName(deps, { application: latest.value, alreadySubmitted: true }));
  return err({ code: 'STALE', application: latest?.value ?? app });
}

async function withName(deps: Deps, submitted: Submitted): Promise<Submitted> {
  const name = await organisationName(deps, submitted.application.fields.organisationId);
  return name ? { ...submitted, organisationName: name } : submitted;
}
