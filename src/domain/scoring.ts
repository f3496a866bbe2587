import type { Criterion } from './criteria';
import type { PanelMember, Recusal } from './panel';
import { recusalOf } from './panel';
import type { ApplicationFields, OrganisationLinks } from './application';
import type { OrganisationRegistry } from './organisation';
import { err, ok, Result } from './result';

/** A score on the criterion's scale, or "n.v.t." (not applicable: left out of the mean). */
export type ScoreValue = number | 'na';

export interface ScoreSheet {
  memberId: string;
  criteriaVersion: number;
  scores: Record<string, ScoreValue>;
  comments: Record<string, string>;
  overall: string;
  at: string;
}

export const COMMENT_LIMIT = 1000;
export const OVERALL_LIMIT = 2000;

export type SheetErrorCode = 'required' | 'outOfScale' | 'tooLong';
export type SheetErrors = Record<string, SheetErrorCode>;
export type RawSheet = Record<string, string | undefined>;

export const scoreField = (criterionId: string) => `score_${criterionId}`;
export const commentField = (criterionId: string) => `comment_${criterionId}`;
export const OVERALL_FIELD = 'overall';

/** Reads a scoring card's input: one value per criterion on its scale or "na", optional comments. */
export function validateSheet(criteria: Criterion[], raw: RawSheet): Result<Pick<ScoreSheet, 'scores' | 'comments' | 'overall'>, SheetErrors> {
  const errors: SheetErrors = {};
  const scores: Record<string, ScoreValue> = {};
  const comments: Record<string, string> = {};
  for (const c of criteria) {
    const value = (raw[scoreField(c.id)] ?? '').trim();
    if (value === '') errors[scoreField(c.id)] = 'required';
    else if (value === 'na') scores[c.id] = 'na';
    else if (/^\d+$/.test(value) && Number(value) >= c.scaleMin && Number(value) <= c.scaleMax) scores[c.id] = Number(value);
    else errors[scoreField(c.id)] = 'outOfScale';
    const comment = (raw[commentField(c.id)] ?? '').trim();
    if (comment.length > COMMENT_LIMIT) errors[commentField(c.id)] = 'tooLong';
    else if (comment) comments[c.id] = comment;
  }
  const overall = (raw[OVERALL_FIELD] ?? '').trim();
  if (overall.length > OVERALL_LIMIT) errors[OVERALL_FIELD] = 'tooLong';
  return Object.keys(errors).length ? err(errors) : ok({ scores, comments, overall });
}

export interface CriterionResult {
  criterionId: string;
  /** Mean of the members' scores, N/A left out; undefined when nobody gave a score. */
  mean?: number;
  scored: number;
  notApplicable: number;
  spread: number;
  /** Members disagree widely: the scores lie half the scale or more apart. */
  disagreement: boolean;
  /** The mean is below the criterion's minimum. */
  knockout: boolean;
}

export interface ReviewResult {
  criteria: CriterionResult[];
  /** Weighted mean over criteria, each normalised to its scale, 0..1; undefined when nothing was scored. */
  overall?: number;
  /** The weighted mean expressed on the common scale, when all criteria share one. */
  overallOnScale?: number;
  knockedOut: boolean;
  sheets: number;
  quorum: number;
  quorumMet: boolean;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The panel's result: weighted mean per criterion and overall, knock-outs, wide disagreement. */
export function computeResult(criteria: Criterion[], sheets: ScoreSheet[], quorum: number): ReviewResult {
  const perCriterion = criteria.map((c): CriterionResult => {
    const given = sheets.map((s) => s.scores[c.id]).filter((v): v is ScoreValue => v !== undefined);
    const values = given.filter((v): v is number => typeof v === 'number');
    const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
    const spread = values.length ? Math.max(...values) - Math.min(...values) : 0;
    return {
      criterionId: c.id,
      ...(mean === undefined ? {} : { mean: round2(mean) }),
      scored: values.length,
      notApplicable: given.length - values.length,
      spread,
      disagreement: values.length >= 2 && spread >= (c.scaleMax - c.scaleMin) / 2,
      knockout: c.minimum !== undefined && mean !== undefined && mean < c.minimum,
    };
  });
  let weighted = 0;
  let weights = 0;
  criteria.forEach((c, i) => {
    const mean = perCriterion[i]!.mean;
    if (mean === undefined || c.weight <= 0) return;
    weighted += c.weight * ((mean - c.scaleMin) / (c.scaleMax - c.scaleMin));
    weights += c.weight;
  });
  const overall = weights > 0 ? weighted / weights : undefined;
  const first = criteria[0];
  const commonScale = first && criteria.every((c) => c.scaleMin === first.scaleMin && c.scaleMax === first.scaleMax);
  return {
    criteria: perCriterion,
    ...(overall === undefined ? {} : { overall: round2(overall) }),
    ...(overall !== undefined && commonScale ? { overallOnScale: round2(first.scaleMin + overall * (first.scaleMax - first.scaleMin)) } : {}),
    knockedOut: perCriterion.some((c) => c.knockout),
    sheets: sheets.length,
    quorum,
    quorumMet: sheets.length >= quorum,
  };
}

export interface Progress {
  /** Members who may score: on the panel and not recused. */
  eligible: PanelMember[];
  recused: { member: PanelMember; recusal: Recusal }[];
  scored: PanelMember[];
  unscored: PanelMember[];
}

/** Who may score, who is recused (with the registry, if given, for recusal by organisation), who has scored. */
export function reviewProgress(
  panel: PanelMember[],
  fields: ApplicationFields & OrganisationLinks,
  declared: Recusal[],
  sheets: ScoreSheet[],
  registry?: OrganisationRegistry,
): Progress {
  const recused: Progress['recused'] = [];
  const eligible: PanelMember[] = [];
  for (const member of panel) {
    const recusal = recusalOf(member, fields, declared, registry);
    if (recusal) recused.push({ member, recusal });
    else eligible.push(member);
  }
  const hasSheet = new Set(sheets.map((s) => s.memberId));
  return { eligible, recused, scored: eligible.filter((m) => hasSheet.has(m.userId)), unscored: eligible.filter((m) => !hasSheet.has(m.userId)) };
}

/** Only the sheets of members who may score count (a later recusal takes a sheet out). */
export function countedSheets(progress: Progress, sheets: ScoreSheet[]): ScoreSheet[] {
  const eligible = new Set(progress.eligible.map((m) => m.userId));
  return sheets.filter((s) => eligible.has(s.memberId));
}

/**
 * The review closes when every eligible member has scored (and the quorum is met), or when the
 * review deadline has passed with the quorum met.
 */
export function reviewShouldClose(progress: Progress, quorum: number, now: Date, reviewDeadline: string): boolean {
  const scored = progress.scored.length;
  if (scored < quorum) return false;
  return progress.unscored.length === 0 || now.getTime() > Date.parse(reviewDeadline);
}
