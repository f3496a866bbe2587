import type { Round } from '../domain/round';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';

/**
 * The round an accounthouder works on: the one asked for, else the newest by year. Undefined when
 * there is none yet.
 */
export async function adminRound(deps: Deps, roundId?: string): Promise<Versioned<Round> | undefined> {
  if (roundId) return deps.repos.rounds.get(roundId);
  const newest = (await deps.repos.rounds.list()).sort((a, b) => b.year - a.year || b.id.localeCompare(a.id))[0];
  return newest && deps.repos.rounds.get(newest.id);
}

/** The round of that year, whatever its prefix. */
export async function roundOfYear(deps: Deps, year: number): Promise<Versioned<Round> | undefined> {
  const found = (await deps.repos.rounds.list()).find((r) => r.year === year);
  return found && deps.repos.rounds.get(found.id);
}

/** Criteria may change until the first application of the round is submitted. */
export async function criteriaFrozen(deps: Deps, round: Round): Promise<boolean> {
  return (await deps.repos.rounds.submissionCount(round.id)) > 0;
}

/** The year of the newest round there is (the settings card offers to start the year after it). */
export async function newestRoundYear(deps: Deps): Promise<number | undefined> {
  const years = (await deps.repos.rounds.list()).map((r) => r.year);
  return years.length ? Math.max(...years) : undefined;
}
