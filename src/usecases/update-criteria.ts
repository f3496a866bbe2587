import { auditEvent } from '../domain/audit';
import { CriteriaErrors, RawCriteriaEdit, sameCriteria, validateCriteriaEdit } from '../domain/criteria-edit';
import { err, ok, Result } from '../domain/result';
import type { Round } from '../domain/round';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';
import { criteriaFrozen } from './admin-round';
import { isAccounthouder } from './roles';

export type UpdateCriteriaError =
  | { code: 'FORBIDDEN' }
  | { code: 'NOT_FOUND' }
  /** An application has been submitted: everyone is judged by the same criteria. */
  | { code: 'FROZEN'; round: Versioned<Round> }
  /** The card shows an older version of the criteria: nothing stored. */
  | { code: 'STALE'; round: Versioned<Round> }
  | { code: 'INVALID'; round: Versioned<Round>; errors: CriteriaErrors };

/**
 * Saves an edit of the round's criteria as the next version. Refused once an application of the
 * round has been submitted — checked again in the same transaction as the write, so a submission
 * at the same moment either came first (refused, FROZEN) or sees the new version.
 */
export async function updateCriteria(
  deps: Deps,
  input: { actorId: string; roundId: string; version: number; raw: RawCriteriaEdit },
): Promise<Result<{ round: Versioned<Round>; changed: boolean }, UpdateCriteriaError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const current = await deps.repos.rounds.get(input.roundId);
  if (!current) return err({ code: 'NOT_FOUND' });
  if (await criteriaFrozen(deps, current.value)) return err({ code: 'FROZEN', round: current });
  if (current.value.criteria.version !== input.version) return err({ code: 'STALE', round: current });
  const validated = validateCriteriaEdit(current.value.criteria, input.raw);
  if (!validated.ok) return err({ code: 'INVALID', round: current, errors: validated.error });
  if (sameCriteria(current.value.criteria, validated.value)) return ok({ round: current, changed: false });

  const now = deps.clock.now();
  const saved = await deps.repos.rounds.update(
    current,
    { ...current.value, criteria: validated.value },
    auditEvent(current.value.id, input.actorId, 'round.criteria-changed', current.value.id, now, {
      version: validated.value.version,
      count: validated.value.items.length,
    }),
    { whileNoSubmissions: true },
  );
  if (saved.ok) return ok({ round: saved.value, changed: true });
  const latest = await deps.repos.rounds.get(input.roundId);
  if (!latest) return err({ code: 'NOT_FOUND' });
  return saved.error.code === 'FROZEN' ? err({ code: 'FROZEN', round: latest }) : err({ code: 'STALE', round: latest });
}
