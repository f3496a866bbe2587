import { auditEvent } from '../domain/audit';
import { err, ok, Result } from '../domain/result';
import type { Round, RoundStatus } from '../domain/round';
import { canChangeStatus } from '../domain/round-settings';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';
import { isAccounthouder } from './roles';

export type SetStatusError =
  | { code: 'FORBIDDEN' }
  | { code: 'NOT_FOUND' }
  /** The card was drawn for another status (or the round changed meanwhile): nothing changed. */
  | { code: 'STALE'; round: Versioned<Round> }
  /** Not an allowed step (closed is final). */
  | { code: 'TRANSITION'; round: Versioned<Round> }
  /** Opening a round whose submission deadline has passed would open nothing. */
  | { code: 'DEADLINE_PASSED'; round: Versioned<Round> };

/**
 * Opens, pauses or closes a round: draft→open, open→paused, paused→open, open|paused→closed.
 * Pressing the same button twice is not an error and changes nothing the second time.
 */
export async function setRoundStatus(
  deps: Deps,
  input: { actorId: string; roundId: string; from: RoundStatus; to: RoundStatus },
): Promise<Result<{ round: Versioned<Round>; changed: boolean }, SetStatusError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const current = await deps.repos.rounds.get(input.roundId);
  if (!current) return err({ code: 'NOT_FOUND' });
  const from = current.value.status;
  if (from === input.to) return ok({ round: current, changed: false });
  if (from !== input.from) return err({ code: 'STALE', round: current });
  if (!canChangeStatus(from, input.to)) return err({ code: 'TRANSITION', round: current });
  const now = deps.clock.now();
  if (input.to === 'open' && now.getTime() > Date.parse(current.value.submissionDeadline)) return err({ code: 'DEADLINE_PASSED', round: current });

  const saved = await deps.repos.rounds.update(
    current,
    { ...current.value, status: input.to },
    auditEvent(current.value.id, input.actorId, 'round.status-changed', current.value.id, now, { from, to: input.to }),
  );
  if (saved.ok) return ok({ round: saved.value, changed: true });
  const latest = await deps.repos.rounds.get(input.roundId);
  return latest ? err({ code: 'STALE', round: latest }) : err({ code: 'NOT_FOUND' });
}
