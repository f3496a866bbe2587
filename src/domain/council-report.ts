import { organisationKey, outcomeCounts } from './allocation';
import type { Participation } from './consultation';
import { IN_REVIEW, type Application } from './application';
import { normaliseOrganisation } from './organisation';
import { PANEL_ROLES, PanelRole } from './panel';
import type { DecisionRecord } from './decision';
import type { RoundSnapshot } from './snapshot';

/**
 * The data of the two council reports the motion asks for: how the budget was allocated (before
 * the summer) and what it did (end of year). Pure: everything comes from one read of the round,
 * so the totals are the decisions' own totals and add up by construction; `checks` says so.
 *
 * No person appears here: no names, e-mail addresses, phone numbers or user ids (the panel is
 * counted by role, decisions carry no approver). Free text typed by applicants (titles, results)
 * does appear; the publishable (Woo) export leaves it out.
 */

export interface CriterionFact {
  id: string;
  title: string;
  weight: number;
  scaleMin: number;
  scaleMax: number;
  minimum?: number;
}

export interface ProcessFacts {
  roundId: string;
  roundName: string;
  year: number;
  budget: number;
  maxPerApplication: number;
  wijken: string[];
  criteria: { version: number; frozenAt?: string; items: CriterionFact[] };
  panel: { total: number; byRole: Record<PanelRole, number> };
  /** How the criteria were drafted with partners and ervaringsdeskundigen (the motion asks for it). */
  consultation?: {
    startedAt: string;
    closesAt: string;
    publishedAt?: string;
    publishedVersion?: number;
    channelInvited: boolean;
    participation?: Participation;
    changes: { criterionId: string; kind: 'changed' | 'added' }[];
  };
  quorum: number;
  dates: {
    opensAt: string;
    submissionDeadline: string;
    reviewDeadline: string;
    councilAllocationReportDue: string;
    councilResultsReportDue: string;
  };
}

export interface AwardRow {
  applicationId: string;
  reference: string;
  organisation: string;
  /** The registry entry, when linked: shares are counted per entry, whatever the spelling. */
  organisationId?: string;
  wijk: string;
  title: string;
  requested: number;
  awarded: number;
  outcome: 'awarded' | 'partial';
  /** The panel's overall score, 0..1; absent when none was recorded. */
  score?: number;
  decisionId: string;
  decidedAt: string;
}

export interface Share {
  name: string;
  amount: number;
  awards: number;
  /** Of the total awarded, 0..1 (these add up to 1). */
  shareOfAwarded: number;
  /** Of the round's budget, 0..1. */
  shareOfBudget: number;
}

export interface AllocationTotals {
  /** Applications started, drafts included. */
  started: number;
  /** Drafts never submitted. */
  drafts: number;
  /** Submitted (a reference was issued), later withdrawals included. */
  received: number;
  withdrawn: number;
  /** Received and not withdrawn: what the panel had to judge. */
  assessed: number;
  /** Of those, applications whose review closed (with a kept result). */
  reviewed: number;
  /** Of those, applications still in review. */
  inReview: number;
  awarded: number;
  /** Of the awards, those lower than requested. */
  partial: number;
  declined: number;
  /** Received, not withdrawn and not decided yet. */
  undecided: number;
  requestedByAwarded: number;
  totalAwarded: number;
}

export interface DecisionSummary {
  id: string;
  approvedAt: string;
  total: number;
  awarded: number;
  declined: number;
  panelAgree: number;
  panelDisagree: number;
}

export interface DeclineReasons {
  knockout: number;
  unscored: number;
  budget: number;
  byAccounthouder: number;
}

/**
 * What the fairness section says, counted from the kept review facts and the decisions: every
 * sentence of it is derived from these numbers, including when a rule was overridden.
 */
export interface FairnessFacts {
  /** Organisations that submitted (by registry id when linked, else by normalised name). */
  organisations: number;
  /** Closed reviews whose facts were kept (reviews closed before facts were kept are counted apart). */
  withFacts: number;
  withoutFacts: number;
  sheets: number;
  revisedAfterSeen: number;
  recused: { organisation: number; declared: number };
  excludedSheets: number;
  quorumReduced: number;
  /** Reviews the accounthouder closed without the quorum, with their reason. */
  settled: { reference: string; reason: string }[];
  /** Decided lines whose amount is what the score-ranked proposal gave, and those the accounthouder changed. */
  lines: { asProposed: number; adjusted: number };
}

export interface AllocationReportData {
  generatedAt: string;
  process: ProcessFacts;
  fairness: FairnessFacts;
  awards: AwardRow[];
  totals: AllocationTotals;
  declineReasons: DeclineReasons;
  budget: { budget: number; awarded: number; remaining: number };
  byOrganisation: Share[];
  /** Every wijk of the round (also those without an award), then any other wijk awarded. */
  byWijk: Share[];
  decisions: DecisionSummary[];
  /** Consistency of the record: empty when the awards, the decisions and the ledger agree. */
  checks: string[];
}

const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);

function processFacts(snapshot: RoundSnapshot): ProcessFacts {
  const r = snapshot.round.value;
  const firstSubmission = snapshot.applications
    .map((a) => a.value.submittedAt)
    .filter((x): x is string => Boolean(x))
    .sort()[0];
  const byRole = Object.fromEntries(PANEL_ROLES.map((role) => [role, snapshot.panel.filter((m) => m.role === role).length])) as Record<PanelRole, number>;
  return {
    roundId: r.id,
    roundName: r.name,
    year: r.year,
    budget: r.budget,
    maxPerApplication: r.maxPerApplication,
    wijken: [...r.wijken],
    criteria: {
      version: r.criteria.version,
      // Frozen by the first submission (the store refuses criteria changes from then on).
      ...(firstSubmission ? { frozenAt: firstSubmission } : {}),
      items: r.criteria.items.map((c) => ({
        id: c.id,
        title: c.title,
        weight: c.weight,
        scaleMin: c.scaleMin,
        scaleMax: c.scaleMax,
        ...(c.minimum === undefined ? {} : { minimum: c.minimum }),
      })),
    },
    panel: { total: snapshot.panel.length, byRole },
    ...(snapshot.consultation
      ? {
          consultation: {
            startedAt: snapshot.consultation.startedAt,
            closesAt: snapshot.consultation.closesAt,
            ...(snapshot.consultation.publishedAt ? { publishedAt: snapshot.consultation.publishedAt } : {}),
            ...(snapshot.consultation.publishedVersion ? { publishedVersion: snapshot.consultation.publishedVersion } : {}),
            channelInvited: Boolean(snapshot.consultation.channel),
            ...(snapshot.consultation.participation ? { participation: snapshot.consultation.participation } : {}),
            changes: (snapshot.consultation.changes ?? []).map((c) => ({ criterionId: c.criterionId, kind: c.kind })),
          },
        }
      : {}),
    quorum: r.quorum,
    dates: {
      opensAt: r.opensAt,
      submissionDeadline: r.submissionDeadline,
      reviewDeadline: r.reviewDeadline,
      councilAllocationReportDue: r.councilAllocationReportDue,
      councilResultsReportDue: r.councilResultsReportDue,
    },
  };
}

/** Decisions oldest first; lines in the order they were decided. */
function decisionsOf(snapshot: RoundSnapshot): DecisionRecord[] {
  return snapshot.decisions.map((d) => d.value).sort((a, b) => a.approvedAt.localeCompare(b.approvedAt) || a.id.localeCompare(b.id));
}

function awardsOf(decisions: DecisionRecord[]): AwardRow[] {
  return decisions
    .flatMap((d) =>
      d.lines
        .filter((l) => l.awarded > 0)
        .map((l): AwardRow => ({
          applicationId: l.applicationId,
          reference: l.reference,
          organisation: l.organisation,
          ...(l.organisationId ? { organisationId: l.organisationId } : {}),
          wijk: l.wijk,
          title: l.title,
          requested: l.requested,
          awarded: l.awarded,
          outcome: l.outcome === 'partial' ? 'partial' : 'awarded',
          ...(l.score === undefined ? {} : { score: l.score }),
          decisionId: d.id,
          decidedAt: d.approvedAt,
        })),
    )
    .sort((a, b) => a.reference.localeCompare(b.reference));
}

/** Shares per group; `keyOf` says which awards belong together (an organisation by its registry id, else its normalised name), the first name seen is shown. */
function group(awards: AwardRow[], nameOf: (a: AwardRow) => string, keyOf: (a: AwardRow) => string, budget: number, seed: string[] = []): Share[] {
  const total = sum(awards.map((a) => a.awarded));
  const groups = new Map<string, { name: string; amount: number; awards: number }>();
  for (const name of seed) if (!groups.has(name)) groups.set(name, { name, amount: 0, awards: 0 });
  for (const a of awards) {
    const key = keyOf(a);
    const g = groups.get(key) ?? { name: nameOf(a), amount: 0, awards: 0 };
    g.amount += a.awarded;
    g.awards += 1;
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, shareOfAwarded: total > 0 ? g.amount / total : 0, shareOfBudget: budget > 0 ? g.amount / budget : 0 }))
    .sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name, 'nl'));
}

function fairnessOf(received: Application[], decisions: DecisionRecord[]): FairnessFacts {
  const facts = received.filter((a) => a.status !== 'withdrawn').flatMap((a) => (a.reviewResult?.facts ? [{ app: a, f: a.reviewResult.facts }] : []));
  const lines = decisions.flatMap((d) => d.lines);
  return {
    organisations: new Set(received.map((a) => a.fields.organisationId ?? `name:${normaliseOrganisation(a.fields.organisation ?? '')}`)).size,
    withFacts: facts.length,
    withoutFacts: received.filter((a) => a.status !== 'withdrawn' && a.reviewResult !== undefined && !a.reviewResult.facts).length,
    sheets: sum(facts.map((x) => x.f.counted)),
    revisedAfterSeen: sum(facts.map((x) => x.f.revisedAfterSeen)),
    recused: { organisation: sum(facts.map((x) => x.f.recused.organisation)), declared: sum(facts.map((x) => x.f.recused.declared)) },
    excludedSheets: sum(facts.map((x) => x.f.excludedSheets)),
    quorumReduced: facts.filter((x) => x.f.quorumReduced).length,
    settled: facts
      .flatMap((x) => (x.f.settled ? [{ reference: x.app.reference ?? '', reason: x.f.settled.reason }] : []))
      .sort((a, b) => a.reference.localeCompare(b.reference)),
    lines: { asProposed: lines.filter((l) => l.awarded === l.proposed).length, adjusted: lines.filter((l) => l.awarded !== l.proposed).length },
  };
}

/** The allocation report: the process, every award, the totals and the distribution. */
export function allocationReportData(snapshot: RoundSnapshot, now: Date): AllocationReportData {
  const process = processFacts(snapshot);
  const apps = snapshot.applications.map((a) => a.value);
  const decisions = decisionsOf(snapshot);
  const awards = awardsOf(decisions);
  const declinedLines = decisions.flatMap((d) => d.lines.filter((l) => l.awarded === 0));
  const received = apps.filter((a) => a.status !== 'draft');
  const withdrawn = apps.filter((a) => a.status === 'withdrawn').length;
  const decidedIds = new Set(decisions.flatMap((d) => d.lines.map((l) => l.applicationId)));
  const totalAwarded = sum(decisions.map((d) => d.total));
  const totals: AllocationTotals = {
    started: apps.length,
    drafts: apps.length - received.length,
    received: received.length,
    withdrawn,
    assessed: received.length - withdrawn,
    reviewed: received.filter((a) => a.status !== 'withdrawn' && a.reviewResult !== undefined).length,
    inReview: received.filter((a) => IN_REVIEW.includes(a.status)).length,
    awarded: awards.length,
    partial: awards.filter((a) => a.outcome === 'partial').length,
    declined: declinedLines.length,
    undecided: received.filter((a) => a.status !== 'withdrawn' && !decidedIds.has(a.id)).length,
    requestedByAwarded: sum(awards.map((a) => a.requested)),
    totalAwarded,
  };
  const checks: string[] = [];
  if (sum(awards.map((a) => a.awarded)) !== totalAwarded) checks.push('awards-vs-decisions');
  for (const d of decisions) if (sum(d.lines.map((l) => l.awarded)) !== d.total) checks.push(`decision-lines:${d.id}`);
  if (snapshot.ledger && snapshot.ledger.value.spent !== totalAwarded) checks.push('ledger-vs-decisions');
  const fromApplications = sum(apps.map((a) => a.decision?.awarded ?? 0));
  if (fromApplications !== totalAwarded) checks.push('applications-vs-decisions');
  if (totals.received !== totals.withdrawn + totals.awarded + totals.declined + totals.undecided) checks.push('counts');
  return {
    generatedAt: now.toISOString(),
    process,
    fairness: fairnessOf(received, decisions),
    awards,
    totals,
    declineReasons: {
      knockout: declinedLines.filter((l) => l.reason === 'knockout').length,
      unscored: declinedLines.filter((l) => l.reason === 'unscored').length,
      budget: declinedLines.filter((l) => l.reason === 'budget').length,
      byAccounthouder: declinedLines.filter((l) => l.reason === undefined || l.reason === 'declined-by-accounthouder').length,
    },
    budget: { budget: process.budget, awarded: totalAwarded, remaining: process.budget - totalAwarded },
    byOrganisation: group(awards, (a) => a.organisation, organisationKey, process.budget),
    byWijk: group(
      awards,
      (a) => a.wijk,
      (a) => a.wijk,
      process.budget,
      process.wijken,
    ),
    decisions: decisions.map((d) => ({
      id: d.id,
      approvedAt: d.approvedAt,
      total: d.total,
      ...outcomeCounts(d.lines),
      panelAgree: d.marks.agree,
      panelDisagree: d.marks.disagree,
    })),
    checks,
  };
}

export type ReportState = 'submitted' | 'draft' | 'missing';

export interface ResultsRow {
  reference: string;
  organisation: string;
  wijk: string;
  title: string;
  awarded: number;
  /** Only a submitted report counts; a draft is shown as not reported yet. */
  state: ReportState;
  done?: string;
  reached?: string;
  learned?: string;
  indicators?: string;
  spent?: number;
  /** spent − awarded (negative: money left over). */
  difference?: number;
  submittedAt?: string;
}

export interface ResultsReportData {
  generatedAt: string;
  roundId: string;
  roundName: string;
  year: number;
  due: string;
  rows: ResultsRow[];
  totals: {
    awards: number;
    reported: number;
    drafts: number;
    missing: number;
    totalAwarded: number;
    /** Awarded to those who reported, so spent can be compared like for like. */
    awardedReported: number;
    spentReported: number;
  };
  /** Awards without a submitted report (drafts included), for the reminder and the council. */
  missing: { reference: string; organisation: string; title: string; awarded: number; hasDraft: boolean }[];
  checks: string[];
}

function stateOf(app: Application | undefined): ReportState {
  if (!app?.results) return 'missing';
  return app.results.state === 'submitted' ? 'submitted' : 'draft';
}

/** The results report: per award what was reported, spent against awarded, who has not reported. */
export function resultsReportData(snapshot: RoundSnapshot, now: Date): ResultsReportData {
  const r = snapshot.round.value;
  const byId = new Map(snapshot.applications.map((a) => [a.value.id, a.value]));
  const awards = awardsOf(decisionsOf(snapshot));
  const rows = awards.map((a): ResultsRow => {
    const app = byId.get(a.applicationId);
    const state = stateOf(app);
    const res = state === 'submitted' ? app!.results! : undefined;
    return {
      reference: a.reference,
      organisation: a.organisation,
      wijk: a.wijk,
      title: a.title,
      awarded: a.awarded,
      state,
      ...(res?.done ? { done: res.done } : {}),
      ...(res?.reached ? { reached: res.reached } : {}),
      ...(res?.learned ? { learned: res.learned } : {}),
      ...(res?.indicators ? { indicators: res.indicators } : {}),
      ...(res?.spent === undefined ? {} : { spent: res.spent, difference: res.spent - a.awarded }),
      ...(res?.submittedAt ? { submittedAt: res.submittedAt } : {}),
    };
  });
  const reported = rows.filter((x) => x.state === 'submitted');
  const totalAwarded = sum(rows.map((x) => x.awarded));
  const decided = sum(snapshot.decisions.map((d) => d.value.total));
  return {
    generatedAt: now.toISOString(),
    roundId: r.id,
    roundName: r.name,
    year: r.year,
    due: r.councilResultsReportDue,
    rows,
    totals: {
      awards: rows.length,
      reported: reported.length,
      drafts: rows.filter((x) => x.state === 'draft').length,
      missing: rows.filter((x) => x.state !== 'submitted').length,
      totalAwarded,
      awardedReported: sum(reported.map((x) => x.awarded)),
      spentReported: sum(reported.map((x) => x.spent ?? 0)),
    },
    missing: rows
      .filter((x) => x.state !== 'submitted')
      .map((x) => ({ reference: x.reference, organisation: x.organisation, title: x.title, awarded: x.awarded, hasDraft: x.state === 'draft' })),
    checks: totalAwarded === decided ? [] : ['awards-vs-decisions'],
  };
}

/** A calendar day in Zwolle (YYYY-MM-DD): what a decision date means to a reader. */
export { amsterdamDay } from './round-settings';
