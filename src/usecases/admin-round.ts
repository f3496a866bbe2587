import { nextDeadline, type Round } from '../domain/round';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';

/**
 * The round an accounthouder sets up (`ronde`, the panel, a channel, the consultation): the one
 * asked for, else the newest by year. Undefined when there is none yet.
 */
export async function adminRound(deps: Deps, roundId?: string): Promise<Versioned<Round> | undefined> {
  if (roundId) return deps.repos.rounds.get(roundId);
  const newest = (await deps.repos.rounds.list()).sort((a, b) => b.year - a.year || b.id.localeCompare(a.id))[0];
  return newest && deps.repos.rounds.get(newest.id);
}

/**
 * The round a command about the running work means when it names none (`verslag verdeling`,
 * `verslag resultaten`, `overzicht`, `toekenning`, `vastgelopen`): the one asked for, else the one
 * the person most likely means (see `likelyRound`). The cards name the round they were drawn from.
 */
export async function workingRound(deps: Deps, roundId?: string): Promise<Versioned<Round> | undefined> {
  if (roundId) return deps.repos.rounds.get(roundId);
  const rounds = await deps.repos.rounds.list();
  const decided = new Map<string, string>();
  // Only rounds without a coming deadline need their decisions read (a round is over when none comes).
  const now = deps.clock.now();
  await Promise.all(
    rounds
      .filter((r) => !nextDeadline(r, now))
      .map(async (r) => {
        const latest = (await deps.repos.allocation.decisions(r.id)).map((d) => d.value.approvedAt).sort();
        if (latest.length) decided.set(r.id, latest[latest.length - 1]!);
      }),
  );
  const chosen = likelyRound(rounds, now, decided);
  return chosen && deps.repos.rounds.get(chosen.id);
}

/**
 * The round a command without a round named means: the one with the nearest deadline still to
 * come (a round being prepared as a draft counts only when no other has one); else the one decided
 * last; else the newest by year.
 */
export function likelyRound(rounds: Round[], now: Date, latestDecision: ReadonlyMap<string, string>): Round | undefined {
  const rank = (r: Round): [number, string, number] => {
    const next = nextDeadline(r, now);
    if (next) return [r.status === 'draft' ? 1 : 0, next, 0];
    const decided = latestDecision.get(r.id);
    return decided ? [2, '', -Date.parse(decided)] : [3, '', -r.year];
  };
  return [...rounds].sort((a, b) => {
    const [ga, da, xa] = rank(a);
    const [gb, db, xb] = rank(b);
    return ga - gb || da.localeCompare(db) || xa - xb || b.year - a.year || b.id.localeCompare(a.id);
  })[0];
}

/** The first round of that year found, whatever its prefix (commands ask which when a year has more: `pickRound`). */
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
