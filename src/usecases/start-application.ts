import { createHash } from 'node:crypto';
import { Application, newDraft } from '../domain/application';
import { auditEvent } from '../domain/audit';
import { EligibilityAnswers, IneligibleReason, ineligibleReasons } from '../domain/eligibility';
import { err, ok, Result } from '../domain/result';
import type { Versioned } from '../domain/versioned';
import { currentRounds, CurrentRound, openForApplications } from './current-round';
import { submissionWindow } from '../domain/round';
import type { Deps } from './deps';

export type StartError =
  | { code: 'NO_OPEN_ROUND' }
  | { code: 'NOT_ELIGIBLE'; reasons: IneligibleReason[] }
  /** The round the card names is not there (a tampered or very old card). */
  | { code: 'ROUND_NOT_FOUND' }
  /** The card names no round and more than one is open: the partner chooses on the welcome card. */
  | { code: 'CHOOSE_ROUND' };

/** The round a new application goes to: the one the card names, else the only one open now. */
async function roundToApply(deps: Deps, roundId: string | undefined): Promise<Result<CurrentRound | undefined, StartError>> {
  if (roundId) {
    const round = await deps.repos.rounds.get(roundId);
    return round ? ok({ round: round.value, window: submissionWindow(round.value, deps.clock.now()) }) : err({ code: 'ROUND_NOT_FOUND' });
  }
  const rounds = await currentRounds(deps);
  if (openForApplications(rounds).length > 1) return err({ code: 'CHOOSE_ROUND' });
  return ok(rounds[0]);
}

/**
 * Passes the eligibility gate and opens a draft in the round the card names (the partner chose it
 * on the welcome card), else in the round that is open now. The draft id is derived from the round,
 * the applicant and the card's one-time token, so a double click or a re-delivered activity finds
 * the same draft instead of making a second one, and two rounds never share a draft id.
 */
export async function startApplication(
  deps: Deps,
  input: { applicantId: string; cardToken: string; answers: EligibilityAnswers; roundId?: string },
): Promise<Result<Versioned<Application>, StartError>> {
  const reasons = ineligibleReasons(input.answers);
  const picked = await roundToApply(deps, input.roundId);
  if (!picked.ok) return picked;
  const current = picked.value;
  if (reasons.length > 0) {
    // Who was turned away, and on which answer, is part of the round's record ("open to all partners").
    if (current)
      await deps.repos.audit.record(
        auditEvent(current.round.id, input.applicantId, 'application.not-eligible', input.cardToken, deps.clock.now(), { ...input.answers }),
      );
    return err({ code: 'NOT_ELIGIBLE', reasons });
  }
  if (!current || current.window !== 'open') return err({ code: 'NO_OPEN_ROUND' });

  const id = draftId(current.round.id, input.applicantId, input.cardToken);
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

/** A new draft's id: a hash of the round, the applicant and the eligibility card's one-time token. */
export function draftId(roundId: string, applicantId: string, cardToken: string): string {
  return createHash('sha256').update(`${roundId}\n${applicantId}\n${cardToken}`).digest('hex').slice(0, 20);
}
