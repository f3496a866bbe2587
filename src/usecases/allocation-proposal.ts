import { Candidate, fingerprint, Proposal, propose } from '../domain/allocation';
import type { Round } from '../domain/round';
import type { ReviewResult } from '../domain/review-result';
import type { RoundSnapshot } from '../domain/snapshot';
import type { Versioned } from '../domain/versioned';
import type { Application } from '../domain/application';
import type { Deps } from './deps';
import { resultIn } from './load-review';

/** One approval is one Table transaction (≤ 100 operations): more reviewed applications wait for the next. */
export const MAX_LINES_PER_DECISION = 90;

export interface CurrentProposal {
  round: Round;
  snapshot: RoundSnapshot;
  proposal: Proposal;
  fingerprint: string;
  /** The review result of every application in the proposal, for the cards. */
  results: Map<string, ReviewResult>;
  /** Per application in the proposal: the co-applicants the bot could not link to the registry at submission. */
  unlinked?: Map<string, string[]>;
}

/**
 * The co-applicants of an application that are not linked to a registry entry: at submission each
 * one the registry did not know (or knew more than one of) kept its typed name and an empty id.
 * Applications from before the registry (no ids at all) are not flagged.
 */
export function unlinkedCoApplicants(a: Application): string[] {
  const ids = a.fields.coApplicantIds;
  if (!ids) return [];
  return (a.fields.coApplicants ?? []).filter((_, i) => !ids[i]);
}

/** Reviewed applications not decided yet, with their panel result. */
export function candidatesOf(snapshot: RoundSnapshot): {
  candidates: Candidate[];
  results: Map<string, ReviewResult>;
  apps: Map<string, Versioned<Application>>;
} {
  const results = new Map<string, ReviewResult>();
  const apps = new Map<string, Versioned<Application>>();
  const candidates: Candidate[] = [];
  for (const app of snapshot.applications) {
    const a = app.value;
    if (a.status !== 'reviewed' || a.decision) continue;
    const result = resultIn(snapshot, app);
    results.set(a.id, result);
    apps.set(a.id, app);
    candidates.push({
      applicationId: a.id,
      reference: a.reference ?? '',
      title: a.fields.title ?? '',
      organisation: a.fields.organisation ?? '',
      ...(a.fields.organisationId ? { organisationId: a.fields.organisationId } : {}),
      wijk: a.fields.wijk ?? '',
      requested: a.fields.amount ?? 0,
      ...(result.quorumMet && result.overall !== undefined ? { score: result.overall } : {}),
      knockedOut: result.knockedOut,
      submittedAt: a.submittedAt ?? a.createdAt,
    });
  }
  return { candidates, results, apps };
}

/** Reviewed, undecided applications whose result is not on their row (closed before results were kept there). */
const needsReviewRows = (snapshot: RoundSnapshot) =>
  !snapshot.bundles && snapshot.applications.some((a) => a.value.status === 'reviewed' && !a.value.decision && !a.value.reviewResult);

/** The allocation proposal as it stands now, from one read of the round (its application rows, not its review rows). */
export async function currentProposal(deps: Deps, roundId: string): Promise<CurrentProposal | undefined> {
  let snapshot = await deps.repos.allocation.snapshot(roundId);
  if (snapshot && needsReviewRows(snapshot)) snapshot = await deps.repos.allocation.snapshotWithReviews(roundId);
  if (!snapshot) return undefined;
  const round = snapshot.round.value;
  const { candidates, results } = candidatesOf(snapshot);
  const earlier = snapshot.applications
    .filter((a) => (a.value.decision?.awarded ?? 0) > 0)
    .map((a) => ({
      organisation: a.value.fields.organisation ?? '',
      organisationId: a.value.fields.organisationId,
      wijk: a.value.fields.wijk ?? '',
      amount: a.value.decision!.awarded,
    }));
  const spent = snapshot.ledger?.value.spent ?? 0;
  const full = propose(
    candidates,
    { budget: round.budget, spent, allowPartial: round.allowPartialAwards, concentrationLimit: round.concentrationLimit },
    earlier,
  );
  const proposal =
    full.lines.length > MAX_LINES_PER_DECISION
      ? propose(
          candidates.filter((c) => full.lines.slice(0, MAX_LINES_PER_DECISION).some((l) => l.applicationId === c.applicationId)),
          { budget: round.budget, spent, allowPartial: round.allowPartialAwards, concentrationLimit: round.concentrationLimit },
          earlier,
        )
      : full;
  const inProposal = new Set(proposal.lines.map((l) => l.applicationId));
  const unlinked = new Map<string, string[]>();
  for (const app of snapshot.applications) {
    const names = inProposal.has(app.value.id) ? unlinkedCoApplicants(app.value) : [];
    if (names.length) unlinked.set(app.value.id, names);
  }
  return { round, snapshot, proposal, fingerprint: fingerprint(proposal), results, unlinked };
}
