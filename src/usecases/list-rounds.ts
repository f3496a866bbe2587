import type { Round } from '../domain/round';
import type { Deps } from './deps';

/** Rounds newest first: the latest year, the latest opening within it. */
export function sortNewestFirst(rounds: readonly Round[]): Round[] {
  return [...rounds].sort((a, b) => b.year - a.year || b.opensAt.localeCompare(a.opensAt) || b.id.localeCompare(a.id));
}

/** Every round, newest first: the choice of a round to copy from. */
export async function listRounds(deps: Deps): Promise<Round[]> {
  return sortNewestFirst(await deps.repos.rounds.list());
}
