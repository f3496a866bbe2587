import applicationsTemplate from '../../cards/applications.json';
import exportTemplate from '../../cards/export.json';
import type { ApplicationStatus } from '../domain/application';
import { canRequestChanges } from '../domain/change-request';
import type { OverviewRow } from '../domain/application-overview';
import type { Round } from '../domain/round';
import { fill, formatDateTime, formatEuro, Lang, messages } from '../i18n';
import { applicationsMessages } from '../i18n/applications';
import type { ApplicationsPage } from '../usecases/list-applications';
import { Card, render, shortName, truncate } from './render';

const STATUSES: ApplicationStatus[] = [
  'draft',
  'submitted',
  'in_review',
  'changes_requested',
  'reviewed',
  'awarded',
  'declined',
  'withdrawn',
  'results_reported',
];
/** Typed names and titles are cut on the card (the workbook has them whole): a page stays small whatever was typed. */
const MAX_TEXT = 90;
const clip = (s: string) => (s.length <= MAX_TEXT ? s : truncate(s, MAX_TEXT - 1));
const COUNT = { nl: new Intl.NumberFormat('nl-NL'), en: new Intl.NumberFormat('en-GB') } as const;
/** A value the filter choice "all" stands for (an Input.ChoiceSet needs a value). */
export const ALL = 'all';

/** The review card's message in its channel thread, as a Teams link; empty when it was not posted. */
export function threadUrl(thread: OverviewRow['thread']): string {
  if (!thread?.activityId) return '';
  const channelId = thread.channelId ?? thread.threadId?.split(';')[0];
  if (!channelId) return '';
  const query = new URLSearchParams({ ...(thread.tenantId ? { tenantId: thread.tenantId } : {}), parentMessageId: thread.activityId });
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(channelId)}/${encodeURIComponent(thread.activityId)}?${query.toString()}`;
}

/** The accounthouder's list of every application of the round: filters, one page of applications, paging, the export. */
export function applicationsCard(lang: Lang, p: ApplicationsPage): Card {
  const t = applicationsMessages(lang).list;
  const status = messages(lang).status;
  const e = (n: number) => formatEuro(lang, n);
  const n = (x: number) => COUNT[lang].format(x);
  return render(applicationsTemplate, {
    t,
    roundName: p.round.name,
    roundId: p.round.id,
    countText: fill(t.count, { matched: n(p.matched), total: n(p.total), page: n(p.page), pages: n(p.pages) }),
    status: p.filter.status ?? ALL,
    statuses: [{ title: t.all, value: ALL }, ...STATUSES.map((s) => ({ title: status[s], value: s }))],
    wijk: p.filter.wijk ?? ALL,
    wijken: [{ title: t.all, value: ALL }, ...p.round.wijken.map((w) => ({ title: w, value: w }))],
    organisation: p.filter.organisation ?? '',
    rows: p.rows.map((r) => {
      const closed = r.review.state === 'closed' || r.review.state === 'settled';
      const url = threadUrl(r.thread);
      return {
        line: fill(t.line, { reference: r.reference ?? t.draft, organisation: clip(r.organisation || '–'), wijk: clip(r.wijk || '–') }),
        title: clip(r.title || '–'),
        facts: fill(t.facts, {
          status: status[r.status],
          requested: r.requested === undefined ? '–' : e(r.requested),
          awarded: r.awarded ? fill(t.awarded, { amount: e(r.awarded) }) : '',
        }),
        progress:
          r.review.state === 'none'
            ? ''
            : fill(closed ? t.progressClosed : t.progress, { scored: r.review.scored, needed: r.review.needed }) +
              (r.overall === undefined ? '' : fill(t.score, { score: `${Math.round(r.overall * 100)}%` })) +
              (r.knockedOut ? t.knockout : '') +
              (r.recusals.organisation + r.recusals.declared ? fill(t.recused, { n: r.recusals.organisation + r.recusals.declared }) : ''),
        url,
        // Each button says which application it opens (20 of them on a page).
        threadTitle: shortName(fill(t.thread, { reference: r.reference ?? r.title }), 40),
        // Opens the same request card as `aanvulling <kenmerk>` (submitted or in review only).
        requestTitle: r.reference && canRequestChanges(r.status) ? fill(t.requestChanges, { reference: r.reference }) : '',
        applicationId: r.applicationId,
      };
    }),
    previous: p.page > 1 ? p.page - 1 : 0,
    next: p.page < p.pages ? p.page + 1 : 0,
  });
}

/** The workbook's download link: counts of recusals by default, names only when asked for. */
export function exportCard(lang: Lang, round: Round, link: { url: string; expiresAt: string }, named: boolean): Card {
  const t = applicationsMessages(lang).export;
  return render(exportTemplate, {
    t,
    roundName: round.name,
    roundId: round.id,
    privacy: named ? t.named : t.counts,
    privacyColor: named ? 'attention' : 'default',
    linkValid: fill(t.linkValid, { date: formatDateTime(lang, link.expiresAt) }),
    url: link.url,
    named,
    listTitle: applicationsMessages(lang).list.title,
  });
}
