import { openConsultation } from './consultation';
import { currentRounds, CurrentRound, openForApplications } from './current-round';
import type { Deps } from './deps';

export interface Welcome {
  /** The round a partner sees (if any). */
  current?: CurrentRound;
  /** The rounds open for applications now; with more than one the partner chooses (each its own button). */
  open: CurrentRound[];
  /** A criteria consultation anyone may join now: its round and closing date. */
  consultation?: { roundId: string; closesAt: string };
}

/** What the welcome card shows: the current round, and the open entry to a running consultation until its closing date. */
export async function welcome(deps: Deps): Promise<Welcome> {
  const [rounds, consultation] = await Promise.all([currentRounds(deps), openConsultation(deps)]);
  const current = rounds[0];
  return { ...(current ? { current } : {}), open: openForApplications(rounds), ...(consultation ? { consultation } : {}) };
}
