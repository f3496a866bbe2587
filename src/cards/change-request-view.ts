import type { Application } from '../domain/application';
import { scoredBeforeChange } from '../domain/change-request';
import { changeMessages, fieldLabel } from '../i18n/change-request';
import { fill, formatDate, Lang } from '../i18n';
import type { ReviewContext, Viewer } from '../usecases/load-review';
import { formLabels } from './answers';
import { truncate } from './render';

/** The note on the review card and the summary is cut here; the diff card has it whole. */
const NOTE_ON_REVIEW = 280;

/** The last day the applicant has (the request is due at 00:00 after it). */
export const dueDay = (lang: Lang, dueBy: string) => formatDate(lang, new Date(Date.parse(dueBy) - 1).toISOString());

/** The line on the summary while changes are requested: the note and the date. */
export function changeNotice(lang: Lang, app: Application): string {
  const cr = app.changeRequest;
  if (app.status !== 'changes_requested' || !cr) return '';
  return fill(changeMessages(lang).summaryNotice, { note: truncate(cr.note, NOTE_ON_REVIEW), due: dueDay(lang, cr.dueBy) });
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
  const labels = formLabels(lang, ctx.round.value);
  const fields = (cr.changed ?? []).map((k) => fieldLabel(lang, k, labels)).join(', ');
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
