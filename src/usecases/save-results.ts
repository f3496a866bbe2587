import type { Application } from '../domain/application';
import { auditEvent } from '../domain/audit';
import { err, ok, Result } from '../domain/result';
import { ResultsErrors, ResultsField, validateResults } from '../domain/results';
import type { Deps } from './deps';
import { loadOwnApplication } from './load-own-application';

export type ResultsError =
  | { code: 'NOT_FOUND' }
  | { code: 'NOT_AWARDED'; application: Application }
  | { code: 'ALREADY_SUBMITTED'; application: Application }
  | { code: 'STALE'; application: Application }
  | { code: 'INVALID'; application: Application; errors: ResultsErrors };

/**
 * An awarded partner saves a draft of their results report, or submits it. A draft keeps
 * whatever is typed (if it is well-formed); submitting needs it complete. Submitted is final.
 */
export async function saveResults(
  deps: Deps,
  input: { applicantId: string; roundId: string; applicationId: string; rev: number; raw: Partial<Record<ResultsField, string>>; mode: 'draft' | 'submit' },
): Promise<Result<Application, ResultsError>> {
  const current = await loadOwnApplication(deps, input.applicantId, input.roundId, input.applicationId);
  if (!current) return err({ code: 'NOT_FOUND' });
  const app = current.value;
  if (app.status === 'results_reported') return err({ code: 'ALREADY_SUBMITTED', application: app });
  if (app.status !== 'awarded') return err({ code: 'NOT_AWARDED', application: app });
  if (app.rev !== input.rev) return err({ code: 'STALE', application: app });
  const valid = validateResults(input.raw, app.decision?.awarded ?? 0, input.mode);
  if (!valid.ok) return err({ code: 'INVALID', application: app, errors: valid.error });
  const now = deps.clock.now();
  const at = now.toISOString();
  const next: Application = {
    ...app,
    rev: app.rev + 1,
    updatedAt: at,
    ...(input.mode === 'submit' ? { status: 'results_reported' as const } : {}),
    results: { state: input.mode === 'submit' ? 'submitted' : 'draft', ...valid.value, updatedAt: at, ...(input.mode === 'submit' ? { submittedAt: at } : {}) },
  };
  const saved = await deps.repos.applications.update(
    current,
    next,
    auditEvent(app.roundId, input.applicantId, input.mode === 'submit' ? 'results.submitted' : 'results.saved', app.id, now),
  );
  if (saved.ok) return ok(next);
  const latest = await deps.repos.applications.get(app.roundId, app.id);
  return err({ code: 'STALE', application: latest?.value ?? app });
}
