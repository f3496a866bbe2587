import { Application, withdraw } from '../domain/application';
import { auditEvent } from '../domain/audit';
import { err, ok, Result } from '../domain/result';
import type { Deps } from './deps';
import { loadOwnApplication } from './load-own-application';

export type WithdrawError = { code: 'NOT_FOUND' } | { code: 'NOT_WITHDRAWABLE'; application: Application };

/** Withdraws a submitted application that is not decided yet. Withdrawing twice is not an error. */
export async function withdrawApplication(
  deps: Deps,
  input: { applicantId: string; roundId: string; applicationId: string },
): Promise<Result<Application, WithdrawError>> {
  // Two attempts: a concurrent change (e.g. the review starting) only means we must re-check.
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = await loadOwnApplication(deps, input.applicantId, input.roundId, input.applicationId);
    if (!current) return err({ code: 'NOT_FOUND' });
    if (current.value.status === 'withdrawn') return ok(current.value);
    const now = deps.clock.now();
    const next = withdraw(current.value, now);
    if (!next.ok) return err({ code: 'NOT_WITHDRAWABLE', application: current.value });
    const saved = await deps.repos.applications.update(
      current,
      next.value,
      auditEvent(current.value.roundId, input.applicantId, 'application.withdrawn', current.value.id, now, {
        reference: current.value.reference ?? '',
      }),
    );
    if (saved.ok) return ok(saved.value.value);
  }
  const latest = await loadOwnApplication(deps, input.applicantId, input.roundId, input.applicationId);
  return latest ? err({ code: 'NOT_WITHDRAWABLE', application: latest.value }) : err({ code: 'NOT_FOUND' });
}
