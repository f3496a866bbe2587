import { liveRounds, type Round } from '../domain/round';
import type { Versioned } from '../domain/versioned';
import { adminRound } from './admin-round';
import type { Deps } from './deps';

/** Whether this channel is a review channel of the round (for all, or for one wijk). */
const routesTo = (round: Round, channelId: string): boolean =>
  round.routing.default?.channelId === channelId || Object.values(round.routing.byWijk).some((l) => l.channelId === channelId);

export type ChannelRound = { kind: 'round'; round: Versioned<Round> } | { kind: 'not-found' } | { kind: 'none' } | { kind: 'choose'; rounds: Round[] };

/**
 * The round a panel command in a channel means (`panel`, the panel card's buttons): the round
 * named (`panel LBN-2026`, or the id on the card); else the live round this channel reviews for;
 * else, with one live round or none, the newest round; with more than one live round and this
 * channel linked to none or several of them, the accounthouder names it.
 */
export async function channelRound(deps: Deps, input: { channelId: string; roundId?: string }): Promise<ChannelRound> {
  if (input.roundId) {
    const round = await deps.repos.rounds.get(input.roundId);
    return round ? { kind: 'round', round } : { kind: 'not-found' };
  }
  const live = liveRounds(await deps.repos.rounds.list(), deps.clock.now());
  const here = live.filter((r) => routesTo(r, input.channelId));
  const only = here.length === 1 ? here[0] : live.length <= 1 ? undefined : null;
  if (only === null) return { kind: 'choose', rounds: here.length ? here : live };
  const round = only ? await deps.repos.rounds.get(only.id) : await adminRound(deps);
  return round ? { kind: 'round', round } : { kind: 'none' };
}

/**
 * The round "koppel beoordeling" links this channel to: the round named, else the newest round when
 * at most one is live; with more than one live round the accounthouder names it (a channel linked
 * to the wrong round would post another regeling's applications there).
 */
export async function roundToLink(deps: Deps, roundId: string | undefined): Promise<ChannelRound> {
  if (roundId) {
    const round = await deps.repos.rounds.get(roundId);
    return round ? { kind: 'round', round } : { kind: 'not-found' };
  }
  const live = liveRounds(await deps.repos.rounds.list(), deps.clock.now());
  if (live.length > 1) return { kind: 'choose', rounds: live };
  const round = await adminRound(deps);
  return round ? { kind: 'round', round } : { kind: 'none' };
}
