import type { Application, ApplicationFields, BoundField } from '../domain/application';
import { FormQuestion, FormStep, formOf, isBoundField, questionsOf } from '../domain/form';
import type { Round } from '../domain/round';
import { fill, formatDay, formatEuro, Lang, messages } from '../i18n';
import { formMessages } from '../i18n/form';
import type { AttachmentView } from '../usecases/attachments';
import { budgetLinesText } from './budget-cards';
import { questionLabel } from './form-inputs';
import { truncate } from './render';

/**
 * The answers of an application as the read-only cards show them (the summary, the review card's
 * texts, the reading card): each question of the round's form by its label and its value in
 * words. Long answers are fitted into a character budget so that any form at its ceilings stays
 * within Teams' message size (`fitTexts`).
 */

/** A form label without its typing instructions ("(één per regel)", "(maximaal € 15.000)"), for read-only views. */
export const plainLabel = (label: string) => label.replace(/\s*\([^)]*\)/g, '').trim();

function choiceLabel(lang: Lang, q: FormQuestion, id: string): string {
  return q.choices?.find((c) => c.id === id)?.label[lang] ?? id;
}

/** A bound field's value in words (as the summary has always shown it). */
export function boundValue(lang: Lang, field: BoundField, fields: ApplicationFields): string {
  const t = messages(lang);
  const v = fields[field];
  if (v === undefined || (Array.isArray(v) && v.length === 0)) return t.summary.empty;
  if (field === 'amount') return formatEuro(lang, v as number);
  if (field === 'budgetLines') return budgetLinesText(lang, fields.budgetLines);
  if (field === 'ambitions') return (v as string[]).map((a) => t.ambitions[a as keyof typeof t.ambitions]).join(', ');
  if (field === 'coApplicants') return (v as string[]).join(', ');
  if (field === 'periodStart' || field === 'periodEnd') return formatDay(lang, v as string);
  return String(v);
}

/** Any question's answer in words; a file question names the attached document (or says it is missing). */
export function answerText(lang: Lang, q: FormQuestion, fields: ApplicationFields, files: readonly AttachmentView[] = []): string {
  const t = messages(lang);
  if (q.type === 'file') {
    const attached = files.filter((f) => f.document === q.id);
    return attached.length ? fill(formMessages(lang).fileAttached, { name: attached.map((f) => f.name).join(', ') }) : formMessages(lang).fileMissing;
  }
  if (isBoundField(q.id)) return boundValue(lang, q.id, fields);
  const v = fields.answers?.[q.id];
  if (v === undefined || (Array.isArray(v) && v.length === 0)) return t.summary.empty;
  if (q.type === 'euros' && typeof v === 'number') return formatEuro(lang, v);
  if (q.type === 'date' && typeof v === 'string') return formatDay(lang, v);
  if (q.type === 'choice' && typeof v === 'string') return choiceLabel(lang, q, v);
  if (q.type === 'multiChoice' && Array.isArray(v)) return v.map((id) => choiceLabel(lang, q, id)).join(', ');
  if (typeof v === 'number') return String(v).replace('.', lang === 'nl' ? ',' : '.');
  return Array.isArray(v) ? v.join(', ') : v;
}

/** A question's label for a read-only view. */
export function readLabel(lang: Lang, round: Round, q: FormQuestion): string {
  return q.label ? q.label[lang] : plainLabel(questionLabel(lang, round, q));
}

/**
 * Texts cut so that together they have at most `budget` characters: every text keeps up to the
 * same cap (the largest that fits), so short answers stay whole and only the longest are cut.
 * `shortened` says whether any was.
 */
export function fitTexts(texts: readonly string[], budget: number): { texts: string[]; shortened: boolean } {
  const total = texts.reduce((n, s) => n + s.length, 0);
  if (total <= budget) return { texts: [...texts], shortened: false };
  const lengths = [...texts.map((s) => s.length)].sort((a, b) => a - b);
  let left = budget;
  let cap = 0;
  for (let i = 0; i < lengths.length; i++) {
    const share = Math.floor(left / (lengths.length - i));
    if (lengths[i]! > share) {
      cap = share;
      break;
    }
    left -= lengths[i]!;
    cap = lengths[i]!;
  }
  return { texts: texts.map((s) => (s.length > cap ? truncate(s, Math.max(1, cap)) : s)), shortened: true };
}

/** Characters of answers a read-only card carries at most (with its labels and frame it stays well under 80 KB in UTF-16). */
export const ANSWER_BUDGET = 24_000;
/** The budgets a read-only card tries, largest first, until it fits Teams' message size (the last always does at the form's ceilings). */
export const ANSWER_BUDGETS = [Infinity, ANSWER_BUDGET, 16_000, 10_000, 6_000] as const;

export interface AnswerSection {
  step: FormStep;
  index: number;
  items: { id: string; label: string; value: string }[];
}

/** The application's answers by the round's form's steps, fitted into `budget`. */
export function answerSections(
  lang: Lang,
  round: Round,
  app: Pick<Application, 'fields'>,
  files: readonly AttachmentView[] = [],
  budget: number = ANSWER_BUDGET,
): { sections: AnswerSection[]; shortened: boolean } {
  const form = formOf(round);
  const raw = form.steps.map((step) =>
    step.questions.map((q) => ({ id: q.id, label: readLabel(lang, round, q), value: answerText(lang, q, app.fields, files) })),
  );
  const fitted = fitTexts(
    raw.flat().map((i) => i.value),
    budget,
  );
  let n = 0;
  return {
    sections: form.steps.map((step, index) => ({ step, index, items: raw[index]!.map((i) => ({ ...i, value: fitted.texts[n++]! })) })),
    shortened: fitted.shortened,
  };
}

/** The round's own labels by the keys a field diff names (`answers.q3` for an own question, a relabelled bound field by its name). */
export function formLabels(lang: Lang, round: Round): Record<string, string> {
  return Object.fromEntries(
    questionsOf(formOf(round))
      // A bound question without a label of its own keeps the short name the diff has for its field.
      .filter(({ question }) => question.label || !isBoundField(question.id))
      .map(({ question }) => [isBoundField(question.id) ? question.id : `answers.${question.id}`, readLabel(lang, round, question)]),
  );
}
