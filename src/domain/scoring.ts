import type { Criterion } from './criteria';
import { readText } from './text';
import type { PanelMember, Recusal } from './panel';
import { recusalOf } from './panel';
import type { ApplicationFields, OrganisationLinks } from './application';
import { organisationIndex, OrganisationRegistry } from './organisation';
import { err, ok, Result } from './result';
import type { CriterionResult, ReviewResult } from './review-result';

/** A score on the criterion's scale, or "n.v.t." (not applicable: left out of the mean). */
export type ScoreValue = number | 'na';

export interface ScoreSheet {
  memberId: string;
  criteriaVersion: number;
  scores: Record<string, ScoreValue>;
  comments: Record<string, string>;
  overall: string;
  at: string;
  /** When the sheet first counted (see `sheetCounts`): from then on the member could see the others' scores. */
  firstCountedAt?: string;
  /** How many saves after `firstCountedAt` changed a score: the member may have moved toward what others gave. */
  revisedAfterSeen?: number;
}

export const COMMENT_LIMIT = 1000;
export const OVERALL_LIMIT = 2000;

export type SheetErrorCode = 'required' | 'outOfScale' | 'tooLong' | 'controlCharacters' | 'allNotApplicable';
export type SheetErrors = Record<string, SheetErrorCode>;
export type RawSheet = Record<string, string | undefined>;

export const scoreField = (criterionId: string) => `score_${criterionId}`;
export const commentField = (criterionId: string) => `comment_${criterionId}`;
export const OVERALL_FIELD = 'overall';
/** Every input name a scoring card sends: `score_<criterion>`, `comment_<criterion>` and `overall`. */
export const SHEET_INPUT = /^((score|comment)_[a-z0-9-]{1,60}|overall)$/;
/** The criterion a score or comment input is about (undefined for `overall`). */
export const criterionOfInput = (name: string): string | undefined => /^(?:score|comment)_(.+)$/.exec(name)?.[1];

/**
 * A sheet counts (toward progress, quorum and the result, and as the member's own judgement that
 * lets them see the others' scores) only with at least one real score: "n.v.t." on every
 * criterion is no judgement.
 */
export function sheetCounts(sheet: Pick<ScoreSheet, 'scores'>): boolean {
  return Object.values(sheet.scores).some((v) => typeof v === 'number');
}

/** A member sees the others' scores only once their own sheet counts (independent review). */
export function mayViewOthers(sheet: ScoreSheet | undefined): boolean {
  return sheet !== undefined && sheetCounts(sheet);
}

/**
 * Reads a scoring card's input: one value per criterion on its scale or "na", optional comments.
 * At least one criterion needs a real score: a sheet of only "n.v.t." is refused with
 * `allNotApplicable` on the first criterion's score field (it would not count; see `sheetCounts`).
 */
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
    const comment = readText(raw[commentField(c.id)], COMMENT_LIMIT);
    if (comment.error) errors[commentField(c.id)] = comment.error;
    else if (comment.value) comments[c.id] = comment.value;
  }
  const overallText = readText(raw[OVERALL_FIELD], OVERALL_LIMIT);
  const overall = overallText.error ? '' : overallText.value;
  if (overallText.error) errors[OVERALL_FIELD] = overallText.error;
  const first = criteria[0];
  if (first && criteria.every((c) => scores[c.id] === 'na')) errors[scoreField(first.id)] = 'allNotApplicable';
  return Object.keys(errors).length ? err(errors) : ok({ scores, comments, overall });
}

/**
 * The quorum a review can reach: the round's, but never more than the members who may judge the
 * application (recusals can leave fewer). 0 when nobody may judge: then there is no result.
 */
export function effectiveQuorum(quorum: number, eligibleCount: number): number {
  return Math.max(0, Math.min(quorum, eligibleCount));
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The panel's result: weighted mean per criterion and overall, knock-outs, wide disagreement.
 * With `eligibleCount` (the members who may judge) the quorum is the effective one; without it,
 * the round's quorum as given.
 */
export function computeResult(criteria: Criterion[], sheets: ScoreSheet[], quorum: number, eligibleCount = Infinity): ReviewResult {
  const applies = effectiveQuorum(quorum, eligibleCount);
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
    quorum: applies,
    configuredQuorum: quorum,
    quorumMet: applies > 0 && sheets.length >= applies,
  };
}

export interface Progress {
  /** Members who may score: on the panel and not recused. */
  eligible: PanelMember[];
  recused: { member: PanelMember; recusal: Recusal }[];
  /** Eligible members whose sheet counts (see `sheetCounts`). */
  scored: PanelMember[];
  /** Eligible members without a sheet that counts. */
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
  // Prepared once: every member's and party's name is looked up in it.
  const index = registry && organisationIndex(registry);
  for (const member of panel) {
    const recusal = recusalOf(member, fields, declared, index);
    if (recusal) recused.push({ member, recusal });
    else eligible.push(member);
  }
  const hasSheet = new Set(sheets.filter(sheetCounts).map((s) => s.memberId));
  return { eligible, recused, scored: eligible.filter((m) => hasSheet.has(m.userId)), unscored: eligible.filter((m) => !hasSheet.has(m.userId)) };
}

/** Only the sheets of members who may score count (a later recusal takes a sheet out), and only sheets that count (`sheetCounts`). */
export function countedSheets(progress: Progress, sheets: ScoreSheet[]): ScoreSheet[] {
  const eligible = new Set(progress.eligible.map((m) => m.userId));
  return sheets.filter((s) => eligible.has(s.memberId) && sheetCounts(s));
}

export type ReviewOutcome = 'open' | 'close' | 'stuck';

/**
 * Where a review stands, with the effective quorum (never more than the eligible members):
 *
 * - `close`: the quorum is met, and every eligible member has scored or the review deadline has passed;
 * - `stuck`: nobody may judge (0 eligible members, at any time), or the deadline has passed without
 *   the quorum: it cannot close by itself, a person has to act (add members, extend the deadline);
 * - `open`: otherwise (before the deadline, waiting for scores).
 */
export function reviewOutcome(progress: Progress, quorum: number, now: Date, reviewDeadline: string): ReviewOutcome {
  const eligible = progress.eligible.length;
  if (eligible === 0) return 'stuck';
  const met = progress.scored.length >= effectiveQuorum(quorum, eligible);
  const passed = now.getTime() > Date.parse(reviewDeadline);
  if (met && (progress.unscored.length === 0 || passed)) return 'close';
  return passed ? 'stuck' : 'open';
}

/** The review closes (see `reviewOutcome`). */
export function reviewShouldClose(progress: Progress, quorum: number, now: Date, reviewDeadline: string): boolean {
  return reviewOutcome(progress, quorum, now, reviewDeadline) === 'close';
}

/** What a member saves: the validated card input with who and for which criteria version. */
export type SheetInput = Pick<ScoreSheet, 'memberId' | 'criteriaVersion' | 'scores' | 'comments' | 'overall'>;

function sameScores(a: Record<string, ScoreValue>, b: Record<string, ScoreValue>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

/**
 * The sheet to store for a save. `firstCountedAt` is set by the first save that counts and then
 * kept (a sheet from before these fields that counted is taken to have counted since it was saved).
 * `revisedAfterSeen` goes up by one for every save, after that, that changes a score (a comment
 * alone, or the same scores again, is no revision).
 */
export function nextSheet(previous: ScoreSheet | undefined, input: SheetInput, now: Date): ScoreSheet {
  const at = now.toISOString();
  const seenSince = previous?.firstCountedAt ?? (previous && sheetCounts(previous) ? previous.at : undefined);
  const firstCountedAt = seenSince ?? (sheetCounts(input) ? at : undefined);
  const revised = seenSince !== undefined && previous !== undefined && !sameScores(previous.scores, input.scores);
  return {
    memberId: input.memberId,
    criteriaVersion: input.criteriaVersion,
    scores: { ...input.scores },
    comments: { ...input.comments },
    overall: input.overall,
    at,
    ...(firstCountedAt ? { firstCountedAt } : {}),
    revisedAfterSeen: (previous?.revisedAfterSeen ?? 0) + (revised ? 1 : 0),
  };
}
