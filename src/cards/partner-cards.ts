import eligibilityTemplate from '../../cards/eligibility.json';
import myApplicationsTemplate from '../../cards/my-applications.json';
import notEligibleTemplate from '../../cards/not-eligible.json';
import stepTemplate from '../../cards/step.json';
import submittedTemplate from '../../cards/submitted.json';
import summaryTemplate from '../../cards/summary.json';
import welcomeTemplate from '../../cards/welcome.json';
import withdrawTemplate from '../../cards/withdraw-confirm.json';
import { AMBITIONS, Application, ApplicationFields, canWithdraw, Step, STEP_FIELDS, STEPS } from '../domain/application';
import { EligibilityAnswers, IneligibleReason } from '../domain/eligibility';
import { Round, SubmissionWindow } from '../domain/round';
import { FieldErrors, isRequired, LIMITS, RawInput, toRawInput } from '../domain/validation';
import { fill, formatDate, formatDateTime, formatDay, formatEuro, Lang, messages, Messages, plural } from '../i18n';
import type { OrganisationPreview } from '../usecases/organisations';
import type { AttachmentView } from '../usecases/attachments';
import { filesBlock } from './attachment-cards';
import { roundMessages } from '../i18n/rounds';
import { Card, render, shortName, withError } from './render';

/** The most open rounds listed on the welcome card (the first deadlines first): keeps it far below Teams' size limit. */
export const WELCOME_ROUNDS_LIMIT = 10;

/** The most applications listed on one card, newest first: keeps the card far below Teams' size limit. */
export const LIST_LIMIT = 15;

type Kind = 'text' | 'multiline' | 'email' | 'tel' | 'number' | 'date' | 'choice' | 'multichoice';

const FIELD_KIND: { readonly [K in keyof ApplicationFields]-?: { kind: Kind; maxLength?: number } } = {
  organisation: { kind: 'text', maxLength: LIMITS.short },
  contactName: { kind: 'text', maxLength: LIMITS.name },
  contactEmail: { kind: 'email', maxLength: LIMITS.email },
  contactPhone: { kind: 'tel', maxLength: LIMITS.phone },
  coApplicants: { kind: 'multiline', maxLength: LIMITS.coApplicantsText },
  wijk: { kind: 'choice' },
  title: { kind: 'text', maxLength: LIMITS.short },
  question: { kind: 'multiline', maxLength: LIMITS.long },
  approach: { kind: 'multiline', maxLength: LIMITS.approach },
  livedExperience: { kind: 'multiline', maxLength: LIMITS.long },
  ambitions: { kind: 'multichoice' },
  amount: { kind: 'number' },
  budgetBreakdown: { kind: 'multiline', maxLength: LIMITS.long },
  periodStart: { kind: 'date' },
  periodEnd: { kind: 'date' },
  expectedResults: { kind: 'multiline', maxLength: LIMITS.long },
  evidence: { kind: 'multiline', maxLength: LIMITS.long },
};

function base(lang: Lang) {
  const t = messages(lang);
  return { t, common: t.common };
}

export function fieldLabel(t: Messages, lang: Lang, field: keyof ApplicationFields, round: Round): string {
  const label = fill(t.fields[field], { max: formatEuro(lang, round.maxPerApplication) });
  return `${label} ${isRequired(field) ? t.common.required : t.common.optional}`;
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
  fieldTexts?: Partial<Record<keyof ApplicationFields, string>>;
  /** Reached from the summary: saving returns there. */
  editing?: boolean;
  notice?: string;
}

export function stepCard(lang: Lang, app: Application, round: Round, step: Step, view: StepView = {}): Card {
  const { t, common } = base(lang);
  const raw = view.raw ?? toRawInput(app.fields);
  const errors = view.errors ?? {};
  const max = formatEuro(lang, round.maxPerApplication);
  const fields = STEP_FIELDS[step].map((id) => {
    const { kind, maxLength } = FIELD_KIND[id];
    const choices =
      id === 'wijk' ? round.wijken.map((w) => ({ title: w, value: w })) : id === 'ambitions' ? AMBITIONS.map((a) => ({ title: t.ambitions[a], value: a })) : [];
    const error = errors[id];
    const errorText = error ? fill(t.errors[error], { max }) : (view.fieldTexts?.[id] ?? '');
    return {
      id,
      kind,
      label: withError(fieldLabel(t, lang, id, round), errorText),
      value: raw[id] ?? '',
      placeholder: (t.placeholders as Record<string, string>)[id] ?? '',
      maxLength: maxLength ?? 0,
      min: 1,
      max: round.maxPerApplication,
      choices,
      error: errorText,
    };
  });
  const index = STEPS.indexOf(step);
  const hasErrors = Object.keys(errors).length > 0;
  return render(stepTemplate, {
    common,
    app: { id: app.id, roundId: app.roundId, rev: app.rev },
    step,
    progress: fill(common.stepOf, { n: index + 1, total: STEPS.length }),
    title: t.steps[step].title,
    intro: t.steps[step].intro,
    notice: view.notice ?? (hasErrors ? t.errors.fixBelow : ''),
    fields,
    hasBack: index > 0 && !view.editing,
    nextTitle: view.editing ? common.saveAndSummary : common.next,
    nextDirection: view.editing ? 'summary' : 'next',
  });
}

/** A form label without its typing instructions ("(één per regel)", "(maximaal € 15.000)"), for read-only views. */
const plainLabel = (label: string) => label.replace(/\s*\([^)]*\)/g, '').trim();

function displayValue(t: Messages, lang: Lang, field: keyof ApplicationFields, fields: ApplicationFields): string {
  const v = fields[field];
  if (v === undefined || (Array.isArray(v) && v.length === 0)) return t.summary.empty;
  if (field === 'amount') return formatEuro(lang, v as number);
  if (field === 'ambitions') return (v as string[]).map((a) => t.ambitions[a as keyof Messages['ambitions']]).join(', ');
  if (field === 'coApplicants') return (v as string[]).join(', ');
  if (field === 'periodStart' || field === 'periodEnd') return formatDay(lang, v as string);
  return String(v);
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
  const sections = STEPS.map((step, i) => ({
    step,
    title: t.steps[step].title,
    editTitle: fill(t.summary.editStep, { n: i + 1 }),
    items: [
      ...STEP_FIELDS[step].map((f) => ({ label: plainLabel(t.fields[f]), value: displayValue(t, lang, f, app.fields) })),
      ...(step === 'organisation' && registry ? [{ label: t.summary.registryLabel, value: registryText(t, registry) }] : []),
    ],
  }));
  return render(summaryTemplate, {
    t: t.summary,
    common,
    app: { id: app.id, roundId: app.roundId, rev: app.rev },
    notice,
    sections,
    files: filesBlock(lang, files),
  });
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
