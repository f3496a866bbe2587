import type { ApplicationStatus } from '../domain/application';
import type { Round } from '../domain/round';
import type { Deps } from './deps';
import { workingRound } from './admin-round';

export interface RoundOverview {
  round: Round;
  counts: Partial<Record<ApplicationStatus, number>>;
  budget: number;
  awarded: number;
  remaining: number;
  /** Deadlines still ahead, soonest first. */
  deadlinesAhead: { kind: 'submission' | 'review' | 'allocationReport' | 'resultsReport'; at: string }[];
  /** Awarded applications and whether their results are in. */
  results: { reference: string; title: string; organisation: string; reported: boolean }[];
}

/** The round at a glance, for the accounthouder: from one read of the round. */
export async function roundOverview(deps: Deps, roundId?: string): Promise<RoundOverview | undefined> {
  const round = await workingRound(deps, roundId);
  const snapshot = round && (await deps.repos.allocation.snapshot(round.value.id));
  if (!snapshot) return undefined;
  const r = snapshot.round.value;
  const now = deps.clock.now().getTime();
  const counts: Partial<Record<ApplicationStatus, number>> = {};
  for (const a of snapshot.applications) counts[a.value.status] = (counts[a.value.status] ?? 0) + 1;
  const awarded = snapshot.ledger?.value.spent ?? 0;
  const deadlines = [
    { kind: 'submission' as const, at: r.submissionDeadline },
    { kind: 'review' as const, at: r.reviewDeadline },
    { kind: 'allocationReport' as const, at: r.councilAllocationReportDue },
    { kind: 'resultsReport' as const, at: r.councilResultsReportDue },
  ];
  return {
    round: r,
    counts,
    budget: r.budget,
    awarded,
    remaining: r.budget - awarded,
    deadlinesAhead: deadlines.filter((d) => Date.parse(d.at) >= now).sort((a, b) => a.at.localeCompare(b.at)),
    results: snapshot.applications
      .filter((a) => (a.value.decision?.awarded ?? 0) > 0)
      .map((a) => ({
        reference: a.value.reference ?? '',
        title: a.value.fields.title ?? '',
        organisation: a.value.fields.organisation ?? '',
        reported: a.value.results?.state === 'submitted',
      }))
      .sort((a, b) => a.reference.localeCompare(b.reference)),
  };
}
