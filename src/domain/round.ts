import { CriteriaSet } from './criteria';
import type { ApplicationForm } from './form-types';
import type { RetentionTerms } from './retention-terms';

export type RoundStatus = 'draft' | 'open' | 'paused' | 'closed';

/** A Teams channel linked as review channel (by an accounthouder, with "koppel beoordeling"). */
export interface ChannelLink {
  teamId: string;
  channelId: string;
  serviceUrl: string;
  tenantId: string;
  /** The bot's id in that team, as Teams addressed it when the channel was linked. */
  botId: string;
  linkedBy: string;
  linkedAt: string;
}

/** Where a round's applications go for review: one channel, optionally another one per wijk. */
export interface ReviewRouting {
  default?: ChannelLink;
  byWijk: Record<string, ChannelLink>;
}

/** A grant round (ronde). Every value is configuration, set by the accounthouder. */
export interface Round {
  id: string;
  /** Prefix of reference numbers, e.g. LB → LB-2026-007. */
  referencePrefix: string;
  name: string;
  year: number;
  /** Whole euros. */
  budget: number;
  /** Whole euros, the most one application may request. */
  maxPerApplication: number;
  /** ISO instants. */
  opensAt: string;
  submissionDeadline: string;
  reviewDeadline: string;
  councilAllocationReportDue: string;
  councilResultsReportDue: string;
  wijken: string[];
  quorum: number;
  /** The first application that does not fit whole in the budget may get what is left. */
  allowPartialAwards: boolean;
  /** Warn when one organisation would get more than this share of the budget (0..1). */
  concentrationLimit: number;
  criteria: CriteriaSet;
  status: RoundStatus;
  routing: ReviewRouting;
  /** How long the people in its applications stay in the record (absent: `DEFAULT_RETENTION`). */
  retention?: RetentionTerms;
  /** The application form (absent: `DEFAULT_FORM`); frozen from the first submission, like the criteria. */
  form?: ApplicationForm;
  /** The one-time token of the card that started this round: the same card pressed again is the same round, not a taken prefix. */
  createdWith?: string;
}

/** The channel an application of this wijk is reviewed in, if any is linked. */
export function reviewChannelFor(round: Round, wijk: string | undefined): ChannelLink | undefined {
  return (wijk ? round.routing.byWijk[wijk] : undefined) ?? round.routing.default;
}

export const STADSBREED = 'Stadsbreed';

export type SubmissionWindow = 'open' | 'not-yet-open' | 'deadline-passed' | 'round-not-open';

export function submissionWindow(round: Round, now: Date): SubmissionWindow {
  if (round.status !== 'open') return 'round-not-open';
  if (now.getTime() < Date.parse(round.opensAt)) return 'not-yet-open';
  if (now.getTime() > Date.parse(round.submissionDeadline)) return 'deadline-passed';
  return 'open';
}

/** A round's id: its reference prefix and year, e.g. LB-2026, LBN-2026 (more rounds a year each have their own prefix). */
export const ROUND_ID = /^[A-Z]{1,6}-\d{4}$/;
/** A reference prefix: capital letters only, unique among the rounds of a year (it makes the round id unique). */
export const ROUND_PREFIX = /^[A-Z]{1,6}$/;

const DEADLINES = ['submissionDeadline', 'reviewDeadline', 'councilAllocationReportDue', 'councilResultsReportDue'] as const;

/** The round's nearest deadline that has not passed, if any. */
export function nextDeadline(round: Round, now: Date): string | undefined {
  return DEADLINES.map((k) => round[k])
    .filter((d) => Date.parse(d) >= now.getTime())
    .sort()[0];
}

/**
 * The rounds still running: a deadline (submission, review, either council report) is still to
 * come. With more than one, a command that names no round asks which one is meant.
 */
export function liveRounds<R extends Round>(rounds: readonly R[], now: Date): R[] {
  return rounds.filter((r) => nextDeadline(r, now) !== undefined).sort((a, b) => a.opensAt.localeCompare(b.opensAt) || a.id.localeCompare(b.id));
}

export function roundIdFor(prefix: string, year: number): string {
  return `${prefix}-${year}`;
}

/** Neighbourhoods of Zwolle used by the demo round; a real round configures its own list. */
export const ZWOLLE_WIJKEN = [
  'Aa-landen',
  'Assendorp',
  'Berkum',
  'Binnenstad-Diezerpoort',
  'Holtenbroek',
  'Kamperpoort-Veerallee',
  'Stadshagen',
  'Westenholte',
  'Wipstrik-Oud-Zwolle',
  'Zwolle-Zuid',
];
