import logbookTemplate from '../../cards/logbook.json';
import myDataTemplate from '../../cards/my-data.json';
import confirmTemplate from '../../cards/privacy-delete-confirm.json';
import requestTemplate from '../../cards/privacy-request.json';
import requestsTemplate from '../../cards/privacy-requests.json';
import type { LogbookRow } from '../domain/logbook';
import type { PersonalData } from '../domain/personal-data';
import type { DeletionRequest } from '../domain/privacy-request';
import { fill, formatDateTime, plural, type Lang } from '../i18n';
import { logbookMessages, logbookSentence } from '../i18n/logbook';
import { keptPhrase, privacyMessages, removedPhrase } from '../i18n/privacy-requests';
import type { DeletionPlan, RequestView } from '../usecases/deletion-request';
import type { LogbookPage } from '../usecases/logbook';
import { type Card, render, shortName, truncate } from './render';

/** The person's own data: counts computed from what was collected, and the two signed download links. */
export function myDataCard(lang: Lang, data: PersonalData, links: { readable: string; json: string; expiresAt: string }): Card {
  const t = privacyMessages(lang).myData;
  const s = data.sections;
  return render(myDataTemplate, {
    t,
    counts: fill(t.counts, {
      applications: plural(lang, s.application.length, t.applications),
      sheets: plural(lang, s.review.sheets.length, t.sheets),
      messages: plural(lang, s.messages.length, t.messages),
      audit: plural(lang, s.audit.length, t.audit),
    }),
    linkValid: fill(t.linkValid, { date: formatDateTime(lang, links.expiresAt) }),
    readableUrl: links.readable,
    jsonUrl: links.json,
  });
}

/** The person's confirmation before asking for deletion, or the state of the request they have. */
export function deleteConfirmCard(lang: Lang, plan: DeletionPlan, request?: DeletionRequest, justSent = false): Card {
  const t = privacyMessages(lang).delete;
  const removed = removedPhrase(lang, plan.removed, plan.applications);
  const base = { t, removed: removed || (plan.applications ? '' : t.nothingRemoved), kept: keptPhrase(lang, plan.kept) };
  if (request?.state === 'open') {
    const date = formatDateTime(lang, request.requestedAt);
    return render(confirmTemplate, { ...base, title: justSent ? t.sentTitle : t.openTitle, text: fill(justSent ? t.sent : t.open, { date }), canAsk: false });
  }
  return render(confirmTemplate, { ...base, title: t.confirmTitle, text: t.confirmIntro, canAsk: true });
}

/** The accounthouder's card for one request: who asked, what would go and what must stay; approve or refuse (with reason) while open. */
export function requestCard(lang: Lang, v: RequestView, options: { notice?: string; reason?: string; who?: string } = {}): Card {
  const t = privacyMessages(lang).decide;
  const d = privacyMessages(lang).delete;
  const r = v.request;
  const name = shortName(v.name ?? t.unknown, 80);
  const open = r.state === 'open';
  const decidedBy = options.who ?? t.unknown;
  const outcome = r.outcome;
  const removed = outcome
    ? removedPhrase(lang, outcome.removed, outcome.applications, { voice: 'accounthouder', auditRecords: outcome.auditRecords }) || d.nothingRemoved
    : removedPhrase(lang, v.plan.removed, v.plan.applications, { voice: 'accounthouder' }) || d.nothingRemoved;
  return render(requestTemplate, {
    t,
    notice: options.notice ?? '',
    who: fill(t.who, { name, date: formatDateTime(lang, r.requestedAt) }),
    removedTitle: outcome ? d.removedDoneTitle : d.removedTitle,
    removed,
    keptTitle: d.keptTitle,
    kept: keptPhrase(lang, outcome ? outcome.kept.map((what) => ({ what })) : v.plan.kept),
    state: open
      ? ''
      : fill(t.decided, {
          state: r.state === 'approved' ? t.approvedState : t.refusedState,
          name: decidedBy,
          date: formatDateTime(lang, r.decidedAt ?? r.requestedAt),
        }) + (r.reason ? ` ${truncate(r.reason, 300)}` : ''),
    open,
    reasonLabel: options.notice ? `${t.reason}: ${options.notice}` : t.reason,
    reason: options.reason ?? '',
    requestId: v.requestId,
    rev: r.rev,
  });
}

/** The open requests, each with a button to its card. */
export function requestsCard(lang: Lang, rows: { requestId: string; request: DeletionRequest; name?: string }[]): Card {
  const t = privacyMessages(lang).decide;
  return render(requestsTemplate, {
    t,
    countText: rows.length ? plural(lang, rows.length, t.listCount) : t.listNone,
    rows: rows.slice(0, 30).map((r, i) => {
      const name = shortName(r.name ?? t.unknown, 40);
      return {
        line: fill(t.who, { name, date: formatDateTime(lang, r.request.requestedAt) }),
        button: fill(t.open, { n: i + 1, name }),
        requestId: r.requestId,
      };
    }),
  });
}

/** The logboek: the filter, one page of readable lines, paging and the CSV link. */
export function logbookCard(lang: Lang, p: LogbookPage, csv: { url: string; expiresAt: string }, typedReference?: string): Card {
  const t = logbookMessages(lang);
  const person = p.filter.personId ?? 'all';
  const line = (r: LogbookRow) => fill(t.line, { date: formatDateTime(lang, r.at), sentence: truncate(logbookSentence(lang, r), 300) });
  return render(logbookTemplate, {
    t,
    notice: p.unknownReference ? fill(t.unknownReference, { reference: truncate(p.unknownReference, 40) }) : '',
    reference: p.reference ?? truncate(typedReference ?? '', 40),
    filterReference: p.reference ?? '',
    person,
    people: [{ title: t.everyone, value: 'all' }, ...p.people.map((x) => ({ title: truncate(x.name, 60), value: x.userId }))],
    peopleCut: p.peopleCut ? plural(lang, p.peopleCut, t.peopleCut) : '',
    from: p.filter.from ?? '',
    to: p.filter.to ?? '',
    countText: fill(plural(lang, p.matched, t.count), { page: p.page, pages: p.pages }),
    rows: p.rows.map((r) => ({ line: line(r) })),
    previous: p.page > 1 ? p.page - 1 : 0,
    next: p.page < p.pages ? p.page + 1 : 0,
    csvUrl: csv.url,
    linkValid: fill(t.linkValid, { date: formatDateTime(lang, csv.expiresAt) }),
  });
}
