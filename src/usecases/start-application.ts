import { createHash } from 'node:crypto';
import { Application, newDraft } from '../domain/application';
import { auditEvent } from '../domain/audit';
import { EligibilityAnswers, IneligibleReason, ineligibleReasons } from '../domain/eligibility';
import { err, ok, Result } from '../domain/result';
import type { Versioned } from '../domain/versioned';
import { currentRound } from './current-round';
import type { Deps } from './deps';

export type StartError = { code: 'NO_OPEN_ROUND' } | { code: 'NOT_ELIGIBLE'; reasons: IneligibleReason[] };

/**
 * Passes the eligibility gate and opens a draft in the round that is open now. The draft id is
 * derived from the applicant and the card's one-time token, so a double click or a re-delivered
 * activity finds the same draft instead of making a second one.
 */
export async function startApplication(
  deps: Deps,
  input: { applicantId: string; cardToken: string; answers: EligibilityAnswers },
): Promise<Result<Versioned<Application>, StartError>> {
  const reasons = ineligibleReasons(input.answers);
  const current = await currentRound(deps);
  if (reasons.length > 0) {
    // Who was turned away, and on which answer, is part of the round's record ("open to all partners").
    if (current)
      await deps.repos.audit.record(
        auditEvent(current.round.id, input.applicantId, 'application.not-eligible', input.cardToken, deps.clock.now(), { ...input.answers }),
      );
    return err({ code: 'NOT_ELIGIBLE', reasons });
  }
  if (!current || current.window !== 'open') return err({ code: 'NO_OPEN_ROUND' });

  const id = createHash('sha256').update(`${input.applicantId}\n${input.cardToken}`).digest('hex').slice(0, 20);
  const existing = await deps.repos.applications.get(current.round.id, id);
  if (existing) return ok(existing);
  const now = deps.clock.now();
  const draft = { ...newDraft({ id, roundId: current.round.id, applicantId: input.applicantId, now }), eligibility: input.answers };
  const created = await deps.repos.applications.create(
    draft,
    auditEvent(draft.roundId, input.applicantId, 'application.created', id, now, { ...input.answers }),
  );
  if (created.ok) return created;
  // Lost a race with the same click delivered twice: the other delivery created it.
  const winner = await deps.repos.applications.get(current.round.id, id);
  if (!winner) throw new Error('draft reported as existing but not found');
  return ok(winner);
}
