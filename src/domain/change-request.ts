import type { Application, ChangeRequest } from './application';

export type { ChangeRequest } from './application';
import { err, ok, Result } from './result';
import { amsterdamDay, amsterdamInstant, isRealDay } from './round-settings';
import type { ScoreSheet } from './scoring';
import { readText, TextError } from './text';

/**
 * A change request (aanvulling): the accounthouder sends a submitted application back to its
 * applicant with a note. The application keeps its reference and a snapshot of its fields; the
 * applicant changes the steps and sends it back with the same submit button (no new reference).
 *
 * The date rule (stated on the card): the applicant has until the end of the chosen day
 * (default 7 days from today), never later than the end of the day before the review deadline.
 * If it does not come back by then, the review goes on with the application as it was when the
 * changes were asked (the snapshot); what was changed but not sent back is not used, and the
 * accounthouder and the applicant are told.
 */
export const CHANGE_NOTE_LIMIT = 1000;
export const DEFAULT_CHANGE_DAYS = 7;
/** The applicant gets at least this long (a request due within the hour helps nobody). */
export const MIN_CHANGE_HOURS = 24;

/** The statuses a change request can be made from. */
export const REQUESTABLE = ['submitted', 'in_review'] as const;
export type RequestableStatus = (typeof REQUESTABLE)[number];

export function canRequestChanges(status: Application['status']): status is RequestableStatus {
  return (REQUESTABLE as readonly string[]).includes(status);
}

/** The latest day the applicant can be given, and the default one (both Amsterdam calendar days). */
export function changeDueDays(reviewDeadline: string, now: Date): { latest: string; suggested: string; earliest: string } {
  const deadlineDay = amsterdamDay(reviewDeadline);
  const latest = addDays(deadlineDay, -1);
  const today = amsterdamDay(now.toISOString());
  const suggested = minDay(addDays(today, DEFAULT_CHANGE_DAYS), latest);
  return { latest, suggested, earliest: today };
}

export type ChangeRequestErrorCode = 'required' | TextError | 'badDate' | 'afterDeadline' | 'tooSoon';
export type ChangeRequestErrors = Partial<Record<'note' | 'dueDate', ChangeRequestErrorCode>>;

/**
 * The note (required, at most 1000 characters, the free-text rules) and the day it is due
 * (empty: the default). The due instant is the end of that day; it may not pass the review
 * deadline's day before, and must leave at least 24 hours.
 */
export function validateChangeRequest(
  raw: { note?: string | undefined; dueDate?: string | undefined },
  ctx: { reviewDeadline: string; now: Date },
): Result<{ note: string; dueBy: string; dueDay: string }, ChangeRequestErrors> {
  const errors: ChangeRequestErrors = {};
  const text = readText(raw.note, CHANGE_NOTE_LIMIT);
  const note = text.error === undefined ? text.value : '';
  if (text.error !== undefined) errors.note = text.error;
  else if (!note) errors.note = 'required';
  const days = changeDueDays(ctx.reviewDeadline, ctx.now);
  const day = (raw.dueDate ?? '').trim() || days.suggested;
  let dueBy = '';
  if (!isRealDay(day)) errors.dueDate = 'badDate';
  else if (day > days.latest) errors.dueDate = 'afterDeadline';
  else {
    dueBy = amsterdamInstant(addDays(day, 1), '00:00');
    if (Date.parse(dueBy) - ctx.now.getTime() < MIN_CHANGE_HOURS * 3600_000) errors.dueDate = 'tooSoon';
  }
  if (Object.keys(errors).length) return err(errors);
  return ok({ note, dueBy, dueDay: day });
}

/** The application sent back: status `changes_requested`, its fields kept as the snapshot, open at its summary. */
export function withChangesRequested(app: Application, request: Omit<ChangeRequest, 'from' | 'snapshot'>, now: Date): Application {
  if (!canRequestChanges(app.status)) throw new RangeError(`no change request from ${app.status}`);
  return {
    ...app,
    status: 'changes_requested',
    position: 'summary',
    rev: app.rev + 1,
    updatedAt: now.toISOString(),
    changeRequest: { ...request, from: app.status, snapshot: structuredClone(app.fields) },
  };
}

/**
 * The changed application back in review: the status it came from (in review when its card is in
 * the channel), the reference and `submittedAt` untouched, the changed fields named.
 */
export function resubmitted(app: Application, reviewPosted: boolean, now: Date): Application {
  const cr = app.changeRequest;
  if (app.status !== 'changes_requested' || !cr) throw new RangeError('not waiting for changes');
  const at = now.toISOString();
  return {
    ...app,
    status: reviewPosted ? 'in_review' : cr.from,
    position: 'summary',
    rev: app.rev + 1,
    updatedAt: at,
    changeRequest: { ...cr, resubmittedAt: at, changed: fieldChanges(cr.snapshot, app.fields).map((c) => c.key) },
  };
}

/** Not back by its date: the review goes on with the application as it was (the snapshot). */
export function expired(app: Application, reviewPosted: boolean, now: Date): Application {
  const cr = app.changeRequest;
  if (app.status !== 'changes_requested' || !cr) throw new RangeError('not waiting for changes');
  const at = now.toISOString();
  return {
    ...app,
    fields: structuredClone(cr.snapshot),
    status: reviewPosted ? 'in_review' : cr.from,
    position: 'summary',
    rev: app.rev + 1,
    updatedAt: at,
    changeRequest: { ...cr, expiredAt: at, changed: [] },
  };
}

export function isOverdue(app: Application, now: Date): boolean {
  return app.status === 'changes_requested' && Boolean(app.changeRequest) && Date.parse(app.changeRequest!.dueBy) <= now.getTime();
}

/** Links the bot sets (registry ids), not typed: never shown as a change. */
const NOT_TYPED = new Set<string>(['organisationId', 'coApplicantIds']);

export interface FieldChange {
  /** The field's key; a nested answer as `<field>.<key>` (e.g. `answers.q3` once the form is data). */
  key: string;
  before: unknown;
  after: unknown;
}

/**
 * What changed between two sets of fields, field by field, generically: every key of either
 * (a nested object one level down, so answers stored under `fields.answers` diff per answer),
 * compared by value; keys the bot sets are left out. Sorted by key order of `after`, then `before`.
 */
export function fieldChanges(before: object, after: object): FieldChange[] {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !NOT_TYPED.has(k));
  const out: FieldChange[] = [];
  for (const key of keys) {
    const x = b[key];
    const y = a[key];
    if (isPlainObject(x) || isPlainObject(y)) {
      for (const inner of fieldChanges(isPlainObject(x) ? x : {}, isPlainObject(y) ? y : {})) out.push({ ...inner, key: `${key}.${inner.key}` });
    } else if (!same(x, y)) out.push({ key, before: x, after: y });
  }
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (v: unknown) => v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const same = (x: unknown, y: unknown) => (isEmpty(x) && isEmpty(y)) || JSON.stringify(x) === JSON.stringify(y);

/** A sheet saved before the changed application came back: kept, and marked on the card. */
export function scoredBeforeChange(sheet: Pick<ScoreSheet, 'at'> | undefined, request: ChangeRequest | undefined): boolean {
  return Boolean(sheet && request?.resubmittedAt && sheet.at < request.resubmittedAt);
}

/** The request with its free text gone (anonymisation): the note and the snapshot; dates and changed keys stay. */
export function anonymisedChangeRequest(cr: ChangeRequest, pseudonym: (id: string) => string): ChangeRequest {
  const { proposedBy, ...rest } = cr;
  return { ...rest, note: '', snapshot: {}, requestedBy: pseudonym(cr.requestedBy), ...(proposedBy ? { proposedBy: pseudonym(proposedBy) } : {}) };
}

function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + n)).toISOString().slice(0, 10);
}
const minDay = (a: string, b: string) => (a < b ? a : b);
