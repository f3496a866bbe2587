import type { RoundSnapshot } from '../domain/snapshot';
import { workingRound, roundOfYear } from './admin-round';
import type { Deps } from './deps';

/** The whole round a council report is built from: the round of that year, the named round, or the current one. */
export async function reportSnapshot(deps: Deps, which: { roundId?: string; year?: number } = {}): Promise<RoundSnapshot | undefined> {
  const found = which.year !== undefined ? await roundOfYear(deps, which.year) : await workingRound(deps, which.roundId);
  return found && deps.repos.allocation.snapshot(found.value.id);
}
