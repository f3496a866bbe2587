import { liveRounds, type Round } from '../domain/round';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';

/** A round as a command names it: by id (`ronde LBN-2026`) or by year (`ronde 2026`). */
export type RoundArg = { id: string } | { year: number };

export type PickedRound =
  | { kind: 'round'; round: Versioned<Round> }
  /** More than one round fits: the person chooses (the rounds of that year, or every live round). */
  | { kind: 'choose'; rounds: Round[] }
  /** The round named is not there. */
  | { kind: 'not-found' }
  /** No round at all yet (or none of the year named: it can be created). */
  | { kind: 'none' };

/**
 * The round a command means. Named by id: that round, or not found. Named by year: the round of
 * that year, or a choice when the year has more than one. Not named: a choice when more than one
 * round is live (`liveRounds`: a deadline still to come; of those only the `relevant` ones when the
 * command has such a rule and any fit it: one left is the round meant), else the command's own default
 * (`adminRound`: the newest; `workingRound`: the one with the nearest deadline).
 */
export async function pickRound(
  deps: Deps,
  arg: RoundArg | undefined,
  fallback: (deps: Deps) => Promise<Versioned<Round> | undefined>,
  /** Of the live rounds, those the command can still act on (`raadpleging`: criteria not yet frozen); one left is the round meant. */
  relevant?: (deps: Deps, round: Round) => Promise<boolean>,
): Promise<PickedRound> {
  if (arg && 'id' in arg) {
    const round = await deps.repos.rounds.get(arg.id);
    return round ? { kind: 'round', round } : { kind: 'not-found' };
  }
  const rounds = await deps.repos.rounds.list();
  if (arg) {
    const ofYear = rounds.filter((r) => r.year === arg.year).sort((a, b) => a.opensAt.localeCompare(b.opensAt) || a.id.localeCompare(b.id));
    if (ofYear.length > 1) return { kind: 'choose', rounds: ofYear };
    const round = ofYear[0] && (await deps.repos.rounds.get(ofYear[0].id));
    return round ? { kind: 'round', round } : { kind: 'none' };
  }
  let live = liveRounds(rounds, deps.clock.now());
  if (relevant && live.length > 1) {
    const keep = await Promise.all(live.map((r) => relevant(deps, r)));
    const fit = live.filter((_, i) => keep[i]);
    if (fit.length === 1) {
      const only = await deps.repos.rounds.get(fit[0]!.id);
      if (only) return { kind: 'round', round: only };
    }
    if (fit.length > 1) live = fit;
  }
  if (live.length > 1) return { kind: 'choose', rounds: live };
  const round = await fallback(deps);
  return round ? { kind: 'round', round } : { kind: 'none' };
}
