import { auditEvent } from '../domain/audit';
import { err, ok, Result } from '../domain/result';
import type { Round } from '../domain/round';
import { frozenChanges, RawSettings, retentionChanged, sameSettings, SettingsErrors, validateRoundSettings } from '../domain/round-settings';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';
import { isAccounthouder } from './roles';

export type UpdateSettingsError =
  | { code: 'FORBIDDEN' }
  | { code: 'NOT_FOUND' }
  /** Someone changed the round since the card was drawn: nothing stored, show the fresh round. */
  | { code: 'STALE'; round: Versioned<Round> }
  /** `spent` says how much was already awarded when the budget was refused for being lower. */
  | { code: 'INVALID'; round: Versioned<Round>; errors: SettingsErrors; spent?: number };

/**
 * Saves the round-settings card. The card carries the ETag it was drawn from; an older card, or a
 * change by someone else at the same moment, stores nothing. Saving unchanged values writes nothing.
 */
export async function updateRoundSettings(
  deps: Deps,
  input: { actorId: string; roundId: string; etag: string; raw: RawSettings },
): Promise<Result<{ round: Versioned<Round>; changed: boolean }, UpdateSettingsError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const current = await deps.repos.rounds.get(input.roundId);
  if (!current) return err({ code: 'NOT_FOUND' });
  if (current.etag !== input.etag) return err({ code: 'STALE', round: current });
  const validated = validateRoundSettings(input.raw, { year: current.value.year, current: current.value });
  if (!validated.ok) return err({ code: 'INVALID', round: current, errors: validated.error });
  if (sameSettings(current.value, validated.value)) return ok({ round: current, changed: false });
  const frozen = frozenChanges(current.value, validated.value);
  const frozenErrors = Object.fromEntries(frozen.map((f) => [f, 'frozen'])) as SettingsErrors;
  if (frozen.length && (await deps.repos.rounds.submissionCount(current.value.id)) > 0) return err({ code: 'INVALID', round: current, errors: frozenErrors });

  const now = deps.clock.now();
  const changedFields = (Object.keys(validated.value) as (keyof typeof validated.value)[]).filter((f) =>
    f === 'retention'
      ? validated.value.retention !== undefined && retentionChanged(validated.value, current.value)
      : JSON.stringify(validated.value[f]) !== JSON.stringify(current.value[f]),
  );
  // A changed term is audited with both values: it applies to what is not anonymised yet and never brings anything back.
  const terms = (r: { retention?: Round['retention'] }) =>
    r.retention ? `${r.retention.notAwardedMonths}/${r.retention.draftMonths}/${r.retention.awardedYears}` : 'default';
  const retentionDetails: Record<string, string> = changedFields.includes('retention')
    ? { retentionFrom: terms(current.value), retentionTo: terms(validated.value) }
    : {};
  const saved = await deps.repos.rounds.update(
    current,
    { ...current.value, ...validated.value },
    auditEvent(current.value.id, input.actorId, 'round.updated', current.value.id, now, { fields: changedFields.join(','), ...retentionDetails }),
    // Both checked in the same transaction as the write: a submission or an approval at the same moment cannot slip past.
    { ...(frozen.length ? { whileNoSubmissions: true } : {}), ...(validated.value.budget < current.value.budget ? { budgetCoversSpent: true } : {}) },
  );
  if (saved.ok) return ok({ round: saved.value, changed: true });
  if (saved.error.code === 'FROZEN') return err({ code: 'INVALID', round: current, errors: frozenErrors });
  if (saved.error.code === 'OVERSPENT') return err({ code: 'INVALID', round: current, errors: { budget: 'belowAwarded' }, spent: saved.error.spent });
  const latest = await deps.repos.rounds.get(input.roundId);
  return latest ? err({ code: 'STALE', round: latest }) : err({ code: 'NOT_FOUND' });
}
