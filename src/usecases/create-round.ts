import { auditEvent } from '../domain/audit';
import { defaultCriteria } from '../domain/criteria';
import { err, ok, Result } from '../domain/result';
import type { Round } from '../domain/round';
import { newRoundFor, YEAR_RANGE } from '../domain/round-settings';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';
import { roundOfYear } from './admin-round';
import { isAccounthouder } from './roles';

export type CreateRoundError =
  | { code: 'FORBIDDEN' }
  | { code: 'INVALID_YEAR' }
  /** There is already a round for that year (also: the same button pressed twice). */
  | { code: 'ALREADY_EXISTS'; round: Versioned<Round> };

/**
 * Starts a round for a year, in draft, with the default criteria; budget, dates (moved to the new
 * year), wijken, quorum and review channels are copied from the latest round. The year is fixed
 * from here on: it is in the round id and in every reference.
 */
export async function createRound(deps: Deps, input: { actorId: string; year: number }): Promise<Result<Versioned<Round>, CreateRoundError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  if (!Number.isInteger(input.year) || input.year < YEAR_RANGE.min || input.year > YEAR_RANGE.max) return err({ code: 'INVALID_YEAR' });
  const existing = await roundOfYear(deps, input.year);
  if (existing) return err({ code: 'ALREADY_EXISTS', round: existing });

  const rounds = await deps.repos.rounds.list();
  const latest = rounds.sort((a, b) => b.year - a.year)[0];
  const round = newRoundFor(input.year, latest, defaultCriteria());
  const now = deps.clock.now();
  const created = await deps.repos.rounds.create(
    round,
    auditEvent(round.id, input.actorId, 'round.created', round.id, now, latest ? { copiedFrom: latest.id } : undefined),
  );
  if (created.ok) return created;
  const winner = await deps.repos.rounds.get(round.id);
  if (!winner) throw new Error('round reported as existing but not found');
  return err({ code: 'ALREADY_EXISTS', round: winner });
}
