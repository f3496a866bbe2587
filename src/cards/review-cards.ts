import panelTemplate from '../../cards/panel.json';
import stuckTemplate from '../../cards/stuck.json';
import questionTemplate from '../../cards/question.json';
import reviewTemplate from '../../cards/review.json';
import reviewOthersTemplate from '../../cards/review-others.json';
import reviewReadTemplate from '../../cards/review-read.json';
import type { Application } from '../domain/application';
import type { Criterion } from '../domain/criteria';
import { MAX_PANEL_SIZE, PANEL_ROLES, PanelMember } from '../domain/panel';
import { panelComposition } from '../domain/panel-composition';
import { commentField, OVERALL_FIELD, RawSheet, scoreField, ScoreSheet, SheetErrors, mayViewOthers } from '../domain/scoring';
import { reviewDeadlineOf, type Question } from '../domain/review';
import { fill, formatDateTime, formatDecimal, formatEuro, Lang, messages, Messages, plural } from '../i18n';
import type { ReviewContext, Viewer } from '../usecases/load-review';
import { reviewFiles } from './attachment-cards';
import { budgetTable } from './budget-cards';
import { ANSWER_BUDGETS, answerText, fitTexts, readLabel } from './answers';
import { formOf, ownQuestionsOf, questionsOf } from '../domain/form';
import { formMessages } from '../i18n/form';
import { reviewChangeView } from './change-request-view';
import { Card, cardBytes, MESSAGE_LIMIT_BYTES, render, shortName, truncate, withError } from './render';

/** Long texts show three lines with "read more": the card stays readable in a busy channel. */
const FOLD_AT = 280;
/** A criterion's description on a review card that would not fit otherwise (the whole one is on the reading card). */
const DESCRIPTION_SHORT = 140;
/** Others' general remarks on their card are cut here, marked with … (the full text stays in the store). */
const OTHERS_COMMENT_CHARS = 300;
/** Other members' sheets a page: 20 at their field maxima stay well within Teams' size limit. */
export const OTHERS_PAGE_SIZE = 20;

const preview = (text: string, compact = false) => truncate(text, compact ? FOLD_AT / 2 : FOLD_AT);

/**
 * How much a review card carries, largest first: the first that fits Teams' size limit is sent.
 * The application's texts (up to 9,000 characters) fold on the card; when they do not fit with
 * the form they are shown as previews, then the criteria's descriptions are shortened, then left
 * out, each time with a line saying so and "Lees de hele aanvraag" (`review.read`), which shows
 * everything.
 */
const DETAIL = [
  { fullTexts: true, descriptions: 'full', compact: false, minimal: false },
  { fullTexts: false, descriptions: 'full', compact: false, minimal: false },
  { fullTexts: false, descriptions: 'short', compact: false, minimal: false },
  // Last: no descriptions on the form, the inputs labelled by the criterion's number (its title is right above), shorter previews.
  { fullTexts: false, descriptions: 'none', compact: true, minimal: false },
  // A round's own form at its ceilings: its own answers only on the reading card.
  { fullTexts: false, descriptions: 'none', compact: true, minimal: false, ownTexts: false },
  // Only when even that is too large (every text, budget line and remark at its maximum): no text previews; the reading card has them.
  { fullTexts: false, descriptions: 'none', compact: true, minimal: true, ownTexts: false },
] as const;
type Detail = (typeof DETAIL)[number];

export interface ReviewView {
  notice?: string;
  /** What the member typed, shown again after an error. */
  raw?: RawSheet;
  errors?: SheetErrors;
}

const scoreText = (t: Messages, v: number | 'na' | undefined) => (v === undefined ? '–' : v === 'na' ? t.review.notApplicable : String(v));

/** Scores by criterion number ("1: 4 · 2: n.v.t."): compact, so a full panel fits on one card. */
function sheetLine(t: Messages, criteria: Criterion[], sheet: ScoreSheet): string {
  return criteria.map((c, i) => `${i + 1}: ${scoreText(t, sheet.scores[c.id])}`).join(' · ');
}

function resultLines(lang: Lang, t: Messages, ctx: ReviewContext, compact: boolean) {
  const criteria = ctx.round.value.criteria.items;
  return ctx.result.criteria.map((r, i) => {
    const c = criteria[i]!;
    const na = r.notApplicable ? plural(lang, r.notApplicable, t.review.naPart) : '';
    // Compact: the criterion's number only (the form above has the titles).
    const title = compact ? String(i + 1) : `${i + 1}. ${c.title}`;
    let text =
      r.mean === undefined
        ? fill(t.review.criterionNone, { title })
        : fill(plural(lang, r.scored, t.review.criterionLine), { title, mean: formatDecimal(lang, r.mean), na });
    if (r.disagreement) text += t.review.disagreement;
    if (r.knockout) text += fill(t.review.knockout, { minimum: c.minimum ?? '' });
    return { text, color: r.knockout ? 'attention' : r.disagreement ? 'accent' : 'default' };
  });
}

function overallText(lang: Lang, t: Messages, ctx: ReviewContext): string {
  const r = ctx.result;
  if (r.overall === undefined) return '';
  const percent = Math.round(r.overall * 100);
  const base =
    r.overallOnScale === undefined
      ? fill(t.review.overallPercent, { percent })
      : fill(t.review.overall, { score: formatDecimal(lang, r.overallOnScale), percent });
  return r.knockedOut ? `${base}. ${t.review.knockedOut}` : base;
}

/** One block of the scoring form per criterion: its scale, what was stored or typed, and its error. */
/**
 * What is wrong with a refused sheet, one short sentence per kind naming the criteria by number
 * (each field says it too): computed from the errors, never a generic "not filled in".
 */
function errorNotice(t: Messages, criteria: Criterion[], errors: SheetErrors): string {
  const numbers = (code: string, show: (c: Criterion, n: number) => string = (_c, n) => String(n)) =>
    criteria
      .map((c, i) => (errors[scoreField(c.id)] === code || errors[commentField(c.id)] === code ? show(c, i + 1) : ''))
      .filter(Boolean)
      .join(', ');
  const out: string[] = [];
  const missing = numbers('required');
  if (missing) out.push(fill(t.review.missingNotice, { criteria: missing }));
  const offScale = numbers('outOfScale', (c, n) => `${n} (${c.scaleMin}–${c.scaleMax})`);
  if (offScale) out.push(fill(t.review.outOfScaleNotice, { criteria: offScale }));
  if (numbers('tooLong') || errors[OVERALL_FIELD] === 'tooLong') out.push(t.review.tooLongNotice);
  if (Object.values(errors).includes('allNotApplicable')) out.push(t.review.errors.allNotApplicable);
  return out.length ? `${out.join(' ')} ${t.review.nothingSaved}` : '';
}

function formCriteria(t: Messages, criteria: Criterion[], own: ScoreSheet | undefined, raw: RawSheet, errors: SheetErrors, detail: Detail) {
  return criteria.map((c, i) => {
    const stored = own?.scores[c.id];
    return {
      title: `${i + 1}. ${c.title}`,
      description: detail.descriptions === 'full' ? c.description : detail.descriptions === 'short' ? truncate(c.description, DESCRIPTION_SHORT) : '',
      scoreId: scoreField(c.id),
      scoreLabel: withError(
        fill(detail.compact ? t.review.scoreLabelShort : t.review.scoreLabel, { title: c.title, n: i + 1, min: c.scaleMin, max: c.scaleMax }),
        errors[scoreField(c.id)] ? t.review.errors[errors[scoreField(c.id)]!] : '',
      ),
      score: raw[scoreField(c.id)] ?? (stored === undefined ? '' : String(stored)),
      choices: [
        ...Array.from({ length: c.scaleMax - c.scaleMin + 1 }, (_, i) => ({ title: String(c.scaleMin + i), value: String(c.scaleMin + i) })),
        { title: t.review.notApplicable, value: 'na' },
      ],
      error: errors[scoreField(c.id)] ? t.review.errors[errors[scoreField(c.id)]!] : '',
      commentId: commentField(c.id),
      commentLabel: fill(detail.compact ? t.review.commentLabelShort : t.review.commentLabel, { title: c.title, n: i + 1 }),
      comment: raw[commentField(c.id)] ?? own?.comments[c.id] ?? '',
    };
  });
}

/**
 * The review card in the channel. `viewer` decides the view: the shared card (and anyone not on
 * the panel) shows the application and progress only; a member sees the scoring form, and only
 * after scoring the result and a button to the others' scores (`othersCard`); a recused member
 * sees why. Every view fits Teams' size limit: see `DETAIL`.
 */
export function reviewCard(lang: Lang, ctx: ReviewContext, viewer: Viewer, view: ReviewView = {}): Card {
  let card: Card | undefined;
  for (const detail of DETAIL) {
    card = reviewCardAt(lang, ctx, viewer, view, detail);
    if (cardBytes(card) <= MESSAGE_LIMIT_BYTES) return card;
  }
  // Still too large (typed text far past what any field allows): the size guard answers with a notice.
  return card!;
}

/**
 * The application's texts: the four long bound texts the panel reads (those the round's form
 * asks), then the answers to the round's own questions in form order (a file question's
 * document is in the files list).
 */
function applicationTexts(lang: Lang, t: Messages, ctx: ReviewContext) {
  const f = ctx.app.value.fields;
  const round = ctx.round.value;
  const form = formOf(round);
  const asked = new Set(questionsOf(form).map((q) => q.question.id));
  const bound = (
    [
      ['question', 'question', t.review.question, f.question],
      ['approach', 'approach', t.review.approach, f.approach],
      ['lived', 'livedExperience', t.review.livedExperience, f.livedExperience],
      ['results', 'expectedResults', t.review.results, f.expectedResults],
    ] as const
  )
    .filter(([, field]) => asked.has(field))
    .map(([id, , label, text]) => ({ id, label, text: text ?? '' }));
  const own = ownQuestionsOf(form)
    .filter((q) => q.type !== 'file')
    .map((q) => ({ id: `own-${q.id}`, label: readLabel(lang, round, q), text: f.answers?.[q.id] === undefined ? '' : answerText(lang, q, f) }));
  return [...bound, ...own];
}

function reviewCardAt(lang: Lang, ctx: ReviewContext, viewer: Viewer, view: ReviewView, detail: Detail): Card {
  const t = messages(lang);
  const app = ctx.app.value;
  const f = app.fields;
  const criteria = ctx.round.value.criteria.items;
  const isMember = viewer.kind === 'member';
  const own = isMember ? viewer.sheet?.value : undefined;
  const showForm = isMember && ctx.open;
  const raw = view.raw ?? {};
  const errors = view.errors ?? {};
  const every = applicationTexts(lang, t, ctx);
  const all = 'ownTexts' in detail ? every.filter((x) => !x.id.startsWith('own-')) : every;
  const texts = all.map(({ id, label, text }) => {
    const long = text.length > FOLD_AT;
    // The whole text only when this card carries it; otherwise the reading card has it.
    return {
      id,
      label,
      readMoreTitle: fill(t.review.readMoreNamed, { label: shortName(label, 24) }),
      short: preview(text, detail.compact),
      text: long && detail.fullTexts ? text : '',
      long: long && detail.fullTexts,
    };
  });
  // The budget's table and explanation: whole, the explanation as a preview, or (smallest view) only the totals.
  const budget = budgetTable(lang, f, { lines: !detail.compact, ...(detail.fullTexts ? {} : { explanationMax: FOLD_AT }) });
  const shortened =
    budget.cut ||
    all.length < every.length ||
    (detail.compact && (ctx.files?.length ?? 0) > 0) ||
    (detail.minimal && all.length > 0) ||
    (!detail.fullTexts && all.some((x) => x.text.length > FOLD_AT)) ||
    (showForm && detail.descriptions !== 'full' && criteria.some((c) => c.description.length > (detail.descriptions === 'short' ? DESCRIPTION_SHORT : 0)));
  // Independent review: the others' scores only for a member whose own sheet counts (a real score, not only n.v.t.).
  const mayView = mayViewOthers(own);
  const othersCount = mayView ? otherSheets(ctx, viewer).length : 0;
  const recusal = viewer.kind === 'recused' ? viewer.recusal : undefined;
  return render(reviewTemplate, {
    t: t.review,
    view: viewer.kind,
    refreshUserIds: ctx.panel.slice(0, MAX_PANEL_SIZE).map((m) => m.mri),
    app: {
      id: app.id,
      roundId: app.roundId,
      referenceLine: fill(t.review.reference, { reference: app.reference ?? '' }),
      title: f.title ?? '',
      organisation: f.organisation ?? '',
      coApplicants: f.coApplicants?.length ? f.coApplicants.join(', ') : '–',
      wijk: f.wijk ?? '',
      amount: f.amount === undefined ? '' : formatEuro(lang, f.amount),
      ambitions: (f.ambitions ?? []).map((a) => t.ambitions[a]).join(', '),
    },
    texts: detail.minimal ? [] : texts,
    budget,
    files: reviewFiles(lang, ctx.files ?? [], detail.compact),
    // The smallest view lists no files (their links do not fit beside the largest form): the reading card has them.
    shortened,
    progressText: fill(t.review.progress, { n: ctx.progress.scored.length, m: ctx.progress.eligible.length }),
    statusText: ctx.open
      ? fill(t.review.statusOpen, { deadline: formatDateTime(lang, reviewDeadlineOf(ctx.bundle.review?.value, ctx.round.value.reviewDeadline)) })
      : t.review.statusClosed,
    notice: view.notice ?? errorNotice(t, criteria, errors),
    recusedText: recusal ? fill(t.review.recused, { reason: recusal.reason === 'organisation' ? t.review.recusedOrganisation : t.review.recusedDeclared }) : '',
    showForm,
    formTitle: own ? t.review.formTitleEdit : t.review.formTitle,
    // What a view does not show is not worked out (the template drops it): the form, others' scores, the result.
    criteria: showForm ? formCriteria(t, criteria, own, raw, errors, detail) : [],
    overall: raw[OVERALL_FIELD] ?? own?.overall ?? '',
    showOwnReadOnly: Boolean(own) && !ctx.open,
    ownLine: own ? sheetLine(t, criteria, own) : '',
    showOthers: mayView,
    othersCount,
    othersText: othersCount ? fill(t.review.othersScored, { n: othersCount }) : t.review.noOthers,
    ownRevised: own?.revisedAfterSeen ? fill(t.review.revisedAfterSeen, { n: own.revisedAfterSeen }) : '',
    // The result only with quorum: a mean of one or two members says little and invites anchoring.
    showResult: mayView,
    resultOverall: !mayView ? '' : ctx.result.quorumMet ? overallText(lang, t, ctx) : plural(lang, ctx.result.quorum, t.review.waitingForQuorum),
    resultLines: mayView && ctx.result.quorumMet ? resultLines(lang, t, ctx, detail.compact) : [],
    showMemberActions: isMember && ctx.open,
    // A change request (aanvulling): its state on the card, the member's scores given before it marked, the propose box.
    ...reviewChangeView(lang, ctx, viewer, detail.compact),
  });
}

/** The sheets of the other members that count, in the panel's order. */
function otherSheets(ctx: ReviewContext, viewer: Viewer): ScoreSheet[] {
  const viewerId = viewer.kind === 'other' ? '' : viewer.member.userId;
  return ctx.sheets.filter((s) => s.memberId !== viewerId);
}

/**
 * The other members' scores, a page at a time (`page` from 1), for one member only (a
 * user-specific answer to `review.others`). A viewer whose own sheet does not count gets no one's
 * scores from this builder, whatever the route asked: independence is kept here too.
 */
export function othersCard(lang: Lang, ctx: ReviewContext, viewer: Viewer, page = 1): Card {
  const t = messages(lang);
  const criteria = ctx.round.value.criteria.items;
  const own = viewer.kind === 'member' ? viewer.sheet?.value : undefined;
  const all = mayViewOthers(own) ? otherSheets(ctx, viewer) : [];
  const pages = Math.max(1, Math.ceil(all.length / OTHERS_PAGE_SIZE));
  const p = Math.min(Math.max(1, page), pages);
  const from = (p - 1) * OTHERS_PAGE_SIZE;
  const shown = all.slice(from, from + OTHERS_PAGE_SIZE);
  const app = ctx.app.value;
  const ids = { roundId: app.roundId, applicationId: app.id };
  return render(reviewOthersTemplate, {
    t: t.review,
    ...ids,
    referenceLine: fill(t.review.reference, { reference: app.reference ?? '' }),
    title: app.fields.title ?? '',
    legend: criteria.map((c, i) => `${i + 1}. ${c.title}`).join(' · '),
    pageInfo: pages > 1 ? fill(t.review.othersPage, { from: from + 1, to: from + shown.length, total: all.length }) : '',
    others: shown.map((s) => {
      const m = ctx.panel.find((x) => x.userId === s.memberId);
      return {
        name: m ? `${m.name} (${t.panel.roles[m.role]})` : '?',
        line: sheetLine(t, criteria, s),
        overall: truncate(s.overall, OTHERS_COMMENT_CHARS),
        revised: s.revisedAfterSeen ? fill(t.review.revisedAfterSeen, { n: s.revisedAfterSeen }) : '',
      };
    }),
    pages: [
      ...(p > 1 ? [{ title: fill(t.review.othersPrevious, { n: OTHERS_PAGE_SIZE }), data: { ...ids, page: p - 1 } }] : []),
      ...(p < pages
        ? [{ title: fill(t.review.othersNext, { n: Math.min(OTHERS_PAGE_SIZE, all.length - from - shown.length) }), data: { ...ids, page: p + 1 } }]
        : []),
    ],
  });
}

/** The whole application and what each criterion means: the answer to `review.read`, for one person. */
export function applicationReadCard(lang: Lang, ctx: ReviewContext): Card {
  const t = messages(lang);
  const app = ctx.app.value;
  // Every text whole, unless a form at its ceilings would not fit: then the longest are cut alike, to the largest budget that fits.
  const read = applicationTexts(lang, t, ctx);
  let card!: Card;
  // The budget lines as a table, else (beside a form at its ceilings) as lines of text.
  for (const budget of ANSWER_BUDGETS)
    for (const asText of [false, true]) {
      const fitted = fitTexts(
        read.map((x) => x.text),
        budget,
      );
      card = render(reviewReadTemplate, {
        t: t.review,
        roundId: app.roundId,
        applicationId: app.id,
        referenceLine: fill(t.review.reference, { reference: app.reference ?? '' }),
        title: app.fields.title ?? '',
        budget: budgetTable(lang, app.fields, { asText }),
        files: reviewFiles(lang, ctx.files ?? []),
        texts: read.map((x, i) => ({ label: x.label, text: fitted.texts[i] || '–' })),
        shortenedText: fitted.shortened ? formMessages(lang).shortened : '',
        criteria: ctx.round.value.criteria.items.map((c, i) => ({ title: `${i + 1}. ${c.title}`, description: c.description })),
      });
      if (cardBytes(card) <= MESSAGE_LIMIT_BYTES) return card;
    }
  return card;
}

export function panelCard(
  lang: Lang,
  input: {
    /** The round the card is drawn from: its buttons carry it. */
    roundId?: string;
    roundName: string;
    members: PanelMember[];
    accounthouders: Set<string>;
    candidates: { userId: string; name: string }[];
    notice?: string;
  },
): Card {
  const t = messages(lang);
  const onPanel = new Set(input.members.map((m) => m.userId));
  const { counts, meetsMotion } = panelComposition(input.members);
  return render(panelTemplate, {
    t: t.panel,
    roundId: input.roundId ?? '',
    roundName: `${input.roundName} · ${fill(plural(lang, input.members.length, t.panel.count), { roles: PANEL_ROLES.map((r) => plural(lang, counts[r], t.panel.roleCounts[r])).join(', ') })}`,
    notice: [input.notice, meetsMotion ? undefined : t.panel.motionMissing].filter(Boolean).join(' '),
    members: input.members.map((m) => ({
      userId: m.userId,
      name: m.name,
      removeTitle: fill(t.panel.removeNamed, { name: shortName(m.name) }),
      line: [t.panel.roles[m.role], m.organisation, input.accounthouders.has(m.userId) ? t.panel.accounthouderMark : undefined].filter(Boolean).join(' · '),
    })),
    canAdd: input.members.length < MAX_PANEL_SIZE,
    candidates: input.candidates.filter((c) => !onPanel.has(c.userId)).map((c) => ({ title: c.name, value: c.userId })),
    roles: PANEL_ROLES.map((r) => ({ title: t.panel.roles[r], value: r })),
  });
}

export function questionCard(lang: Lang, app: Application, question: Question, notice = '', noticeColor: 'accent' | 'attention' = 'accent'): Card {
  const t = messages(lang);
  return render(questionTemplate, {
    t: t.question,
    about: fill(t.question.about, { reference: app.reference ?? '', title: app.fields.title ?? '' }),
    question: question.text,
    notice,
    noticeColor,
    open: question.answer === undefined,
    answer: '',
    roundId: app.roundId,
    applicationId: app.id,
    questionId: question.id,
  });
}

/** Why a review cannot end by itself, in the reader's words. */
function stuckReason(lang: Lang, ctx: ReviewContext): string {
  const t = messages(lang).stuck;
  return ctx.progress.eligible.length === 0
    ? t.whyNobody
    : fill(plural(lang, ctx.progress.scored.length, t.whyQuorum), { quorum: ctx.result.quorum || ctx.round.value.quorum });
}

/** The accounthouder's card of stuck reviews: for each, a new date or a reason to close it. */
export function stuckCard(lang: Lang, input: { roundId: string; roundName: string; items: ReviewContext[]; notice?: string }): Card {
  const t = messages(lang).stuck;
  return render(stuckTemplate, {
    t,
    roundId: input.roundId,
    roundName: input.roundName,
    notice: input.notice ?? '',
    items: input.items.map((ctx) => {
      const app = ctx.app.value;
      const reference = app.reference ?? '';
      return {
        roundId: app.roundId,
        applicationId: app.id,
        line: fill(t.line, { reference, title: app.fields.title ?? '', why: stuckReason(lang, ctx) }),
        dayId: `day_${app.id}`,
        reasonId: `reason_${app.id}`,
        extendTitle: fill(t.extend, { reference }),
        settleTitle: fill(t.settle, { reference }),
      };
    }),
  });
}
