import panelTemplate from '../../cards/panel.json';
import stuckTemplate from '../../cards/stuck.json';
import questionTemplate from '../../cards/question.json';
import reviewTemplate from '../../cards/review.json';
import type { Application } from '../domain/application';
import type { Criterion } from '../domain/criteria';
import { MAX_PANEL_SIZE, PANEL_ROLES, PanelMember } from '../domain/panel';
import { panelComposition } from '../domain/panel-composition';
import { commentField, OVERALL_FIELD, RawSheet, scoreField, ScoreSheet, SheetErrors, mayViewOthers } from '../domain/scoring';
import { reviewDeadlineOf, type Question } from '../domain/review';
import { fill, formatDateTime, formatDecimal, formatEuro, Lang, messages, Messages, plural } from '../i18n';
import type { ReviewContext, Viewer } from '../usecases/load-review';
import { Card, render, shortName, withError } from './render';

/** Long texts show three lines with "read more": the card stays readable in a busy channel. */
const FOLD_AT = 280;
/** Others' remarks are cut on the card (the full text stays in the store): 59 members must fit. */
const OTHERS_COMMENT_CHARS = 100;

const preview = (text: string) => (text.length > FOLD_AT ? `${text.slice(0, FOLD_AT).trimEnd()}…` : text);

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

function resultLines(lang: Lang, t: Messages, ctx: ReviewContext) {
  const criteria = ctx.round.value.criteria.items;
  return ctx.result.criteria.map((r, i) => {
    const c = criteria[i]!;
    const na = r.notApplicable ? plural(lang, r.notApplicable, t.review.naPart) : '';
    const title = `${i + 1}. ${c.title}`;
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
/** What is wrong with a refused sheet, in one sentence per kind, naming the criteria: computed from the errors, never a generic "not filled in". */
function errorNotice(t: Messages, criteria: Criterion[], errors: SheetErrors): string {
  const named = (code: string) =>
    criteria
      .filter((c) => errors[scoreField(c.id)] === code || errors[commentField(c.id)] === code)
      .map((c) => `${criteria.indexOf(c) + 1}. ${c.title}`)
      .join(', ');
  const out: string[] = [];
  if (named('required')) out.push(fill(t.review.missingNotice, { criteria: named('required') }));
  const outOfScale = criteria.filter((c) => errors[scoreField(c.id)] === 'outOfScale');
  for (const c of outOfScale)
    out.push(fill(t.review.outOfScaleNotice, { criterion: `${criteria.indexOf(c) + 1}. ${c.title}`, min: c.scaleMin, max: c.scaleMax }));
  if (named('tooLong') || errors[OVERALL_FIELD] === 'tooLong') out.push(t.review.tooLongNotice);
  if (Object.values(errors).includes('allNotApplicable')) out.push(t.review.errors.allNotApplicable);
  return out.length ? `${out.join(' ')} ${t.review.nothingSaved}` : '';
}

function formCriteria(t: Messages, criteria: Criterion[], own: ScoreSheet | undefined, raw: RawSheet, errors: SheetErrors) {
  return criteria.map((c, i) => {
    const stored = own?.scores[c.id];
    return {
      title: `${i + 1}. ${c.title}`,
      description: c.description,
      scoreId: scoreField(c.id),
      scoreLabel: withError(
        fill(t.review.scoreLabel, { title: c.title, min: c.scaleMin, max: c.scaleMax }),
        errors[scoreField(c.id)] ? t.review.errors[errors[scoreField(c.id)]!] : '',
      ),
      score: raw[scoreField(c.id)] ?? (stored === undefined ? '' : String(stored)),
      choices: [
        ...Array.from({ length: c.scaleMax - c.scaleMin + 1 }, (_, i) => ({ title: String(c.scaleMin + i), value: String(c.scaleMin + i) })),
        { title: t.review.notApplicable, value: 'na' },
      ],
      error: errors[scoreField(c.id)] ? t.review.errors[errors[scoreField(c.id)]!] : '',
      commentId: commentField(c.id),
      commentLabel: fill(t.review.commentLabel, { title: c.title }),
      comment: raw[commentField(c.id)] ?? own?.comments[c.id] ?? '',
    };
  });
}

/**
 * The review card in the channel. `viewer` decides the view: the shared card (and anyone not on
 * the panel) shows the application and progress only; a member sees the scoring form, and only
 * after scoring the others' scores and the result; a recused member sees why.
 */
export function reviewCard(lang: Lang, ctx: ReviewContext, viewer: Viewer, view: ReviewView = {}): Card {
  const t = messages(lang);
  const app = ctx.app.value;
  const f = app.fields;
  const criteria = ctx.round.value.criteria.items;
  const isMember = viewer.kind === 'member';
  const own = isMember ? viewer.sheet?.value : undefined;
  const showForm = isMember && ctx.open;
  const raw = view.raw ?? {};
  const errors = view.errors ?? {};
  const texts = (
    [
      ['question', t.review.question, f.question],
      ['approach', t.review.approach, f.approach],
      ['lived', t.review.livedExperience, f.livedExperience],
      ['results', t.review.results, f.expectedResults],
    ] as const
  ).map(([id, label, text]) => ({
    id,
    label,
    readMoreTitle: fill(t.review.readMoreNamed, { label: shortName(label, 24) }),
    short: preview(text ?? ''),
    text: text ?? '',
    long: (text ?? '').length > FOLD_AT,
  }));
  const viewerId = viewer.kind === 'other' ? '' : viewer.member.userId;
  // Independent review: the others' scores only for a member whose own sheet counts (a real score, not only n.v.t.).
  const mayView = mayViewOthers(own);
  const others = mayView
    ? ctx.sheets
        .filter((s) => s.memberId !== viewerId)
        .map((s) => {
          const m = ctx.panel.find((p) => p.userId === s.memberId);
          return {
            name: m ? `${m.name} (${t.panel.roles[m.role]})` : '?',
            line: sheetLine(t, criteria, s),
            overall: s.overall.slice(0, OTHERS_COMMENT_CHARS),
            revised: s.revisedAfterSeen ? fill(t.review.revisedAfterSeen, { n: s.revisedAfterSeen }) : '',
          };
        })
    : [];
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
    texts,
    progressText: fill(t.review.progress, { n: ctx.progress.scored.length, m: ctx.progress.eligible.length }),
    statusText: ctx.open
      ? fill(t.review.statusOpen, { deadline: formatDateTime(lang, reviewDeadlineOf(ctx.bundle.review?.value, ctx.round.value.reviewDeadline)) })
      : t.review.statusClosed,
    notice: view.notice ?? errorNotice(t, criteria, errors),
    recusedText: recusal ? fill(t.review.recused, { reason: recusal.reason === 'organisation' ? t.review.recusedOrganisation : t.review.recusedDeclared }) : '',
    showForm,
    formTitle: own ? t.review.formTitleEdit : t.review.formTitle,
    // What a view does not show is not worked out (the template drops it): the form, others' scores, the result.
    criteria: showForm ? formCriteria(t, criteria, own, raw, errors) : [],
    overall: raw[OVERALL_FIELD] ?? own?.overall ?? '',
    showOwnReadOnly: Boolean(own) && !ctx.open,
    ownLine: own ? sheetLine(t, criteria, own) : '',
    showOthers: mayView,
    others,
    ownRevised: own?.revisedAfterSeen ? fill(t.review.revisedAfterSeen, { n: own.revisedAfterSeen }) : '',
    // The result only with quorum: a mean of one or two members says little and invites anchoring.
    showResult: mayView,
    resultOverall: !mayView ? '' : ctx.result.quorumMet ? overallText(lang, t, ctx) : plural(lang, ctx.result.quorum, t.review.waitingForQuorum),
    resultLines: mayView && ctx.result.quorumMet ? resultLines(lang, t, ctx) : [],
    showMemberActions: isMember && ctx.open,
  });
}

export function panelCard(
  lang: Lang,
  input: { roundName: string; members: PanelMember[]; accounthouders: Set<string>; candidates: { userId: string; name: string }[]; notice?: string },
): Card {
  const t = messages(lang);
  const onPanel = new Set(input.members.map((m) => m.userId));
  const { counts, meetsMotion } = panelComposition(input.members);
  return render(panelTemplate, {
    t: t.panel,
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
