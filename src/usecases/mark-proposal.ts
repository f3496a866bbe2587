import { auditEvent } from '../domain/audit';
import { MARK_REMARK_LIMIT } from '../domain/decision';
import { readText } from '../domain/text';
import { err, ok, Result } from '../domain/result';
import { currentProposal, CurrentProposal } from './allocation-proposal';
import type { Deps } from './deps';

export type MarkError = { code: 'NOT_ON_PANEL' } | { code: 'NOT_FOUND' } | { code: 'STALE'; current: CurrentProposal } | { code: 'REMARK_TOO_LONG' };

/** A panel member says eens or oneens (with a remark) on the proposal put before the panel. */
export async function markProposal(
  deps: Deps,
  input: { actorId: string; roundId: string; fingerprint: string; agree: boolean; remark?: string },
): Promise<Result<CurrentProposal, MarkError>> {
  const current = await currentProposal(deps, input.roundId);
  if (!current) return err({ code: 'NOT_FOUND' });
  const member = current.snapshot.panel.find((m) => m.userId === input.actorId);
  if (!member) return err({ code: 'NOT_ON_PANEL' });
  if (current.fingerprint !== input.fingerprint) return err({ code: 'STALE', current });
  // Too long or with control characters: refused (the card asks for a shorter remark).
  const typed = readText(input.remark, MARK_REMARK_LIMIT);
  if (typed.error) return err({ code: 'REMARK_TOO_LONG' });
  const remark = typed.value;
  const now = deps.clock.now();
  await deps.repos.allocation.putMark(
    input.roundId,
    {
      fingerprint: input.fingerprint,
      memberId: member.userId,
      name: member.name,
      role: member.role,
      agree: input.agree,
      ...(remark ? { remark } : {}),
      at: now.toISOString(),
    },
    auditEvent(input.roundId, input.actorId, 'allocation.marked', input.fingerprint, now, { agree: input.agree }),
  );
  return ok(current);
}
