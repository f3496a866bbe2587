import { normaliseOrganisation } from './organisation';

/** A reviewed, undecided application as the allocation sees it. */
export interface Candidate {
  applicationId: string;
  reference: string;
  title: string;
  organisation: string;
  /** The registry entry of `organisation`, when the application is linked: the shares count by it. */
  organisationId?: string;
  wijk: string;
  /** Whole euros. */
  requested: number;
  /** Overall weighted score, 0..1; undefined when the panel gave no scores. */
  score?: number;
  knockedOut: boolean;
  /** Tie-break: who submitted first. */
  submittedAt: string;
}

export interface AllocationSettings {
  budget: number;
  /** Already awarded earlier in the round (rolling decisions). */
  spent: number;
  /** The first application that does not fit whole gets what is left. */
  allowPartial: boolean;
  /** Warn when one organisation would get more than this share of the budget (0..1). */
  concentrationLimit: number;
}

export type Exclusion = 'knockout' | 'budget' | 'unscored';

export interface ProposalLine {
  applicationId: string;
  reference: string;
  title: string;
  organisation: string;
  organisationId?: string;
  wijk: string;
  rank: number;
  requested: number;
  proposed: number;
  score?: number;
  partial: boolean;
  excluded?: Exclusion;
}

export interface Share {
  /** For display: the first name the group was seen under. */
  name: string;
  amount: number;
  /** Share of the round's budget, 0..1. */
  share: number;
}

export interface Proposal {
  lines: ProposalLine[];
  budget: number;
  spent: number;
  proposedTotal: number;
  remaining: number;
  byOrganisation: Share[];
  byWijk: Share[];
  /** Organisations whose share of the budget would pass the limit. */
  concentration: Share[];
}

/** Best score first; equal scores: who submitted first, then the reference (stable and explainable). */
/** The allocation card's amount inputs are named `amount_<application id>`: one rule for the card and the route. */
export const amountField = (applicationId: string) => `amount_${applicationId}`;
export const AMOUNT_INPUT = /^amount_[a-f0-9]{20}$/;
export const applicationOfAmountInput = (name: string): string => name.slice('amount_'.length);

export function rank(candidates: Candidate[]): Candidate[] {
  return [...candidates].sort(
    (a, b) => (b.score ?? -1) - (a.score ?? -1) || a.submittedAt.localeCompare(b.submittedAt) || a.reference.localeCompare(b.reference),
  );
}

/** An award as the shares count it: the organisation (by registry id when linked), the wijk, the amount. */
export interface Award {
  organisation: string;
  organisationId?: string | undefined;
  wijk: string;
  amount: number;
}

/**
 * Which organisation an award counts for: its registry entry when linked ("Buurtkracht" and
 * "Stichting Buurtkracht Zwolle" linked to one entry are one organisation), otherwise the
 * normalised name (applications from before the registry).
 */
export const organisationKey = (a: { organisation: string; organisationId?: string | undefined }): string =>
  a.organisationId ? `id:${a.organisationId}` : `name:${normaliseOrganisation(a.organisation) || a.organisation}`;

/**
 * The allocation proposal: in rank order within the remaining budget, knock-outs excluded. With
 * partial awards the first application that does not fit whole gets what is left and the rest
 * gets nothing; without, an application that does not fit is passed over for the next that does.
 * `earlier` are the awards already made in this round (organisation, wijk, amount) for the shares.
 * The shares per organisation (and the concentration warning) count by registry id when an
 * application is linked, by normalised name when not.
 */
export function propose(candidates: Candidate[], settings: AllocationSettings, earlier: Award[] = []): Proposal {
  let remaining = Math.max(0, settings.budget - settings.spent);
  const lines: ProposalLine[] = rank(candidates).map((c, i) => {
    const base = {
      applicationId: c.applicationId,
      reference: c.reference,
      title: c.title,
      organisation: c.organisation,
      ...(c.organisationId ? { organisationId: c.organisationId } : {}),
      wijk: c.wijk,
      rank: i + 1,
      requested: c.requested,
      ...(c.score === undefined ? {} : { score: c.score }),
    };
    if (c.knockedOut) return { ...base, proposed: 0, partial: false, excluded: 'knockout' };
    if (c.score === undefined) return { ...base, proposed: 0, partial: false, excluded: 'unscored' };
    if (c.requested <= remaining) {
      remaining -= c.requested;
      return { ...base, proposed: c.requested, partial: false };
    }
    if (settings.allowPartial && remaining > 0) {
      const proposed = remaining;
      remaining = 0;
      return { ...base, proposed, partial: true };
    }
    return { ...base, proposed: 0, partial: false, excluded: 'budget' };
  });
  const proposedTotal = lines.reduce((s, l) => s + l.proposed, 0);
  const awards: Award[] = [
    ...earlier,
    ...lines.filter((l) => l.proposed > 0).map((l) => ({ organisation: l.organisation, organisationId: l.organisationId, wijk: l.wijk, amount: l.proposed })),
  ];
  const byOrganisation = shares(awards, organisationKey, (a) => a.organisation, settings.budget);
  return {
    lines,
    budget: settings.budget,
    spent: settings.spent,
    proposedTotal,
    remaining: settings.budget - settings.spent - proposedTotal,
    byOrganisation,
    byWijk: shares(
      awards,
      (a) => a.wijk,
      (a) => a.wijk,
      settings.budget,
    ),
    concentration: byOrganisation.filter((s) => s.share > settings.concentrationLimit),
  };
}

function shares<T extends { amount: number }>(awards: T[], keyOf: (a: T) => string, nameOf: (a: T) => string, budget: number): Share[] {
  const groups = new Map<string, Share>();
  for (const a of awards) {
    const key = keyOf(a);
    const g = groups.get(key) ?? { name: nameOf(a), amount: 0, share: 0 };
    g.amount += a.amount;
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, share: budget > 0 ? g.amount / budget : 0 }))
    .sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name));
}

/**
 * What the proposal depends on, in a short string: a card drawn from another fingerprint is stale
 * (a new review, a withdrawal, another approval) and must not be approved.
 */
export function fingerprint(p: Proposal): string {
  const basis = [p.budget, p.spent, ...p.lines.map((l) => `${l.applicationId}:${l.requested}:${l.proposed}:${l.excluded ?? ''}`)].join('|');
  let h = 0x811c9dc5;
  for (let i = 0; i < basis.length; i++) {
    h ^= basis.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${p.lines.length}-${h.toString(16).padStart(8, '0')}`;
}

export type AdjustError =
  | { code: 'NOT_WHOLE_EUROS'; applicationId: string }
  | { code: 'ABOVE_REQUESTED'; applicationId: string }
  | { code: 'OVER_BUDGET'; total: number; available: number };

export interface DecisionLine {
  applicationId: string;
  awarded: number;
  outcome: 'awarded' | 'partial' | 'declined';
  reason?: Exclusion | 'declined-by-accounthouder';
}

/**
 * The accounthouder's final amounts: any line may be lowered (partial award) or declined, none
 * raised above what was asked, and the total never above what is left of the budget.
 */
export function decide(
  p: Proposal,
  adjustments: Record<string, { amount?: number; decline?: boolean }>,
): { ok: true; lines: DecisionLine[]; total: number } | { ok: false; error: AdjustError } {
  const lines: DecisionLine[] = [];
  for (const l of p.lines) {
    const adj = adjustments[l.applicationId] ?? {};
    if (l.excluded === 'knockout' || l.excluded === 'unscored') {
      lines.push({ applicationId: l.applicationId, awarded: 0, outcome: 'declined', reason: l.excluded });
      continue;
    }
    const amount = adj.decline ? 0 : (adj.amount ?? l.proposed);
    if (!Number.isSafeInteger(amount) || amount < 0) return { ok: false, error: { code: 'NOT_WHOLE_EUROS', applicationId: l.applicationId } };
    if (amount > l.requested) return { ok: false, error: { code: 'ABOVE_REQUESTED', applicationId: l.applicationId } };
    if (amount === 0)
      lines.push({
        applicationId: l.applicationId,
        awarded: 0,
        outcome: 'declined',
        reason: adj.decline ? 'declined-by-accounthouder' : (l.excluded ?? 'declined-by-accounthouder'),
      });
    else lines.push({ applicationId: l.applicationId, awarded: amount, outcome: amount < l.requested ? 'partial' : 'awarded' });
  }
  const total = lines.reduce((s, l) => s + l.awarded, 0);
  const available = p.budget - p.spent;
  if (total > available) return { ok: false, error: { code: 'OVER_BUDGET', total, available } };
  return { ok: true, lines, total };
}

/** How many lines of a decision were awarded (in full or in part) and how many declined. */
export function outcomeCounts(lines: readonly { awarded: number }[]): { awarded: number; declined: number } {
  const awarded = lines.filter((l) => l.awarded > 0).length;
  return { awarded, declined: lines.length - awarded };
}
