import eligibilityTemplate from '../../cards/eligibility.json';
import myApplicationsTemplate from '../../cards/my-applications.json';
import notEligibleTemplate from '../../cards/not-eligible.json';
import stepTemplate from '../../cards/step.json';
import submittedTemplate from '../../cards/submitted.json';
import summaryTemplate from '../../cards/summary.json';
import welcomeTemplate from '../../cards/welcome.json';
import withdrawTemplate from '../../cards/withdraw-confirm.json';
import { Application, canWithdraw, Step } from '../domain/application';
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
import { Card, cardBytes, MESSAGE_LIMIT_BYTES, render, shortName } from './render';

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
 */
export function welcomeCard(
  lang: Lang,
  current: { round: Round; window: SubmissionWindow } | undefined,
  notice = '',
  consultation?: { roundId: string; closesAt: string },
): Card {
  const { t, common } = base(lang);
  const round = current && {
    name: current.round.name,
    budget: formatEuro(lang, current.round.budget),
    max: formatEuro(lang, current.round.maxPerApplication),
    opens: formatDate(lang, current.round.opensAt),
    deadline: formatDateTime(lang, current.round.submissionDeadline),
    reviewDeadline: formatDateTime(lang, current.round.reviewDeadline),
    windowText: windowText(t, current.window),
  };
  return render(welcomeTemplate, {
    t: t.welcome,
    common,
    notice,
    hasRound: Boolean(round),
    round: round ?? {},
    canApply: current?.window === 'open',
    hasConsultation: Boolean(consultation),
    consultRoundId: consultation?.roundId ?? '',
    consultButton: consultation ? fill(t.welcome.consultButton, { date: formatDate(lang, consultation.closesAt) }) : '',
  });
}

const ELIGIBILITY_QUESTIONS = ['partnerInSocialeBasis', 'activeInMunicipality', 'collectiveAnswer'] as const satisfies readonly IneligibleReason[];

export function eligibilityCard(lang: Lang, token: string, answers: Partial<Record<keyof EligibilityAnswers, string>> = {}, showError = false): Card {
  const { t, common } = base(lang);
  return render(eligibilityTemplate, {
    t: t.eligibility,
    common,
    token,
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
  return render(stepTemplate, {
    common,
    app: { id: app.id, roundId: app.roundId, rev: app.rev },
    step: formStep.id,
    progress: fill(common.stepOf, { n: index + 1, total: form.steps.length }),
    title: stepTitle(lang, formStep),
    intro: formStep.title ? '' : (t.steps[formStep.id as Step]?.intro ?? ''),
    notice: view.notice ?? (hasErrors ? t.errors.fixBelow : ''),
    fields: questionInputs(lang, round, formStep, raw, errors, view.fieldTexts),
    hasBack: index > 0 && !view.editing,
    nextTitle: view.editing ? common.saveAndSummary : common.next,
    nextDirection: view.editing ? 'summary' : 'next',
  });
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
  let answers!: ReturnType<typeof answerSections>;
  for (const budget of ANSWER_BUDGETS) {
    answers = answerSections(lang, round, app, files, budget);
    if (cardBytes(build(answers)) <= MESSAGE_LIMIT_BYTES) break;
  }
  return build(answers);

  function build(answers: ReturnType<typeof answerSections>): Card {
    const sections = answers.sections.map(({ step, index, items }) => ({
      step: step.id,
      title: stepTitle(lang, step),
      editTitle: fill(t.summary.editStep, { n: index + 1 }),
      items: [
        ...items.map(({ label, value }) => ({ label, value })),
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

export function myApplicationsCard(lang: Lang, apps: Application[], canApply: boolean, notice = ''): Card {
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
      a.reference,
      a.reviewNote && (a.status === 'in_review' || a.status === 'reviewed') ? `${t.status[a.status]} (${t.reviewNote[a.reviewNote]})` : t.status[a.status],
      a.fields.amount === undefined ? undefined : formatEuro(lang, a.fields.amount),
      `${t.list.updated}: ${formatDate(lang, a.updatedAt)}`,
    ]
      .filter(Boolean)
      .join(' · '),
    isDraft: a.status === 'draft',
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
