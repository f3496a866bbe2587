import { AMBITIONS, BoundField } from '../domain/application';
import { FormQuestion, FormStep, documentWordsOf, isBoundField, textLimitOf } from '../domain/form';
import type { Round } from '../domain/round';
import { FieldErrors, isRequired, LIMITS, RawInput } from '../domain/validation';
import { fill, formatEuro, Lang, messages, Messages } from '../i18n';
import { formMessages } from '../i18n/form';
import inputsTemplate from '../../cards/form-inputs.json';
import { render, withError } from './render';

/**
 * The inputs of one step of a round's form, as the applicant sees them: the step card draws them,
 * and the form editor's preview uses the same (`questionInputs` for the step card's template data,
 * `questionInputElements` for the Adaptive Card elements themselves).
 *
 * A bound question shows its field's standard label and input (same kinds and limits as always);
 * the round's own question its label in the user's language, its help text, and an input by type:
 * text (short, long, e-mail, phone, organisation, co-applicants), number (euros, number), date,
 * choice (choice, wijk) or multiple choice. A file question has no input: a line says to send the
 * document in the chat. Every label says whether the question is required. The server checks
 * everything (the step card also saves unfinished input), so no input has `isRequired`.
 */

export type InputKind = 'text' | 'multiline' | 'email' | 'tel' | 'number' | 'date' | 'choice' | 'multichoice' | 'note';

/** One question as the template draws it. */
export interface QuestionInput {
  id: string;
  kind: InputKind;
  label: string;
  value: string;
  placeholder: string;
  maxLength: number;
  min: number;
  max: number;
  choices: { title: string; value: string }[];
  /** The question's help text (own questions), or the hint of a file question. */
  help: string;
  error: string;
}

const BOUND_KIND: { readonly [K in BoundField]-?: { kind: InputKind; maxLength?: number } } = {
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
  budgetLines: { kind: 'note' },
  budgetBreakdown: { kind: 'multiline', maxLength: LIMITS.long },
  periodStart: { kind: 'date' },
  periodEnd: { kind: 'date' },
  expectedResults: { kind: 'multiline', maxLength: LIMITS.long },
  evidence: { kind: 'multiline', maxLength: LIMITS.long },
};

/** Input.Number needs a range: the widest a stored number keeps exactly. */
const NUMBER_RANGE = 999_999_999_999;

const OWN_KIND: { readonly [T in FormQuestion['type']]: InputKind } = {
  shortText: 'text',
  longText: 'multiline',
  euros: 'number',
  number: 'number',
  date: 'date',
  email: 'email',
  phone: 'tel',
  choice: 'choice',
  multiChoice: 'multichoice',
  wijk: 'choice',
  organisation: 'text',
  coApplicants: 'multiline',
  budgetLines: 'note',
  file: 'note',
};

/** A bound field's standard label with its required / optional marker (the amount names the round's maximum). */
export function fieldLabel(t: Messages, lang: Lang, field: BoundField, round: Round, required = isRequired(field)): string {
  const label = fill(t.fields[field], { max: formatEuro(lang, round.maxPerApplication) });
  return `${label} ${required ? t.common.required : t.common.optional}`;
}

/** A question's label without its marker: the standard one of a bound field, the round's own in the user's language. */
export function questionLabel(lang: Lang, round: Round, question: FormQuestion): string {
  const t = messages(lang);
  if (question.label) return question.label[lang];
  return isBoundField(question.id) ? fill(t.fields[question.id], { max: formatEuro(lang, round.maxPerApplication) }) : question.id;
}

/** A field error in words: a bound field's as always, the round's own range and choice errors with the question's numbers. */
export function questionErrorText(lang: Lang, round: Round, question: FormQuestion, code: NonNullable<FieldErrors[string]>): string {
  const t = messages(lang);
  const f = formMessages(lang);
  const amount = (n: number | undefined) => (n === undefined ? '' : question.type === 'euros' ? formatEuro(lang, n) : String(n));
  if (!isBoundField(question.id) && (code === 'aboveMax' || code === 'belowMin')) {
    return fill(f.errors[code], { min: amount(question.min), max: amount(question.max) });
  }
  if (code === 'number' || code === 'belowMin' || code === 'unknownChoice' || code === 'unsupported') return f.errors[code];
  return fill(t.errors[code], { max: formatEuro(lang, round.maxPerApplication) });
}

function choicesOf(t: Messages, lang: Lang, round: Round, q: FormQuestion): { title: string; value: string }[] {
  if (q.type === 'wijk') return round.wijken.map((w) => ({ title: w, value: w }));
  if (q.id === 'ambitions' && !q.choices) return AMBITIONS.map((a) => ({ title: t.ambitions[a], value: a }));
  return (q.choices ?? []).map((c) => ({ title: c.label[lang], value: c.id }));
}

/**
 * The inputs of one step: label (with the required / optional marker and any error), value (what
 * was typed or stored), help text, the input by type. `values` are by question id (`RawInput`),
 * `errors` the validator's codes, `fieldTexts` a problem in words of its own under a question.
 */
export function questionInputs(
  lang: Lang,
  round: Round,
  step: FormStep,
  values: RawInput,
  errors: FieldErrors = {},
  fieldTexts: Partial<Record<string, string>> = {},
): QuestionInput[] {
  const t = messages(lang);
  const f = formMessages(lang);
  return step.questions.map((q) => {
    const bound = isBoundField(q.id) ? q.id : undefined;
    const kind = bound ? BOUND_KIND[bound].kind : OWN_KIND[q.type];
    const code = errors[q.id];
    const errorText = code ? questionErrorText(lang, round, q, code) : (fieldTexts[q.id] ?? '');
    const marked =
      bound && !q.label
        ? fieldLabel(t, lang, bound, round, q.required)
        : `${questionLabel(lang, round, q)} ${q.required ? t.common.required : t.common.optional}`;
    const maxLength = bound
      ? Math.min(BOUND_KIND[bound].maxLength ?? 0, q.maxLength ?? Infinity)
      : kind === 'text' || kind === 'multiline' || kind === 'email' || kind === 'tel'
        ? ownMaxLength(q)
        : 0;
    const range =
      bound === 'amount' ? { min: 1, max: round.maxPerApplication } : { min: q.min ?? (q.type === 'euros' ? 0 : -NUMBER_RANGE), max: q.max ?? NUMBER_RANGE };
    const hint = q.type === 'file' ? fill(f.fileHint, { word: documentWordsOf(q, lang)[0] ?? q.id }) : q.type === 'budgetLines' ? f.budgetLinesHint : '';
    return {
      id: q.id,
      kind,
      label: withError(marked, errorText),
      value: values[q.id] ?? '',
      placeholder: bound ? ((t.placeholders as Record<string, string>)[bound] ?? '') : '',
      maxLength: Number.isFinite(maxLength) ? maxLength : 0,
      ...range,
      choices: kind === 'choice' || kind === 'multichoice' ? choicesOf(t, lang, round, q) : [],
      help: [q.help?.[lang] ?? '', hint].filter(Boolean).join(' '),
      error: errorText,
    };
  });
}

function ownMaxLength(q: FormQuestion): number {
  if (q.type === 'email') return LIMITS.email;
  if (q.type === 'phone') return LIMITS.phone;
  if (q.type === 'organisation') return LIMITS.short;
  if (q.type === 'coApplicants') return LIMITS.coApplicantsText;
  return textLimitOf(q);
}

/** The same inputs as Adaptive Card elements (a Container a question), for a card that is not the step card (the editor's preview). */
export function questionInputElements(...args: Parameters<typeof questionInputs>): unknown[] {
  const card = render(inputsTemplate, { fields: questionInputs(...args) });
  return (card.body as unknown[]) ?? [];
}
