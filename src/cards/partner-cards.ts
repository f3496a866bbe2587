import eligibilityTemplate from '../../cards/eligibility.json';
import myApplicationsTemplate from '../../cards/my-applications.json';
import notEligibleTemplate from '../../cards/not-eligible.json';
import stepTemplate from '../../cards/step.json';
import submittedTemplate from '../../cards/submitted.json';
import summaryTemplate from '../../cards/summary.json';
import welcomeTemplate from '../../cards/welcome.json';
import withdrawTemplate from '../../cards/withdraw-confirm.json';
import { Application, canWithdraw, isEditable, Step } from '../domain/application';
import { BUDGET_LINE_LIMITS } from '../domain/budget-lines';
import { EligibilityAnswers, IneligibleReason } from '../domain/eligibility';
import { Round, SubmissionWindow } from '../domain/round';
import { FieldErrors, RawInput, toRawInput } from '../domain/validation';
import { FormStep, formOf } from '../domain/form';
import { ANSWER_BUDGETS, answerSections, plainLabel } from './answers';
import { questionInputs } from './form-inputs';
import { formMessages } from '../i18n/form';
import { fill, formatDate, formatDateTime, formatEuro, Lang, messages, Messages, plural } from '../i18n';
import type { OrganisationPreview } from '../usecases/organisations';
import type { AttachmentView } from '../usecases/attachments';
import { filesBlock } from './attachment-cards';
import { budgetRows, budgetTable } from './budget-cards';
import { budgetLineMessages } from '../i18n/budget-lines';
import { roundMessages } from '../i18n/rounds';
import { Card, cardBytes, MESSAGE_LIMIT_BYTES, render, shortName, withError } from './render';

/** The most open rounds listed on the welcome card (the first deadlines first): keeps it far below Teams' size limit. */
export const WELCOME_ROUNDS_LIMIT = 10;

/** The most applications listed on one card, newest first: keeps the card far below Teams' size limit. */
export const LIST_LIMIT = 15;

function base(lang: Lang) {
  const t = messages(lang);
  return { t, common: t.common };
}

function windowText(t: Messages, window: SubmissionWindow): string {
  if (window === 'open') return '';
  return window === 'not-yet-open' ? t.welcome.windowNotYetOpen : t.welcome.windowClosed;
}

/**
 * The welcome card. While a criteria consultation is open it also invites whoever reads it to take
 * part (`consultation`: the round and its closing date), with a button that opens the respond card.
 * With more than one round open for applications (`open`), each is listed (name, budget, deadline)
 * with its own _Aanvragen_ button carrying its id; with one, the card is as it always was.
 */
export function welcomeCard(
  lang: Lang,
  current: { round: Round; window: SubmissionWindow } | undefined,
  notice = '',
  consultation?: { roundId: string; closesAt: string },
  open: readonly { round: Round; window: SubmissionWindow }[] = [],
): Card {
  const { t, common } = base(lang);
  const r = roundMessages(lang);
  const choose = open.length > 1;
  const shown = choose ? open.slice(0, WELCOME_ROUNDS_LIMIT) : current ? [current] : [];
  const rounds = shown.map((c) => ({
    id: c.round.id,
    name: c.round.name,
    budget: formatEuro(lang, c.round.budget),
    max: formatEuro(lang, c.round.maxPerApplication),
    opens: formatDate(lang, c.round.opensAt),
    deadline: formatDateTime(lang, c.round.submissionDeadline),
    reviewDeadline: formatDateTime(lang, c.round.reviewDeadline),
    windowText: windowText(t, c.window),
    // Two rounds of one name: the button says which by its id too.
    applyTitle: fill(r.partner.applyTo, {
      name: shown.filter((x) => x.round.name === c.round.name).length > 1 ? `${c.round.name} (${c.round.id})` : c.round.name,
    }),
  }));
  return render(welcomeTemplate, {
    t: t.welcome,
    common,
    notice,
    hasRound: rounds.length > 0,
    rounds,
    choose,
    chooseIntro: choose ? plural(lang, open.length, r.partner.chooseIntro) : '',
    canApply: !choose && current?.window === 'open',
    hasConsultation: Boolean(consultation),
    consultRoundId: consultation?.roundId ?? '',
    consultButton: consultation ? fill(t.welcome.consultButton, { date: formatDate(lang, consultation.closesAt) }) : '',
  });
}

const ELIGIBILITY_QUESTIONS = ['partnerInSocialeBasis', 'activeInMunicipality', 'collectiveAnswer'] as const satisfies readonly IneligibleReason[];

/** The eligibility questions; `roundId` is the round the partner chose (absent: the only open one). */
export function eligibilityCard(
  lang: Lang,
  token: string,
  answers: Partial<Record<keyof EligibilityAnswers, string>> = {},
  showError = false,
  roundId?: string,
): Card {
  const { t, common } = base(lang);
  return render(eligibilityTemplate, {
    t: t.eligibility,
    common,
    token,
    hasRound: Boolean(roundId),
    roundId: roundId ?? '',
    error: showError ? t.eligibility.answerAll : '',
    questions: ELIGIBILITY_QUESTIONS.map((id) => ({ id, label: `${t.eligibility[id]} ${common.required}`, value: answers[id] ?? '' })),
  });
}

export function notEligibleCard(lang: Lang, reasons: IneligibleReason[]): Card {
  const { t, common } = base(lang);
  return render(notEligibleTemplate, { t: t.eligibility, common, reasons: reasons.map((r) => ({ text: t.eligibility.reasons[r] })) });
}

export interface StepView {
  /** Values to show: what the user typed (after an error) or what is stored. */
  raw?: RawInput;
  errors?: FieldErrors;
  /** A problem under a field in words of its own (the registry's answer on the organisation), shown where no field error is. */
  fieldTexts?: Partial<Record<string, string>>;
  /** Reached from the summary: saving returns there. */
  editing?: boolean;
  notice?: string;
  /** Budget rows to show at least (_Regel toevoegen_ asks for one more than the card had). */
  rows?: number;
}

/** A step of the round's form (by its id; positions are step ids), its inputs from `questionInputs`. */
export function stepCard(lang: Lang, app: Application, round: Round, step: string, view: StepView = {}): Card {
  const { t, common } = base(lang);
  const form = formOf(round);
  const index = Math.max(
    0,
    form.steps.findIndex((s) => s.id === step),
  );
  const formStep = form.steps[index] ?? form.steps[0]!;
  const raw = view.raw ?? toRawInput(app.fields, form);
  const errors = view.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  const { budgetLines: linesError, ...otherErrors } = errors;
  const hasLines = formStep.questions.some((q) => q.id === 'budgetLines');
  return render(stepTemplate, {
    common,
    app: { id: app.id, roundId: app.roundId, rev: app.rev },
    step: formStep.id,
    progress: fill(common.stepOf, { n: index + 1, total: form.steps.length }),
    title: stepTitle(lang, formStep),
    intro: formStep.title ? '' : (t.steps[formStep.id as Step]?.intro ?? ''),
    notice: view.notice ?? (hasErrors ? t.errors.fixBelow : ''),
    fields: questionInputs(lang, round, formStep, raw, otherErrors, view.fieldTexts).map((q) => {
      if (q.id === 'budgetBreakdown' && hasLines && !formStep.questions.find((x) => x.id === q.id)?.required) {
        // Required only when the budget lines do not add up to the requested amount (domain/budget-lines.ts).
        return { ...q, label: q.label.replace(common.optional, budgetLineMessages(lang).explanationWhen) };
      }
      if (q.id !== 'budgetLines') return q;
      const error = linesError ? budgetLinesError(lang, linesError) : '';
      return {
        ...q,
        kind: 'budgetLines',
        label: withError(q.label, error),
        error,
        budget: budgetRows(
          lang,
          raw,
          errors.budgetLineRows,
          { lines: app.fields.budgetLines, amount: app.fields.amount, explained: Boolean(app.fields.budgetBreakdown), showTotals: !view.errors },
          view.rows,
        ),
      };
    }),
    budgetMax: { description: BUDGET_LINE_LIMITS.description, euros: BUDGET_LINE_LIMITS.euros },
    hasBack: index > 0 && !view.editing,
    nextTitle: view.editing ? common.saveAndSummary : common.next,
    nextDirection: view.editing ? 'summary' : 'next',
  });
}

function budgetLinesError(lang: Lang, error: string): string {
  const b = budgetLineMessages(lang);
  return error === 'tooMany' ? plural(lang, BUDGET_LINE_LIMITS.lines, b.tooMany) : error === 'lineErrors' ? b.lineErrors : b.required;
}

/** A step's title: its own in the user's language, else the default step's standard title. */
export function stepTitle(lang: Lang, step: FormStep): string {
  return step.title?.[lang] ?? messages(lang).steps[step.id as Step]?.title ?? step.id;
}

/** What the registry makes of the organisation before submission, in words. */
function registryText(t: Messages, preview: OrganisationPreview): string {
  switch (preview.kind) {
    case 'found':
      return fill(t.summary.registryFound, { organisation: preview.name });
    case 'new':
      return t.summary.registryNew;
    case 'ambiguous':
      return fill(t.summary.registryAmbiguous, { names: preview.candidates.join(', ') });
    case 'invalid':
      return t.summary.registryInvalid;
  }
}

export function summaryCard(
  lang: Lang,
  app: Application,
  round: Round,
  notice = '',
  registry?: OrganisationPreview,
  files: readonly AttachmentView[] = [],
): Card {
  const { t, common } = base(lang);
  // Every answer whole when the card fits; else the longest are cut alike, to the largest budget that fits.
  // The budget lines as a table; as lines of text when the table would not fit beside the answers.
  let card!: Card;
  for (const budget of ANSWER_BUDGETS) {
    const answers = answerSections(lang, round, app, files, budget);
    for (const asText of [false, true]) {
      card = build(answers, asText);
      if (cardBytes(card) <= MESSAGE_LIMIT_BYTES) return card;
    }
  }
  return card;

  function build(answers: ReturnType<typeof answerSections>, asText: boolean): Card {
    const sections = answers.sections.map(({ step, index, items }) => ({
      step: step.id,
      title: stepTitle(lang, step),
      editTitle: fill(t.summary.editStep, { n: index + 1 }),
      items: [
        // The budget lines are the table below the step's items (with their totals), when there are any.
        ...items.filter(({ id }) => id !== 'budgetLines' || !app.fields.budgetLines?.length).map(({ label, value }) => ({ label, value })),
        ...(registry && step.questions.some((q) => q.id === 'organisation') ? [{ label: t.summary.registryLabel, value: registryText(t, registry) }] : []),
      ],
    }));
    return render(summaryTemplate, {
      t: t.summary,
      common,
      app: { id: app.id, roundId: app.roundId, rev: app.rev },
      notice,
      shortenedText: answers.shortened ? formMessages(lang).shortened : '',
      sections,
      // A difference the applicant has explained is stated; one still to explain is asked about.
      budget: budgetTable(lang, app.fields, { audience: app.fields.budgetBreakdown ? 'reader' : 'applicant', withExplanation: false, asText }),
      files: filesBlock(lang, files),
    });
  }
}

export function submittedCard(lang: Lang, app: Application, already: boolean, organisationName?: string): Card {
  const { t, common } = base(lang);
  return render(submittedTemplate, {
    t: t.submitted,
    common,
    already,
    linkedText: organisationName ? fill(t.submitted.linked, { organisation: organisationName }) : '',
    referenceText: fill(t.submitted.reference, { reference: app.reference ?? '' }),
    labels: { title: t.fields.title, wijk: t.fields.wijk, amount: plainLabel(t.fields.amount) },
    app: {
      title: app.fields.title ?? '',
      wijk: app.fields.wijk ?? '',
      amount: app.fields.amount === undefined ? '' : formatEuro(lang, app.fields.amount),
    },
  });
}

/** The partner's applications; `roundNames` (round id → name) adds the round to each line when there is more than one. */
export function myApplicationsCard(lang: Lang, apps: Application[], canApply: boolean, notice = '', roundNames?: ReadonlyMap<string, string>): Card {
  const { t, common } = base(lang);
  const shown = apps.slice(0, LIST_LIMIT);
  const items = shown.map((a) => ({
    id: a.id,
    roundId: a.roundId,
    title: a.fields.title ?? t.list.untitled,
    // Each button says which application it acts on (a screen reader reads the buttons on their own).
    ...((name) => ({
      resumeTitle: fill(t.list.resumeNamed, { name }),
      reportTitle: fill(t.list.reportNamed, { name }),
      withdrawTitle: fill(t.list.withdrawNamed, { name }),
    }))(a.reference ?? shortName(a.fields.title ?? t.list.untitled)),
    line: [
      roundNames ? fill(roundMessages(lang).partner.round, { name: roundNames.get(a.roundId) ?? a.roundId }) : undefined,
      a.reference,
      a.reviewNote && (a.status === 'in_review' || a.status === 'reviewed') ? `${t.status[a.status]} (${t.reviewNote[a.reviewNote]})` : t.status[a.status],
      a.fields.amount === undefined ? undefined : formatEuro(lang, a.fields.amount),
      `${t.list.updated}: ${formatDate(lang, a.updatedAt)}`,
    ]
      .filter(Boolean)
      .join(' · '),
    isDraft: isEditable(a.status),
    canWithdraw: canWithdraw(a.status),
    canReport: a.status === 'awarded',
  }));
  return render(myApplicationsTemplate, {
    t: t.list,
    common,
    notice,
    items,
    canApply,
    moreText: apps.length > LIST_LIMIT ? plural(lang, LIST_LIMIT, t.list.more) : '',
  });
}

export function withdrawConfirmCard(lang: Lang, app: Application): Card {
  const { t, common } = base(lang);
  return render(withdrawTemplate, {
    t: t.withdraw,
    common,
    app: { id: app.id, roundId: app.roundId },
    text: fill(t.withdraw.text, { reference: app.reference ?? '', title: app.fields.title ?? '' }),
  });
}
