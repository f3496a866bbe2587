import { CriteriaSet, Criterion } from './criteria';
import { err, ok, Result } from './result';
import { isBlank as blankText, readText } from './text';

export const CRITERIA_LIMITS = {
  title: 80,
  description: 500,
  weightMax: 10,
  scaleLow: 0,
  scaleHigh: 10,
  minCount: 1,
  maxCount: 12,
} as const;

/** Key of the "new criterion" row; criterion ids are slugs and never start with an underscore. */
export const NEW_ROW = '_new';

export const CRITERION_FIELDS = ['title', 'description', 'weight', 'scaleMin', 'scaleMax', 'minimum'] as const;
export type CriterionField = (typeof CRITERION_FIELDS)[number];

/** One criterion row as the card sends it: text, plus the remove toggle for existing ones. */
export type RawCriterion = Partial<Record<CriterionField | 'remove', string | undefined>>;

export interface RawCriteriaEdit {
  /** Per existing criterion id. */
  rows: Record<string, RawCriterion | undefined>;
  /** The optional new row; only added when a title is filled. */
  added?: RawCriterion;
}

export type CriterionErrorCode = 'required' | 'tooLong' | 'controlCharacters' | 'weight' | 'scale' | 'scaleOrder' | 'minimum';

export type CriteriaErrorCode = 'tooFew' | 'tooMany';

export interface CriteriaErrors {
  /** Per criterion id (or NEW_ROW), per field. */
  rows: Record<string, Partial<Record<CriterionField, CriterionErrorCode>>>;
  set?: CriteriaErrorCode;
}

const WEIGHT = /^\d{1,2}([.,]\d{1,2})?$/;
const SCALE = /^\d{1,2}$/;

/** A URL-safe id from a title: lower case, accents dropped, dashes between words. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'uitgangspunt';
}

function uniqueId(title: string, taken: ReadonlySet<string>): string {
  const base = slugify(title);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

type RowErrors = Partial<Record<CriterionField, CriterionErrorCode>>;

function parseRow(raw: RawCriterion): { value?: Omit<Criterion, 'id'>; errors: RowErrors } {
  const v = (f: CriterionField) => (raw[f] ?? '').trim();
  const errors: RowErrors = {};
  const titleText = readText(raw.title, CRITERIA_LIMITS.title);
  const title = titleText.error ? '' : titleText.value;
  if (titleText.error) errors.title = titleText.error;
  else if (title === '') errors.title = 'required';

  const descriptionText = readText(raw.description, CRITERIA_LIMITS.description);
  const description = descriptionText.error ? '' : descriptionText.value;
  if (descriptionText.error) errors.description = descriptionText.error;

  const weightText = v('weight');
  const weight = Number(weightText.replace(',', '.'));
  if (weightText === '') errors.weight = 'required';
  else if (!WEIGHT.test(weightText) || !(weight > 0) || weight > CRITERIA_LIMITS.weightMax) errors.weight = 'weight';

  const scale = (f: 'scaleMin' | 'scaleMax') => {
    const t = v(f);
    if (t === '') return ((errors[f] = 'required'), undefined);
    const n = Number(t);
    if (!SCALE.test(t) || n < CRITERIA_LIMITS.scaleLow || n > CRITERIA_LIMITS.scaleHigh) return ((errors[f] = 'scale'), undefined);
    return n;
  };
  const scaleMin = scale('scaleMin');
  const scaleMax = scale('scaleMax');
  if (scaleMin !== undefined && scaleMax !== undefined && scaleMin >= scaleMax) errors.scaleMax = 'scaleOrder';

  const minimumText = v('minimum');
  let minimum: number | undefined;
  if (minimumText !== '') {
    minimum = Number(minimumText);
    const lo = scaleMin ?? CRITERIA_LIMITS.scaleLow;
    const hi = scaleMax ?? CRITERIA_LIMITS.scaleHigh;
    if (!SCALE.test(minimumText) || minimum < lo || minimum > hi) errors.minimum = 'minimum';
  }

  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    value: { title, description, weight, scaleMin: scaleMin!, scaleMax: scaleMax!, ...(minimum === undefined ? {} : { minimum }) },
  };
}

const isOn = (toggle: string | undefined) => toggle === 'true';
const isBlank = (row: RawCriterion | undefined) => !row || (blankText(row.title ?? '') && blankText(row.description ?? ''));

/**
 * Validates an edit of the criteria set. Existing criteria keep their ids (and order); removed ones
 * are dropped; a new row is appended with an id made from its title. The result is the next
 * version of the set, or errors per row and field (nothing is to be stored then).
 */
export function validateCriteriaEdit(current: CriteriaSet, raw: RawCriteriaEdit): Result<CriteriaSet, CriteriaErrors> {
  const errors: CriteriaErrors = { rows: {} };
  const items: Criterion[] = [];
  for (const existing of current.items) {
    const row = raw.rows[existing.id] ?? {};
    if (isOn(row.remove)) continue;
    const parsed = parseRow(row);
    if (parsed.value) items.push({ id: existing.id, ...parsed.value });
    else errors.rows[existing.id] = parsed.errors;
  }
  // A new row with only the prefilled numbers is empty; a description without a title is not.
  if (!isBlank(raw.added)) {
    const parsed = parseRow(raw.added!);
    if (parsed.value) items.push({ id: uniqueId(parsed.value.title, new Set(current.items.map((c) => c.id))), ...parsed.value });
    else errors.rows[NEW_ROW] = parsed.errors;
  }
  const kept = current.items.filter((c) => !isOn(raw.rows[c.id]?.remove)).length + (isBlank(raw.added) ? 0 : 1);
  if (kept < CRITERIA_LIMITS.minCount) errors.set = 'tooFew';
  else if (kept > CRITERIA_LIMITS.maxCount) errors.set = 'tooMany';

  if (errors.set || Object.keys(errors.rows).length > 0) return err(errors);
  return ok({ version: current.version + 1, items });
}

export function sameCriteria(a: CriteriaSet, b: CriteriaSet): boolean {
  const key = (s: CriteriaSet) => JSON.stringify(s.items.map((c) => [c.id, c.title, c.description, c.weight, c.scaleMin, c.scaleMax, c.minimum ?? null]));
  return key(a) === key(b);
}

/** A criterion in the raw shape the card shows. */
export function toRawCriterion(c: Criterion): Required<Omit<RawCriterion, 'remove'>> {
  return {
    title: c.title,
    description: c.description,
    weight: String(c.weight),
    scaleMin: String(c.scaleMin),
    scaleMax: String(c.scaleMax),
    minimum: c.minimum === undefined ? '' : String(c.minimum),
  };
}
