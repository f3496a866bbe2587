import type { ApplicationStatus } from '../domain/application';
import { overviewRows, type OverviewRow } from '../domain/application-overview';
import { normaliseOrganisation } from '../domain/organisation';
import { err, ok, type Result } from '../domain/result';
import type { Round } from '../domain/round';
import { adminRound } from './admin-round';
import type { Deps } from './deps';
import { isAccounthouder } from './roles';

/** Applications on one page of the `aanvragen` card (each about 1 KB at its largest: 20 stay far under Teams' 80 KB). */
export const APPLICATIONS_PAGE = 20;

export interface ApplicationsFilter {
  status?: ApplicationStatus;
  wijk?: string;
  /** Part of the organisation's name, compared as the registry compares names. */
  organisation?: string;
}

export interface ApplicationsPage {
  round: Round;
  filter: ApplicationsFilter;
  rows: OverviewRow[];
  /** Applications in the round, and those the filter lets through. */
  total: number;
  matched: number;
  /** 1-based; a page past the end is read as the last. */
  page: number;
  pages: number;
}

export type ApplicationsError = { code: 'FORBIDDEN' } | { code: 'NO_ROUND' };

export function filterRows(rows: OverviewRow[], filter: ApplicationsFilter): OverviewRow[] {
  const org = filter.organisation ? normaliseOrganisation(filter.organisation) : '';
  return rows.filter(
    (r) =>
      (!filter.status || r.status === filter.status) &&
      (!filter.wijk || r.wijk === filter.wijk) &&
      (!org || normaliseOrganisation(r.organisation).includes(org)),
  );
}

/**
 * Every application of the round (drafts included) for an accounthouder, filtered and paged. The
 * filter runs on the application rows (one read of the round without review rows); only the
 * applications on the page get their review rows read (a key-range read each, in parallel), for
 * the progress of open reviews and the link to the review thread.
 */
export async function listApplications(
  deps: Deps,
  input: { actorId: string; roundId?: string; filter: ApplicationsFilter; page: number },
): Promise<Result<ApplicationsPage, ApplicationsError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const round = await adminRound(deps, input.roundId);
  const snapshot = round && (await deps.repos.allocation.snapshot(round.value.id));
  if (!snapshot) return err({ code: 'NO_ROUND' });
  const all = overviewRows(snapshot);
  const matched = filterRows(all, input.filter);
  const pages = Math.max(1, Math.ceil(matched.length / APPLICATIONS_PAGE));
  const page = Math.min(Math.max(1, input.page), pages);
  const shown = matched.slice((page - 1) * APPLICATIONS_PAGE, page * APPLICATIONS_PAGE);
  const roundId = snapshot.round.value.id;
  const bundles = new Map(await Promise.all(shown.map(async (r) => [r.applicationId, await deps.repos.reviews.bundle(roundId, r.applicationId)] as const)));
  return ok({
    round: snapshot.round.value,
    filter: input.filter,
    rows: overviewRows({ ...snapshot, bundles }, { only: new Set(bundles.keys()) }),
    total: all.length,
    matched: matched.length,
    page,
    pages,
  });
}

/** The round an accounthouder exports (the one asked for, else the newest). */
export async function exportRound(deps: Deps, input: { actorId: string; roundId?: string }): Promise<Result<Round, ApplicationsError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const round = await adminRound(deps, input.roundId);
  return round ? ok(round.value) : err({ code: 'NO_ROUND' });
}
