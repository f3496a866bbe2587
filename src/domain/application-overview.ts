import type { Answer, ApplicationStatus } from './application';
import type { ReviewBundle } from './review';
import { countedSheets, effectiveQuorum, reviewProgress } from './scoring';
import type { RoundSnapshot } from './snapshot';

/**
 * Every application of a round with where it stands, for the accounthouder: the overview workbook
 * and the `aanvragen` card. Pure. Review progress comes from the review rows when the snapshot has
 * them (an open review), else from the result kept on the application (a closed one).
 *
 * Recusals are counted; who recused is in `recusedMembers` only when asked for (`named`), because
 * the default export can be passed on.
 */

export type ReviewState = 'none' | 'waiting' | 'open' | 'delayed' | 'closed' | 'settled';

export interface OverviewRow {
  applicationId: string;
  /** Absent for drafts. */
  reference?: string;
  status: ApplicationStatus;
  organisation: string;
  wijk: string;
  title: string;
  requested?: number;
  awarded?: number;
  outcome?: 'awarded' | 'partial' | 'declined';
  decidedAt?: string;
  submittedAt?: string;
  review: {
    state: ReviewState;
    /** Sheets that count, and how many are needed (the effective quorum), and who may judge. */
    scored: number;
    needed: number;
    eligible: number;
  };
  /** The panel's mean per criterion id, once the review closed. */
  criteria: Record<string, number | undefined>;
  /** Overall weighted score 0..1, once the review closed. */
  overall?: number;
  knockedOut: boolean;
  /** Ids of the criteria under their minimum. */
  knockouts: string[];
  recusals: { organisation: number; declared: number };
  /** Only in the named version: the recused members' names. */
  recusedMembers?: string[];
  results: 'submitted' | 'draft' | 'missing' | 'n/a';
  /** The answers to the round's own questions (`fields.answers`; gone once anonymised). */
  answers?: Record<string, Answer>;
  /** Where the review card is in Teams, when it was posted. */
  thread?: { channelId?: string; threadId?: string; activityId?: string; tenantId?: string; teamId?: string };
}

export interface OverviewLedger {
  budget: number;
  /** What the budget ledger holds as spent. */
  spent: number;
  remaining: number;
  decisions: { id: string; approvedAt: string; awarded: number; declined: number; total: number; cumulative: number }[];
}

function stateOf(row: { status: ApplicationStatus; reviewNote?: string }, bundle: ReviewBundle | undefined, hasResult: boolean): ReviewState {
  if (row.status === 'draft' || row.status === 'withdrawn') return hasResult ? 'closed' : 'none';
  if (row.reviewNote === 'settled') return 'settled';
  if (hasResult) return 'closed';
  if (row.reviewNote === 'delayed') return 'delayed';
  return bundle?.review?.value.state === 'posted' ? 'open' : 'waiting';
}

/**
 * One row per application (drafts included), in reference order (drafts last, by creation).
 * `only`: just these applications (a page of the card, whose review rows were read for it).
 */
export function overviewRows(snapshot: RoundSnapshot, options: { named?: boolean; only?: ReadonlySet<string> } = {}): OverviewRow[] {
  const round = snapshot.round.value;
  const byId = new Map(snapshot.panel.map((m) => [m.userId, m]));
  const only = options.only;
  return snapshot.applications
    .filter((a) => !only || only.has(a.value.id))
    .map(({ value: a }): OverviewRow => {
      const bundle = snapshot.bundles?.get(a.id);
      const result = a.reviewResult;
      const sheets = bundle?.sheets.map((s) => s.value) ?? [];
      const progress = reviewProgress(snapshot.panel, a.fields, bundle?.recusals ?? [], sheets);
      const recusals = { organisation: 0, declared: 0 };
      if (result?.facts) {
        recusals.organisation = result.facts.recused.organisation;
        recusals.declared = result.facts.recused.declared;
      } else for (const r of progress.recused) recusals[r.recusal.reason] += 1;
      const review = result
        ? { scored: result.sheets, needed: result.quorum, eligible: progress.eligible.length }
        : {
            scored: countedSheets(progress, sheets).length,
            needed: effectiveQuorum(round.quorum, progress.eligible.length),
            eligible: progress.eligible.length,
          };
      const rec = bundle?.review?.value;
      return {
        applicationId: a.id,
        ...(a.reference ? { reference: a.reference } : {}),
        status: a.status,
        organisation: a.fields.organisation ?? '',
        wijk: a.fields.wijk ?? '',
        title: a.fields.title ?? '',
        ...(a.fields.amount === undefined ? {} : { requested: a.fields.amount }),
        ...(a.decision ? { awarded: a.decision.awarded, outcome: a.decision.outcome, decidedAt: a.decision.decidedAt } : {}),
        ...(a.submittedAt ? { submittedAt: a.submittedAt } : {}),
        review: { state: stateOf(a, bundle, Boolean(result)), ...review },
        criteria: Object.fromEntries(round.criteria.items.map((c) => [c.id, result?.criteria.find((x) => x.criterionId === c.id)?.mean])),
        ...(result?.overall === undefined ? {} : { overall: result.overall }),
        knockedOut: result?.knockedOut ?? false,
        knockouts: result?.criteria.filter((c) => c.knockout).map((c) => c.criterionId) ?? [],
        recusals,
        ...(options.named ? { recusedMembers: progress.recused.map((r) => byId.get(r.member.userId)?.name ?? '').filter(Boolean) } : {}),
        ...(a.fields.answers ? { answers: a.fields.answers } : {}),
        results: (a.decision?.awarded ?? 0) > 0 ? (a.results ? (a.results.state === 'submitted' ? 'submitted' : 'draft') : 'missing') : 'n/a',
        ...(rec?.threadId || rec?.activityId
          ? {
              thread: {
                ...(rec.channelId ? { channelId: rec.channelId } : {}),
                ...(rec.threadId ? { threadId: rec.threadId } : {}),
                ...(rec.activityId ? { activityId: rec.activityId } : {}),
                ...(rec.tenantId ? { tenantId: rec.tenantId } : {}),
                ...(rec.teamId ? { teamId: rec.teamId } : {}),
              },
            }
          : {}),
      };
    })
    .sort((x, y) => (x.reference ?? '\uffff').localeCompare(y.reference ?? '\uffff') || x.applicationId.localeCompare(y.applicationId));
}

/** The budget ledger: the budget, every decision in order with the running total, and what the ledger holds. */
export function overviewLedger(snapshot: RoundSnapshot): OverviewLedger {
  const budget = snapshot.round.value.budget;
  let cumulative = 0;
  const decisions = snapshot.decisions
    .map((d) => d.value)
    .sort((a, b) => a.approvedAt.localeCompare(b.approvedAt) || a.id.localeCompare(b.id))
    .map((d) => {
      cumulative += d.total;
      return {
        id: d.id,
        approvedAt: d.approvedAt,
        awarded: d.lines.filter((l) => l.awarded > 0).length,
        declined: d.lines.filter((l) => l.awarded === 0).length,
        total: d.total,
        cumulative,
      };
    });
  const spent = snapshot.ledger?.value.spent ?? 0;
  return { budget, spent, remaining: budget - spent, decisions };
}
