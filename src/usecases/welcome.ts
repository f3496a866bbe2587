import { openConsultation } from './consultation';
import { currentRound, CurrentRound } from './current-round';
import type { Deps } from './deps';

export interface Welcome {
  /** The round a partner sees (if any). */
  current?: CurrentRound;
  /** A criteria consultation anyone may join now: its round and closing date. */
  consultation?: { roundId: string; closesAt: string };
}

/** What the welcome card shows: the current round, and the open entry to a running consultation until its closing date. */
export async function welcome(deps: Deps): Promise<Welcome> {
  const [current, consultation] = await Promise.all([currentRound(deps), openConsultation(deps)]);
  return { ...(current ? { current } : {}), ...(consultation ? { consultation } : {}) };
}
