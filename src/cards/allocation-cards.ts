import allocationTemplate from '../../cards/allocation.json';
import marksTemplate from '../../cards/allocation-marks.json';
import decisionTemplate from '../../cards/decision.json';
import proposalPanelTemplate from '../../cards/proposal-panel.json';
import { amountField, type AdjustError, type Proposal, type ProposalLine, type Share } from '../domain/allocation';
import { PANEL_ROLES } from '../domain/panel';
import { marksByRole } from '../domain/panel-composition';
import type { Round } from '../domain/round';
import type { ReviewResult } from '../domain/review-result';
import { fill, formatDate, formatEuro, Lang, messages, Messages, plural } from '../i18n';
import { MARK_REMARK_LIMIT, type DecidedLine, type DecisionRecord, type PanelMark } from '../domain/decision';
import type { CurrentProposal } from '../usecases/allocation-proposal';
import { Card, cardBytes, MESSAGE_LIMIT_BYTES, render, truncate, withError } from './render';

const percent = (share: number) => Math.round(share * 100);
const scoreText = (t: Messages, score: number | undefined) => (score === undefined ? t.alloc.noScore : `${percent(score)}%`);

/**
 * Lines a page of the allocation cards. Teams refuses a message over about 100 KB (UTF-16) and
 * Microsoft says to keep it within 80 KB: a line at its field maxima costs about 1.5 KB, so 90
 * lines (one approval's cap) are shown a page at a time; approving always covers the whole
 * proposal (the fingerprint on the card guards which one).
 */
export const ALLOCATION_PAGE_LINES = 15;
/** A panel remark on the accounthouder's card is cut here (marked with …): 60 members must fit. */
const MARK_REMARK_CHARS = 140;

/** The lines of one page, the page that holds an error, and the page buttons. */
function paging(t: Messages, total: number, requested: number | undefined, errorIndex: number, info = t.alloc.pageInfo) {
  const pages = Math.max(1, Math.ceil(total / ALLOCATION_PAGE_LINES));
  const page = errorIndex >= 0 ? Math.floor(errorIndex / ALLOCATION_PAGE_LINES) : Math.min(Math.max(0, requested ?? 0), pages - 1);
  const from = page * ALLOCATION_PAGE_LINES;
  const to = Math.min(total, from + ALLOCATION_PAGE_LINES);
  return {
    page,
    from,
    to,
    pages,
    pageInfo: pages > 1 ? fill(info, { from: from + 1, to, total }) : '',
  };
}

/** The largest shares by name, the rest together: a round with hundreds of organisations keeps a readable card. */
const SHARE_ROWS = 12;

function shareRows(lang: Lang, t: Messages, shares: Share[]) {
  const row = (name: string, amount: number, share: number) => ({
    name,
    value: fill(t.alloc.shareValue, { amount: formatEuro(lang, amount), percent: percent(share) }),
  });
  const shown = shares.slice(0, SHARE_ROWS).map((s) => row(s.name, s.amount, s.share));
  const rest = shares.slice(SHARE_ROWS);
  if (rest.length)
    shown.push(
      row(
        fill(t.alloc.others, { n: rest.length }),
        rest.reduce((a, s) => a + s.amount, 0),
        rest.reduce((a, s) => a + s.share, 0),
      ),
    );
  return shown;
}

function lineTexts(lang: Lang, t: Messages, l: ProposalLine) {
  return {
    heading: fill(t.alloc.heading, { rank: l.rank, reference: l.reference, title: l.title }) + (l.partial ? t.alloc.partial : ''),
    details: fill(t.alloc.details, { organisation: l.organisation, wijk: l.wijk, score: scoreText(t, l.score), requested: formatEuro(lang, l.requested) }),
  };
}

/** "gemeente 1 eens · partner 1 oneens · ervaringsdeskundige nog niet": whether the panel judged together. */
function perRole(t: Messages, marks: PanelMark[]): string {
  const by = marksByRole(marks);
  return PANEL_ROLES.map(
    (r) => `${t.panel.roles[r].toLowerCase()} ${by[r].agree + by[r].disagree === 0 ? t.alloc.roleNone : fill(t.alloc.roleMarks, by[r])}`,
  ).join(' · ');
}

function common(lang: Lang, cp: CurrentProposal, marks: PanelMark[]) {
  const t = messages(lang);
  const p: Proposal = cp.proposal;
  return {
    t: t.alloc,
    roundId: cp.round.id,
    roundName: cp.round.name,
    fingerprint: cp.fingerprint,
    budget: formatEuro(lang, p.budget),
    spent: formatEuro(lang, p.spent),
    proposed: formatEuro(lang, p.proposedTotal),
    remaining: formatEuro(lang, p.remaining),
    warnings: [
      ...p.concentration.slice(0, CONCENTRATION_NAMED).map((s) => ({
        text: fill(t.alloc.concentration, { name: s.name, percent: percent(s.share), limit: percent(cp.round.concentrationLimit) }),
      })),
      ...(p.concentration.length > CONCENTRATION_NAMED
        ? [
            {
              text: fill(plural(lang, p.concentration.length - CONCENTRATION_NAMED, t.alloc.concentrationMore), {
                limit: percent(cp.round.concentrationLimit),
              }),
            },
          ]
        : []),
    ],
    panelText: marks.length
      ? `${fill(t.alloc.panelMarks, { agree: marks.filter((m) => m.agree).length, disagree: marks.filter((m) => !m.agree).length })} (${perRole(t, marks)})`
      : t.alloc.panelNone,
  };
}

export interface AllocationView {
  notice?: string;
  noticeColor?: 'accent' | 'attention' | 'default';
  error?: AdjustError;
  /** What the accounthouder typed (on this page and carried from others), shown again. */
  raw?: Record<string, string>;
  /** Which page of lines (0 first); the page with the error wins. */
  page?: number;
}

/**
 * The accounthouder's one card: the ranked proposal a page at a time, amounts to adjust (0
 * declines), shares, the panel's marks, one button. The marks are on the card when they fit
 * Teams' size limit with the page; otherwise the card counts them and "Lees de reacties" opens
 * them (`marksCard`, 20 a page, keeping the amounts typed).
 */
export function allocationCard(lang: Lang, cp: CurrentProposal, marks: PanelMark[], view: AllocationView = {}): Card {
  const inline = allocationCardAt(lang, cp, marks, view, true);
  return marks.length === 0 || cardBytes(inline) <= MESSAGE_LIMIT_BYTES ? inline : allocationCardAt(lang, cp, marks, view, false);
}

/** Co-applicants the registry could not link, in one line per application. */
function unlinkedLines(t: Messages, reference: string, names: string[]) {
  if (names.length === 0) return [];
  if (names.length === 1) return [{ text: fill(t.alloc.unlinkedCoApplicant, { reference, name: names[0]! }) }];
  return [{ text: fill(t.alloc.unlinkedCoApplicants, { reference, names: names.map((n) => `'${n}'`).join(', ') }) }];
}

/** Reactions a page on the panel's reactions card. */
export const MARKS_PAGE_SIZE = 20;
/** Organisations over the concentration limit named one by one; the rest are counted. */
const CONCENTRATION_NAMED = 5;

const markText = (t: Messages, m: PanelMark, remarkChars: number) =>
  fill(t.alloc.markLine, {
    name: m.name,
    role: t.panel.roles[m.role],
    verdict: m.agree ? t.alloc.agreeWord : t.alloc.disagreeWord,
    remark: m.remark ? `: "${truncate(m.remark, remarkChars)}"` : '',
  });

/** The amounts typed so far (on any page), as they travel in buttons' data. */
function typedAmounts(cp: CurrentProposal, raw: Record<string, string>, except?: { from: number; to: number }): Record<string, string> {
  const out: Record<string, string> = {};
  cp.proposal.lines.forEach((l, i) => {
    const typed = raw[amountField(l.applicationId)];
    if (except && i >= except.from && i < except.to) return;
    if (typed !== undefined && typed.trim() !== '' && typed.trim() !== String(l.proposed)) out[amountField(l.applicationId)] = typed;
  });
  return out;
}

/** The panel's reactions on this version of the proposal, a page at a time (`marksPage` from 1), for the accounthouder. */
export function marksCard(lang: Lang, cp: CurrentProposal, marks: PanelMark[], view: { page: number; marksPage: number; raw?: Record<string, string> }): Card {
  const t = messages(lang);
  const pages = Math.max(1, Math.ceil(marks.length / MARKS_PAGE_SIZE));
  const mp = Math.min(Math.max(1, view.marksPage), pages);
  const from = (mp - 1) * MARKS_PAGE_SIZE;
  const shown = marks.slice(from, from + MARKS_PAGE_SIZE);
  const back = { roundId: cp.round.id, fingerprint: cp.fingerprint, page: view.page, ...typedAmounts(cp, view.raw ?? {}) };
  return render(marksTemplate, {
    ...common(lang, cp, marks),
    pageInfo: pages > 1 ? fill(t.alloc.marksPage, { from: from + 1, to: from + shown.length, total: marks.length }) : '',
    marks: shown.map((m) => ({ text: markText(t, m, MARK_REMARK_LIMIT) })),
    pages: [
      ...(mp > 1 ? [{ title: fill(t.alloc.previousPage, { n: MARKS_PAGE_SIZE }), data: { ...back, marksPage: mp - 1 } }] : []),
      ...(mp < pages
        ? [{ title: fill(t.alloc.nextPage, { n: Math.min(MARKS_PAGE_SIZE, marks.length - from - shown.length) }), data: { ...back, marksPage: mp + 1 } }]
        : []),
    ],
    backData: back,
  });
}

function allocationCardAt(lang: Lang, cp: CurrentProposal, marks: PanelMark[], view: AllocationView, marksInline: boolean): Card {
  const t = messages(lang);
  const e = view.error;
  const errorText = (id: string) => {
    if (!e || e.code === 'OVER_BUDGET' || e.applicationId !== id) return '';
    return t.alloc.errors[e.code];
  };
  const all = cp.proposal.lines;
  const errorIndex = e && e.code !== 'OVER_BUDGET' ? all.findIndex((l) => l.applicationId === e.applicationId) : -1;
  const p = paging(t, all.length, view.page, errorIndex);
  const raw = view.raw ?? {};
  // Amounts typed on other pages travel in the buttons' data, so turning a page or approving keeps them.
  const carried = typedAmounts(cp, raw, p);
  const keep = { roundId: cp.round.id, fingerprint: cp.fingerprint };
  const pageButton = (page: number, title: string) => ({ title, data: { ...keep, page, ...carried } });
  const pages = [
    ...(p.page > 0 ? [pageButton(p.page - 1, fill(t.alloc.previousPage, { n: ALLOCATION_PAGE_LINES }))] : []),
    ...(p.page < p.pages - 1 ? [pageButton(p.page + 1, fill(t.alloc.nextPage, { n: Math.min(ALLOCATION_PAGE_LINES, all.length - p.to) }))] : []),
  ];
  return render(allocationTemplate, {
    ...common(lang, cp, marks),
    notice:
      view.notice ??
      (e?.code === 'OVER_BUDGET' ? fill(t.alloc.errors.OVER_BUDGET, { total: formatEuro(lang, e.total), available: formatEuro(lang, e.available) }) : ''),
    noticeColor: view.noticeColor ?? (e ? 'attention' : 'default'),
    pageInfo: p.pageInfo,
    pages,
    approveData: { ...keep, ...carried },
    lines: all.slice(p.from, p.to).map((l) => ({
      ...lineTexts(lang, t, l),
      excludedText: l.excluded ? t.alloc.excluded[l.excluded] : '',
      editable: l.excluded !== 'knockout' && l.excluded !== 'unscored',
      amountId: amountField(l.applicationId),
      amountLabel: withError(fill(t.alloc.amountLabel, { reference: l.reference }), errorText(l.applicationId)),
      proposed: raw[amountField(l.applicationId)] ?? String(l.proposed),
      requested: l.requested,
      error: errorText(l.applicationId),
      // Co-applicants the registry could not link at submission: recusal and shares cannot count them by id.
      unlinked: unlinkedLines(t, l.reference, cp.unlinked?.get(l.applicationId) ?? []),
    })),
    byOrganisation: shareRows(lang, t, cp.proposal.byOrganisation),
    byWijk: shareRows(lang, t, cp.proposal.byWijk),
    marks: marksInline ? marks.map((m) => ({ text: markText(t, m, MARK_REMARK_CHARS) })) : [],
    marksButton: !marksInline,
    marksOpen: fill(t.alloc.marksOpen, { n: marks.length }),
    // The amounts on this page go along as inputs; those of other pages in the data.
    marksData: { ...keep, page: p.page, marksPage: 1, ...carried },
    canApprove: all.length > 0,
  });
}

/** The proposal as the panel sees it in the review channel, with eens / oneens. */
export function proposalPanelCard(
  lang: Lang,
  cp: CurrentProposal,
  marks: PanelMark[],
  view: { notice?: string; noticeColor?: string; open?: boolean; page?: number } = {},
): Card {
  const t = messages(lang);
  const all = cp.proposal.lines;
  // A page at a time, as on the accounthouder's card: eens / oneens always covers the whole proposal (its fingerprint).
  const p = paging(t, all.length, view.page, -1, t.alloc.panelPageInfo);
  const pageButton = (page: number, title: string) => ({ title, data: { roundId: cp.round.id, fingerprint: cp.fingerprint, page } });
  return render(proposalPanelTemplate, {
    ...common(lang, cp, marks),
    notice: view.notice ?? '',
    noticeColor: view.noticeColor ?? 'accent',
    open: view.open ?? true,
    pageInfo: p.pageInfo,
    pages: [
      ...(p.page > 0 ? [pageButton(p.page - 1, fill(t.alloc.previousPage, { n: ALLOCATION_PAGE_LINES }))] : []),
      ...(p.page < p.pages - 1 ? [pageButton(p.page + 1, fill(t.alloc.nextPage, { n: Math.min(ALLOCATION_PAGE_LINES, all.length - p.to) }))] : []),
    ],
    lines: all.slice(p.from, p.to).map((l) => ({
      ...lineTexts(lang, t, l),
      amountText:
        l.excluded && l.excluded !== 'budget'
          ? t.alloc.excluded[l.excluded]
          : fill(t.alloc.amountText, { proposed: formatEuro(lang, l.proposed), requested: formatEuro(lang, l.requested) }),
    })),
  });
}

/** The applicant's decision card: the amount and the condition to report results, or why not. */
export function decisionCard(lang: Lang, line: DecidedLine, round: Round, result: ReviewResult | undefined, panelRemarks: string[]): Card {
  const t = messages(lang).decision;
  const awarded = line.awarded > 0;
  const facts = [
    { title: t.requested, value: formatEuro(lang, line.requested) },
    ...(awarded
      ? [
          { title: t.awarded, value: formatEuro(lang, line.awarded) },
          { title: t.reportBy, value: formatDate(lang, round.councilResultsReportDue) },
        ]
      : []),
    ...(result?.overall !== undefined ? [{ title: t.score, value: `${percent(result.overall)}%` }] : []),
  ];
  const criteria = round.criteria.items;
  const lines = awarded
    ? []
    : [
        { text: t.declinedReason[line.reason ?? 'declined-by-accounthouder'] },
        ...(result?.quorumMet
          ? [
              { text: t.panelSummary },
              ...result.criteria.map((c, i) => ({
                text: `${criteria[i]?.title ?? c.criterionId}: ${c.mean === undefined ? '–' : c.mean.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB')}`,
              })),
            ]
          : []),
        ...panelRemarks.map((r) => ({ text: `“${r}”` })),
      ];
  return render(decisionTemplate, {
    title: line.outcome === 'awarded' ? t.awardedTitle : line.outcome === 'partial' ? t.partialTitle : t.declinedTitle,
    about: fill(t.about, { reference: line.reference, title: line.title }),
    text: fill(line.outcome === 'awarded' ? t.awardedText : line.outcome === 'partial' ? t.partialText : t.declinedText, {
      awarded: formatEuro(lang, line.awarded),
      requested: formatEuro(lang, line.requested),
    }),
    facts,
    lines,
    closing: awarded ? fill(t.conditions, { date: formatDate(lang, round.councilResultsReportDue) }) : '',
  });
}

/** The decision as told in the review channel: one summary card. */
export function decisionSummaryCard(lang: Lang, decision: DecisionRecord): Card {
  const t = messages(lang).decision;
  const awardedLines = decision.lines.filter((l) => l.awarded > 0);
  return render(decisionTemplate, {
    title: t.summaryTitle,
    about: formatDate(lang, decision.approvedAt),
    text: fill(plural(lang, decision.lines.length, t.summaryText), {
      awardedCount: awardedLines.length,
      declinedCount: decision.lines.length - awardedLines.length,
      total: formatEuro(lang, decision.total),
      remaining: formatEuro(lang, decision.budget - decision.spentBefore - decision.total),
    }),
    facts: [],
    lines: awardedLines.map((l) => ({
      text: fill(t.summaryLine, { reference: l.reference, title: l.title, organisation: l.organisation, amount: formatEuro(lang, l.awarded) }),
    })),
    closing: '',
  });
}

export function threadDecisionText(lang: Lang, line: DecidedLine, approvedAt: string): string {
  const t = messages(lang).decision;
  return line.awarded > 0
    ? fill(t.threadAwarded, {
        awarded: formatEuro(lang, line.awarded),
        partial: line.outcome === 'partial' ? messages(lang).alloc.partial : '',
        requested: formatEuro(lang, line.requested),
        date: formatDate(lang, approvedAt),
      })
    : fill(t.threadDeclined, { date: formatDate(lang, approvedAt) });
}
