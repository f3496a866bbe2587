import { Round, submissionWindow, SubmissionWindow } from '../domain/round';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';

export interface CurrentRound {
  round: Round;
  window: SubmissionWindow;
}

/**
 * The rounds a partner sees, best first: those open for applications now, then the nearest coming,
 * then the most recent (open or paused rounds only).
 */
export async function currentRounds({ repos, clock }: Deps): Promise<CurrentRound[]> {
  const now = clock.now();
  const rounds = (await repos.rounds.list()).filter((r) => r.status === 'open' || r.status === 'paused');
  const withWindow = rounds.map((round) => ({ round, window: submissionWindow(round, now) }));
  const rank = (w: SubmissionWindow) => ['open', 'not-yet-open', 'round-not-open', 'deadline-passed'].indexOf(w);
  return withWindow.sort(
    (a, b) =>
      rank(a.window) - rank(b.window) ||
      (a.window === 'open' && b.window === 'open' ? a.round.submissionDeadline.localeCompare(b.round.submissionDeadline) : 0) ||
      b.round.opensAt.localeCompare(a.round.opensAt) ||
      a.round.id.localeCompare(b.round.id),
  );
}

/**
 * The round a partner sees: the one open for applications now (of several, the one whose deadline
 * comes first), else the nearest coming or most recent open one. Undefined when no round is configured.
 */
export async function currentRound(deps: Deps): Promise<CurrentRound | undefined> {
  return (await currentRounds(deps))[0];
}

/** The rounds open for applications now: more than one, and the partner chooses. */
export const openForApplications = (rounds: readonly CurrentRound[]): CurrentRound[] => rounds.filter((r) => r.window === 'open');

/** A round by its id (an application's own round, the round a card names). */
export async function roundOf(deps: Deps, roundId: string): Promise<Versioned<Round> | undefined> {
  return deps.repos.rounds.get(roundId);
}
