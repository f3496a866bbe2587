import type { Clock } from '../clock';
import type { Repos } from '../ports';

/** What every use case gets: the repositories and the clock. */
export interface Deps {
  repos: Repos;
  clock: Clock;
  /** Entra object ids of the accounthouders bootstrapped from config. */
  accounthouders?: readonly string[];
  /** Keys the pseudonyms that replace people's ids when their term passes (PSEUDONYM_SECRET). */
  pseudonymSecret?: string;
}
