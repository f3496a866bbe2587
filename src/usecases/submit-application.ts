import { Application, submit, SubmitError } from '../domain/application';
import { auditEvent } from '../domain/audit';
import { formatReference } from '../domain/reference';
import { err, ok, Result } from '../domain/result';
import { isStepComplete } from '../domain/validation';
import type { Deps } from './deps';
import { loadOwnApplication } from './load-own-application';

export type SubmitApplicationError =
  | { code: 'NOT_FOUND' }
  | { code: 'STALE'; application: Application }
  | (SubmitError & { application: Application });

export interface Submitted {
  application: Application;
  /** True when this request found the application already submitted (second click, re-delivery). */
  alreadySubmitted: boolean;
}

/** Submits a complete draft; the reference is allocated in the same transaction. Idempotent. */
export async function submitApplication(
  deps: Deps,
  input: { applicantId: string; roundId: string; applicationId: string; rev: number },
): Promise<Result<Submitted, SubmitApplicationError>> {
  const current = await loadOwnApplication(deps, input.applicantId, input.roundId, input.applicationId);
  if (!current) return err({ code: 'NOT_FOUND' });
  const app = current.value;
  if (app.status !== 'draft' && app.reference) return ok({ application: app, alreadySubmitted: true });
  if (app.status === 'draft' && app.rev !== input.rev) return err({ code: 'STALE', application: app });

  const round = await deps.repos.rounds.get(app.roundId);
  if (!round) return err({ code: 'NOT_FOUND' });
  const now = deps.clock.now();
  const checked = submit(app, round.value, now, isStepComplete(round.value));
  if (!checked.ok) return err({ ...checked.error, application: app });

  const saved = await deps.repos.applications.submit(
    current,
    checked.value,
    auditEvent(app.roundId, input.applicantId, 'application.submitted', app.id, now),
    (sequence) => formatReference(round.value.referencePrefix, round.value.year, sequence),
  );
  if (saved.ok) return ok({ application: saved.value.value, alreadySubmitted: false });
  const latest = await deps.repos.applications.get(app.roundId, app.id);
  if (latest?.value.reference) return ok({ application: latest.value, alreadySubmitted: true });
  return err({ code: 'STALE', application: latest?.value ?? app });
}

