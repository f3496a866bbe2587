import { defaultCriteria } from './criteria';
import { amsterdamDay, amsterdamInstant } from './round-settings';
import { Round, roundIdFor, STADSBREED, ZWOLLE_WIJKEN } from './round';

const DAY = 24 * 60 * 60 * 1000;
/** Every deadline of the demo round: the end of a working day in Zwolle, summer or winter. */
const DEADLINE_TIME = '17:00';

/** `day` (YYYY-MM-DD) plus `days` calendar days. */
function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The day itself, or the Friday before when it falls in a weekend. */
function workingDayOnOrBefore(day: string): string {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return weekday === 6 ? addDays(day, -1) : weekday === 0 ? addDays(day, -2) : day;
}

/**
 * The demo round: Zwolle's wijkgericht leerbudget, on the motion's calendar relative to `now` so
 * that it is open for applications whenever a newcomer runs it: open since two weeks, applications
 * for four more weeks, the review three weeks after that, the council informed about the
 * allocation before the summer that follows, and about effect and results at the end of that
 * year. Every deadline at 17:00 in Zwolle.
 */
export function demoRound(now: Date): Round {
  const year = now.getUTCFullYear();
  const today = amsterdamDay(now.toISOString());
  const submission = addDays(today, 28);
  const review = addDays(submission, 21);
  // Before the summer (30 June) after the review, with at least two weeks to write the report.
  const reviewYear = Number(review.slice(0, 4));
  const summerYear = addDays(review, 14) <= `${reviewYear}-06-30` ? reviewYear : reviewYear + 1;
  const allocationReport = workingDayOnOrBefore(`${summerYear}-06-30`);
  const resultsReport = workingDayOnOrBefore(`${summerYear}-12-15`);
  return {
    id: roundIdFor('LB', year),
    referencePrefix: 'LB',
    name: `Wijkgericht leerbudget ${year}`,
    year,
    budget: 50_000,
    maxPerApplication: 15_000,
    opensAt: amsterdamInstant(addDays(today, -14), '09:00'),
    submissionDeadline: amsterdamInstant(submission, DEADLINE_TIME),
    reviewDeadline: amsterdamInstant(review, DEADLINE_TIME),
    councilAllocationReportDue: amsterdamInstant(allocationReport, DEADLINE_TIME),
    councilResultsReportDue: amsterdamInstant(resultsReport, DEADLINE_TIME),
    wijken: [...ZWOLLE_WIJKEN, STADSBREED],
    quorum: 3,
    allowPartialAwards: true,
    concentrationLimit: 0.4,
    criteria: defaultCriteria(),
    status: 'open',
    routing: { byWijk: {} },
  };
}
