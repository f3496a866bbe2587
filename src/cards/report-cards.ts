import reportTemplate from '../../cards/report.json';
import type { AllocationReportData, ResultsReportData } from '../domain/council-report';
import { fill, formatDate, formatDateTime, formatEuro, Lang } from '../i18n';
import { reportMessages } from '../i18n/reports';
import { chartPng, wijkChartInput } from '../reports/chart';
import type { ReportUrls } from '../reports/links';
import { Card, render } from './render';

const TOP = 5;
const MISSING = 10;
/** The chart travels inside the card (a data URI) so it never depends on a link that expires. */
const MAX_INLINE_CHART = 40 * 1024;

type Links = ReportUrls & { expiresAt: string };

function downloads(lang: Lang, links: Links, files: [keyof ReportUrls, keyof ReturnType<typeof reportMessages>['downloads']][]) {
  const t = reportMessages(lang).downloads;
  return files.flatMap(([file, label]) => (links[file] ? [{ title: t[label], url: links[file]! }] : []));
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** The accounthouder's summary of the allocation report: key figures, the chart, the largest awards, the downloads. */
export function allocationReportCard(lang: Lang, data: AllocationReportData, links: Links): Card {
  const m = reportMessages(lang);
  const t = m.allocation;
  const e = (n: number) => formatEuro(lang, n);
  const tot = data.totals;
  const png = data.awards.length ? chartPng(wijkChartInput(data)) : undefined;
  const chartUrl = !png ? '' : png.length <= MAX_INLINE_CHART ? `data:image/png;base64,${png.toString('base64')}` : (links['wijk.png'] ?? '');
  const top = [...data.awards].sort((a, b) => b.awarded - a.awarded || a.reference.localeCompare(b.reference)).slice(0, TOP);
  return render(reportTemplate, {
    title: t.title,
    roundName: data.process.roundName,
    intro: t.intro,
    warning: data.checks.length ? m.checks : '',
    facts: [
      { title: t.budget, value: e(data.budget.budget) },
      { title: t.awarded, value: e(data.budget.awarded) },
      { title: t.remaining, value: e(data.budget.remaining) },
      { title: t.received, value: String(tot.received) },
      { title: t.awards, value: String(tot.awarded) },
      { title: t.declined, value: String(tot.declined) },
      { title: t.withdrawn, value: String(tot.withdrawn) },
      ...(tot.undecided ? [{ title: t.undecided, value: String(tot.undecided) }] : []),
      { title: t.organisations, value: String(data.byOrganisation.length) },
      { title: t.due, value: formatDate(lang, data.process.dates.councilAllocationReportDue) },
    ],
    empty: data.awards.length ? '' : t.none,
    chartUrl,
    chartAlt: fill(t.chartAlt, { values: data.byWijk.map((w) => `${w.name}: ${e(w.amount)} (${percent(w.shareOfAwarded)})`).join('; ') }),
    linesTitle: t.topTitle,
    lines: top.map((a) => ({ text: fill(t.topLine, { reference: a.reference, organisation: a.organisation, wijk: a.wijk, amount: e(a.awarded) }) })),
    linksValid: fill(m.linksValid, { date: formatDateTime(lang, links.expiresAt) }),
    // One download a row in the body (the card's own buttons stay two): the chart is also in the card and in the Word document.
    downloads: downloads(lang, links, [
      ['verdeling.docx', 'word'],
      ['verdeling.md', 'markdown'],
      ['toekenningen.csv', 'csv'],
      ['woo.csv', 'woo'],
      ['wijk.png', 'chart'],
      ['wijk.svg', 'chartSvg'],
    ]),
    roundId: data.process.roundId,
    allocationAction: t.refresh,
    resultsAction: m.toResults,
  });
}

/** The accounthouder's summary of the results report: who reported, money spent, who has not reported yet. */
export function resultsReportCard(lang: Lang, data: ResultsReportData, links: Links): Card {
  const m = reportMessages(lang);
  const t = m.results;
  const e = (n: number) => formatEuro(lang, n);
  const tot = data.totals;
  const missing = data.missing
    .slice(0, MISSING)
    .map((x) => ({ text: fill(t.missingLine, { reference: x.reference, organisation: x.organisation, title: x.title, draft: x.hasDraft ? t.draft : '' }) }));
  if (data.missing.length > MISSING) missing.push({ text: fill(t.more, { count: data.missing.length - MISSING }) });
  return render(reportTemplate, {
    title: t.title,
    roundName: data.roundName,
    intro: t.intro,
    warning: data.checks.length ? m.checks : '',
    facts: [
      { title: t.awards, value: String(tot.awards) },
      { title: t.reported, value: String(tot.reported) },
      { title: t.missing, value: String(tot.missing) },
      { title: t.awarded, value: e(tot.totalAwarded) },
      { title: t.spent, value: fill(t.spentValue, { spent: e(tot.spentReported), awarded: e(tot.awardedReported) }) },
      { title: t.due, value: formatDate(lang, data.due) },
    ],
    empty: data.rows.length ? '' : t.none,
    chartUrl: '',
    chartAlt: '',
    linesTitle: t.missingTitle,
    lines: missing,
    linksValid: fill(m.linksValid, { date: formatDateTime(lang, links.expiresAt) }),
    downloads: downloads(lang, links, [
      ['resultaten.docx', 'word'],
      ['resultaten.md', 'markdown'],
      ['resultaten.csv', 'csv'],
    ]),
    roundId: data.roundId,
    allocationAction: m.toAllocation,
    resultsAction: t.refresh,
  });
}
