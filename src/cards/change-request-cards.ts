import type { BudgetLine } from '../domain/budget-lines';
import { budgetLinesText } from './budget-cards';
import applicantTemplate from '../../cards/change-applicant.json';
import diffTemplate from '../../cards/change-diff.json';
import requestTemplate from '../../cards/change-request.json';
import type { Application } from '../domain/application';
import { ChangeRequestErrors, fieldChanges } from '../domain/change-request';
import { changeMessages, fieldLabel } from '../i18n/change-request';
import { fill, formatDate, formatEuro, Lang, messages, plural } from '../i18n';
import type { ChangeRequestView } from '../usecases/request-changes';
import { dueDay } from './change-request-view';
import { Card, render, truncate, withError } from './render';

/** Before/after previews on the diff card are cut here (the whole text is on the reading card). */
const PREVIEW = 200;
/** At most this many changed fields on the diff card (a form as data may have many): the rest are counted. */
const MAX_ITEMS = 30;

export interface RequestCardView {
  notice?: string;
  noticeKind?: 'info' | 'error';
  /** What was typed, shown again (nothing typed is lost). */
  note?: string;
  dueDate?: string;
  errors?: ChangeRequestErrors;
  /** A panel member's proposal this card carries (its note filled in), with the member's role. */
  proposalRole?: string;
  /** The form without its inputs (already sent, or not possible). */
  closed?: boolean;
}

/** The accounthouder's request card: the note (required), the date (default 7 days, never past the day before the review deadline) and the rule stated. */
export function changeRequestCard(lang: Lang, view: ChangeRequestView, v: RequestCardView = {}): Card {
  const t = changeMessages(lang);
  const app = view.application;
  const reference = app.reference ?? '';
  const latest = formatDate(lang, `${view.days.latest}T12:00:00Z`);
  const err = (code: string | undefined) => (code ? fill(t.errors[code as keyof typeof t.errors], { latest }) : '');
  const fieldErrors = [err(v.errors?.note), err(v.errors?.dueDate)].filter(Boolean).join(' ');
  return render(requestTemplate, {
    title: fill(t.requestTitle, { reference }),
    intro: fill(t.requestIntro, { title: app.fields.title ?? '' }),
    proposal: v.proposalRole ? fill(t.proposalIntro, { role: v.proposalRole }) : '',
    notice: v.notice ?? fieldErrors,
    noticeColor: v.noticeKind === 'info' ? 'accent' : 'attention',
    open: !v.closed,
    noteLabel: withError(t.noteLabel, err(v.errors?.note)),
    note: v.note ?? '',
    noteError: t.errors.required,
    dueLabel: withError(t.dueLabel, err(v.errors?.dueDate)),
    dueDate: v.dueDate || view.days.suggested,
    minDate: view.days.earliest,
    maxDate: view.days.latest,
    rule: fill(t.dueRule, { latest }),
    send: fill(t.send, { reference }),
    roundId: app.roundId,
    applicationId: app.id,
    rev: app.rev,
  });
}

/** The applicant's message in their chat: the note, the date, the rule, and a button to open the application. */
export function changeApplicantCard(lang: Lang, app: Application): Card {
  const t = changeMessages(lang);
  const cr = app.changeRequest!;
  const reference = app.reference ?? '';
  return render(applicantTemplate, {
    title: fill(t.applicant.title, { reference }),
    intro: fill(t.applicant.intro, { title: app.fields.title ?? '' }),
    note: cr.note,
    due: fill(t.applicant.due, { due: dueDay(lang, cr.dueBy) }),
    rule: t.applicant.rule,
    open: fill(t.applicant.open, { reference }),
    roundId: app.roundId,
    applicationId: app.id,
  });
}

function valueText(lang: Lang, key: string, value: unknown): string {
  const t = changeMessages(lang);
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length)) return t.diff.empty;
  if (key === 'amount' && typeof value === 'number') return formatEuro(lang, value);
  if (key === 'budgetLines' && Array.isArray(value)) return truncate(budgetLinesText(lang, value as BudgetLine[]), PREVIEW);
  if (key === 'ambitions' && Array.isArray(value))
    return value.map((a) => messages(lang).ambitions[a as keyof ReturnType<typeof messages>['ambitions']] ?? String(a)).join(', ');
  if (Array.isArray(value)) return value.map(String).join(', ');
  return truncate(String(value), PREVIEW);
}

/** What changed, field by field against the snapshot: labels, short before/after previews (per member, `change.diff`). */
export function changeDiffCard(lang: Lang, app: Application, labels: Record<string, string> = {}): Card {
  const t = changeMessages(lang).diff;
  const cr = app.changeRequest;
  const changes = cr && cr.resubmittedAt && !cr.expiredAt ? fieldChanges(cr.snapshot, app.fields) : [];
  const items = changes.slice(0, MAX_ITEMS).map((c) => ({
    label: fieldLabel(lang, c.key, labels),
    before: fill(t.before, { text: valueText(lang, c.key, c.before) }),
    after: fill(t.after, { text: valueText(lang, c.key, c.after) }),
  }));
  return render(diffTemplate, {
    title: fill(t.title, { reference: app.reference ?? '' }),
    asked: cr ? fill(t.asked, { requested: formatDate(lang, cr.requestedAt), note: cr.note }) : '',
    summary: !cr?.resubmittedAt ? t.waiting : changes.length ? plural(lang, changes.length, t.count) : t.none,
    items,
    more: changes.length > MAX_ITEMS ? plural(lang, changes.length - MAX_ITEMS, t.count) : '',
    back: t.back,
    roundId: app.roundId,
    applicationId: app.id,
  });
}
