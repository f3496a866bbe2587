import applicantTemplate from '../../cards/change-applicant.json';
import diffTemplate from '../../cards/change-diff.json';
import requestTemplate from '../../cards/change-request.json';
import type { Application } from '../domain/application';
import { ChangeRequestErrors, fieldChanges, scoredBeforeChange } from '../domain/change-request';
import { changeMessages, fieldLabel } from '../i18n/change-request';
import { fill, formatDate, formatEuro, Lang, messages, plural } from '../i18n';
import type { ReviewContext, Viewer } from '../usecases/load-review';
import type { ChangeRequestView } from '../usecases/request-changes';
import { Card, render, truncate } from './render';

/** Before/after previews on the diff card are cut here (the whole text is on the reading card). */
const PREVIEW = 200;
/** At most this many changed fields on the diff card (a form as data may have many): the rest are counted. */
const MAX_ITEMS = 30;
/** The note on the review card is cut here; the diff card has it whole. */
const NOTE_ON_REVIEW = 280;

/** The last day the applicant has (the request is due at 00:00 after it). */
const dueDay = (lang: Lang, dueBy: string) => formatDate(lang, new Date(Date.parse(dueBy) - 1).toISOString());

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
    noteLabel: t.noteLabel,
    note: v.note ?? '',
    noteError: t.errors.required,
    dueLabel: t.dueLabel,
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

/** The line on the summary while changes are requested: the note and the date. */
export function changeNotice(lang: Lang, app: Application): string {
  const cr = app.changeRequest;
  if (app.status !== 'changes_requested' || !cr) return '';
  return fill(changeMessages(lang).summaryNotice, { note: truncate(cr.note, NOTE_ON_REVIEW), due: dueDay(lang, cr.dueBy) });
}

function valueText(lang: Lang, key: string, value: unknown): string {
  const t = changeMessages(lang);
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length)) return t.diff.empty;
  if (key === 'amount' && typeof value === 'number') return formatEuro(lang, value);
  if (key === 'ambitions' && Array.isArray(value))
    return value.map((a) => messages(lang).ambitions[a as keyof ReturnType<typeof messages>['ambitions']] ?? String(a)).join(', ');
  if (Array.isArray(value)) return value.map(String).join(', ');
  return truncate(String(value), PREVIEW);
}

/** What the review card shows of a change request: the state, the note, the diff button, the member's marked scores, the propose box. */
export function reviewChangeView(lang: Lang, ctx: ReviewContext, viewer: Viewer, detailCompact = false) {
  const t = changeMessages(lang).review;
  const app = ctx.app.value;
  const cr = app.changeRequest;
  const own = viewer.kind === 'member' ? viewer.sheet?.value : undefined;
  const propose = {
    canPropose: viewer.kind === 'member' && ctx.open && app.status === 'in_review',
    proposeToggle: t.proposeToggle,
    proposeLabel: t.proposeLabel,
    proposeSend: t.proposeSend,
  };
  if (!cr) return { change: { show: false, line: '', asked: '', canDiff: false, diffTitle: '', ...propose }, ownBefore: '' };
  const requested = formatDate(lang, cr.requestedAt);
  const fields = (cr.changed ?? []).map((k) => fieldLabel(lang, k)).join(', ');
  const line =
    app.status === 'changes_requested'
      ? fill(t.waiting, { requested, due: dueDay(lang, cr.dueBy) })
      : cr.expiredAt
        ? fill(t.expired, { requested, due: dueDay(lang, cr.dueBy) })
        : cr.resubmittedAt
          ? fill(fields ? t.back : t.backNothing, { requested, resubmitted: formatDate(lang, cr.resubmittedAt), fields })
          : '';
  return {
    change: {
      show: Boolean(line),
      line,
      asked: cr.note ? fill(t.asked, { note: truncate(cr.note, detailCompact ? NOTE_ON_REVIEW / 2 : NOTE_ON_REVIEW) }) : '',
      canDiff: Boolean(cr.resubmittedAt && (cr.changed ?? []).length),
      diffTitle: t.showDiff,
      ...propose,
    },
    ownBefore: scoredBeforeChange(own, cr) ? fill(t.ownBefore, { requested }) : '',
  };
}

/** What changed, field by field against the snapshot: labels, short before/after previews (per member, `change.diff`). */
export function changeDiffCard(lang: Lang, app: Application): Card {
  const t = changeMessages(lang).diff;
  const cr = app.changeRequest;
  const changes = cr && cr.resubmittedAt && !cr.expiredAt ? fieldChanges(cr.snapshot, app.fields) : [];
  const items = changes.slice(0, MAX_ITEMS).map((c) => ({
    label: fieldLabel(lang, c.key),
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
