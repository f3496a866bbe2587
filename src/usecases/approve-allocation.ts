import { randomUUID } from 'node:crypto';
import { AdjustError, decide, outcomeCounts } from '../domain/allocation';
import type { Application } from '../domain/application';
import { auditEvent } from '../domain/audit';
import { err, ok, Result } from '../domain/result';
import type { DecisionRecord } from '../domain/decision';
import { candidatesOf, currentProposal, CurrentProposal } from './allocation-proposal';
import type { Deps } from './deps';
import { isAccounthouder } from './roles';

export type ApproveError =
  | { code: 'FORBIDDEN' }
  | { code: 'NOT_FOUND' }
  | { code: 'NOTHING_TO_DECIDE'; current: CurrentProposal }
  /** The proposal changed since the card was drawn (a new review, a withdrawal, another approval). */
  | { code: 'STALE'; current: CurrentProposal; decidedMeanwhile: boolean }
  | { code: 'INVALID'; current: CurrentProposal; error: AdjustError };

/**
 * The accounthouder's one button: decides every line of the proposal the card was drawn from, in
 * one transaction with the budget it spends. A stale card, a second click, a re-delivered activity
 * or a parallel approval can never spend more than the budget or decide an application twice.
 */
export async function approveAllocation(
  deps: Deps,
  input: { actorId: string; roundId: string; fingerprint: string; adjustments: Record<string, { amount?: number; decline?: boolean }> },
): Promise<Result<{ decision: DecisionRecord; after: CurrentProposal }, ApproveError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await currentProposal(deps, input.roundId);
    if (!current) return err({ code: 'NOT_FOUND' });
    if (current.fingerprint !== input.fingerprint) {
      // This very card was approved already (a second click, a re-delivered activity, another accounthouder).
      const decidedMeanwhile = current.snapshot.decisions.some((d) => d.value.fingerprint === input.fingerprint);
      return err({ code: 'STALE', current, decidedMeanwhile });
    }
    if (current.proposal.lines.length === 0) return err({ code: 'NOTHING_TO_DECIDE', current });
    const decided = decide(current.proposal, input.adjustments);
    if (!decided.ok) return err({ code: 'INVALID', current, error: decided.error });

    const now = deps.clock.now();
    const at = now.toISOString();
    const marks = await deps.repos.allocation.listMarks(input.roundId, input.fingerprint);
    const decision: DecisionRecord = {
      id: randomUUID().slice(0, 12),
      roundId: input.roundId,
      approvedBy: input.actorId,
      approvedAt: at,
      fingerprint: input.fingerprint,
      budget: current.proposal.budget,
      spentBefore: current.proposal.spent,
      total: decided.total,
      lines: decided.lines.map((d) => {
        const l = current.proposal.lines.find((x) => x.applicationId === d.applicationId)!;
        return {
          ...d,
          reference: l.reference,
          title: l.title,
          organisation: l.organisation,
          ...(l.organisationId ? { organisationId: l.organisationId } : {}),
          wijk: l.wijk,
          requested: l.requested,
          proposed: l.proposed,
          ...(l.score === undefined ? {} : { score: l.score }),
          ...(l.excluded ? { excluded: l.excluded } : {}),
        };
      }),
      marks: { agree: marks.filter((m) => m.agree).length, disagree: marks.filter((m) => !m.agree).length },
      announced: false,
    };
    const { apps } = candidatesOf(current.snapshot);
    const applications = decided.lines.map((d) => {
      const app = apps.get(d.applicationId)!;
      const next: Application = {
        ...app.value,
        status: d.awarded > 0 ? 'awarded' : 'declined',
        rev: app.value.rev + 1,
        updatedAt: at,
        decision: { decisionId: decision.id, outcome: d.outcome, awarded: d.awarded, decidedAt: at },
      };
      return { current: app, next };
    });
    const saved = await deps.repos.allocation.approve({
      roundId: input.roundId,
      round: current.snapshot.round,
      ...(current.snapshot.ledger ? { ledger: current.snapshot.ledger } : {}),
      spentAfter: current.proposal.spent + decided.total,
      applications,
      decision,
      audit: auditEvent(input.roundId, input.actorId, 'allocation.approved', decision.id, now, {
        fingerprint: input.fingerprint,
        total: decided.total,
        ...outcomeCounts(decided.lines),
        agree: decision.marks.agree,
        disagree: decision.marks.disagree,
      }),
    });
    if (saved.ok) return ok({ decision, after: (await currentProposal(deps, input.roundId)) ?? current });
  }
  const current = await currentProposal(deps, input.roundId);
  if (!current) return err({ code: 'NOT_FOUND' });
  return err({ code: 'STALE', current, decidedMeanwhile: current.snapshot.decisions.some((d) => d.value.fingerprint === input.fingerprint) });
}
