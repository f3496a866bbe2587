import overviewTemplate from '../../cards/overview.json';
import resultsTemplate from '../../cards/results.json';
import type { Application } from '../domain/application';
import { RESULTS_FIELDS, ResultsErrors, ResultsField } from '../domain/results';
import { fill, formatDateTime, formatEuro, Lang, messages } from '../i18n';
import type { RoundOverview } from '../usecases/round-overview';
import { applicationsMessages } from '../i18n/applications';
import { Card, render, withError } from './render';

export interface ResultsView {
  notice?: string;
  noticeColor?: 'accent' | 'attention' | 'default';
  raw?: Partial<Record<ResultsField, string>>;
  errors?: ResultsErrors;
}

/** The awarded partner's results card: a form while open, what was sent once submitted. */
export function resultsCard(lang: Lang, app: Application, view: ResultsView = {}): Card {
  const t = messages(lang).results;
  const stored = app.results;
  const awarded = formatEuro(lang, app.decision?.awarded ?? 0);
  const open = app.status === 'awarded';
  const errors = view.errors ?? {};
  return render(resultsTemplate, {
    t,
    about: fill(t.about, { reference: app.reference ?? '', title: app.fields.title ?? '' }),
    intro: open ? t.intro : '',
    notice: view.notice ?? (Object.keys(errors).length ? t.fixBelow : ''),
    noticeColor: view.noticeColor ?? (Object.keys(errors).length ? 'attention' : 'accent'),
    open,
    roundId: app.roundId,
    applicationId: app.id,
    rev: app.rev,
    fields: RESULTS_FIELDS.map((f) => {
      const value = view.raw?.[f] ?? (stored?.[f] === undefined ? '' : String(stored[f]));
      const label = fill(t[f], { awarded });
      return {
        id: f,
        kind: f === 'spent' ? 'number' : 'text',
        label: withError(label, errors[f] ? t.errors[errors[f]!] : ''),
        plainLabel: label.replace(/\s*\([^)]*\)/g, ''),
        value,
        shown: f === 'spent' && stored?.spent !== undefined ? formatEuro(lang, stored.spent) : value || '–',
        error: errors[f] ? t.errors[errors[f]!] : '',
      };
    }),
  });
}

/** The most awards named on the overview card; the results report lists them all. */
export const OVERVIEW_LIMIT = 20;

/** The accounthouder's round at a glance. */
export function overviewCard(lang: Lang, o: RoundOverview): Card {
  const t = messages(lang);
  const statuses = Object.entries(o.counts).map(([s, n]) => ({ title: t.status[s as keyof typeof t.status], value: String(n) }));
  const reported = o.results.filter((r) => r.reported).length;
  return render(overviewTemplate, {
    t: t.overview,
    roundId: o.round.id,
    // The workbook of every application (apps.export), next to the round at a glance.
    exportTitle: applicationsMessages(lang).list.export,
    roundName: o.round.name,
    budget: formatEuro(lang, o.budget),
    awarded: formatEuro(lang, o.awarded),
    remaining: formatEuro(lang, o.remaining),
    deadlines: o.deadlinesAhead.map((d) => ({ title: t.overview.deadline[d.kind], value: formatDateTime(lang, d.at) })),
    statuses,
    resultsTitle: fill(t.overview.resultsTitle, { n: reported, m: o.results.length }),
    // Who has not reported first; the card names at most OVERVIEW_LIMIT, the report has them all.
    results: [
      ...[...o.results]
        .sort((a, b) => Number(a.reported) - Number(b.reported))
        .slice(0, OVERVIEW_LIMIT)
        .map((r) => ({
          text: fill(r.reported ? t.overview.reported : t.overview.missing, { reference: r.reference, title: r.title, organisation: r.organisation }),
          color: r.reported ? 'default' : 'attention',
        })),
      ...(o.results.length > OVERVIEW_LIMIT ? [{ text: fill(t.overview.more, { n: o.results.length - OVERVIEW_LIMIT }), color: 'default' }] : []),
    ],
  });
}
