import { Round, submissionWindow, SubmissionWindow } from '../domain/round';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';

export interface CurrentRound {
  round: Round;
  window: SubmissionWindow;
}

/**
 * The round a partner sees: the one open for applications now, else the nearest coming or most
 * recent open one. Undefined when no round is configured.
 */
export async function currentRound({ repos, clock }: Deps): Promise<CurrentRound | undefined> {
  const now = clock.now();
  const rounds = (await repos.rounds.list()).filter((r) => r.status === 'open' || r.status === 'paused');
  const withWindow = rounds.map((round) => ({ round, window: submissionWindow(round, now) }));
  const rank = (w: SubmissionWindow) => ['open', 'not-yet-open', 'round-not-open', 'deadline-passed'].indexOf(w);
  withWindow.sort((a, b) => rank(a.window) - rank(b.window) || b.round.opensAt.localeCompare(a.round.opensAt));
  return withWindow[0];
}

/** A round by its id (an application's own round, the round a card names). */
export async function roundOf(deps: Deps, roundId: string): Promise<Versioned<Round> | undefined> {
  return deps.repos.rounds.get(roundId);
}
