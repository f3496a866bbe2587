import * as formCards from '../../src/cards/form-cards';
import { ApplicationForm, CORE_FIELDS, DEFAULT_FORM, FormQuestion, QUESTION_LIMITS } from '../../src/domain/form';
import { textCeiling } from '../../src/domain/form-edit';
import type { Lang } from '../../src/i18n';
import { round } from '../fixtures';
import type { Fixture } from './card-fixtures';

/** Hostile text of exactly `n` units that reads back as itself (no space at either end). */
function text(n: number, hostile: (n: number) => string, oneLine = false): string {
  const h = hostile(n - 1) + 'x';
  return oneLine ? h.replace(/\n/g, ' ') : h;
}

/**
 * A form at every ceiling: 8 steps, 40 questions (12 in the first), every own question a choice
 * question with 12 choices, every text at its maximum in hostile text; the core questions bound.
 */
export function worstForm(hostile: (n: number) => string): ApplicationForm {
  const label = () => ({ nl: text(QUESTION_LIMITS.label, hostile), en: text(QUESTION_LIMITS.label, hostile) });
  const help = () => ({ nl: text(QUESTION_LIMITS.help, hostile), en: text(QUESTION_LIMITS.help, hostile) });
  const own = (n: number): FormQuestion => ({
    id: `q${1000 + n}`,
    type: 'multiChoice',
    label: label(),
    help: help(),
    required: n % 2 === 0,
    choices: Array.from({ length: QUESTION_LIMITS.choices }, (_, i) => ({
      id: `${'k'.repeat(37)}-${String(i).padStart(2, '0')}`,
      label: { nl: text(QUESTION_LIMITS.choiceLabel, hostile, true), en: text(QUESTION_LIMITS.choiceLabel, hostile, true) },
    })),
  });
  const core: FormQuestion[] = CORE_FIELDS.map((id) => {
    const q = DEFAULT_FORM.steps.flatMap((s) => s.questions).find((x) => x.id === id)!;
    return { ...q, label: label(), help: help(), ...(textCeiling(q) !== undefined ? { maxLength: textCeiling(q) } : {}) };
  });
  const sizes = [12, 4, 4, 4, 4, 4, 4, 4];
  let n = 0;
  const steps = sizes.map((size, s) => ({
    id: `stap-${s + 1}`,
    title: label(),
    questions: Array.from({ length: size }, () => {
      const i = n++;
      return i < core.length ? core[i]! : own(i);
    }),
  }));
  return { version: 999, steps };
}

const r = round();
const at = (f: ApplicationForm, id: string) => {
  const step = f.steps.find((s) => s.questions.some((q) => q.id === id))!;
  return { step, question: step.questions.find((q) => q.id === id)! };
};

export function formFixtures(lang: Lang, hostile: (n: number) => string): Record<string, Record<string, Fixture[]>> {
  const L = lang;
  const worst = worstForm(hostile);
  const custom: ApplicationForm = {
    version: 3,
    steps: [
      ...DEFAULT_FORM.steps,
      {
        id: 'stap-6',
        title: { nl: 'Bijlagen', en: 'Attachments' },
        questions: [
          {
            id: 'q1',
            type: 'choice',
            label: { nl: 'Hoe vaak?', en: 'How often?' },
            required: true,
            choices: [
              { id: 'week', label: { nl: 'Elke week', en: 'Every week' } },
              { id: 'maand', label: { nl: 'Elke maand', en: 'Every month' } },
            ],
          },
          { id: 'q2', type: 'file', label: { nl: 'Je begroting', en: 'Your budget' }, required: false, kinds: ['pdf', 'xlsx'] },
          { id: 'q3', type: 'number', label: { nl: 'Aantal deelnemers', en: 'Participants' }, required: true, min: 1, max: 500 },
        ],
      },
    ],
  };
  return {
    'form-cards': {
      formEditorCard: [
        ['default form', () => formCards.formEditorCard(L, r, DEFAULT_FORM, false)],
        ['own step open, saved', () => formCards.formEditorCard(L, r, custom, false, { open: 'stap-6', notice: 'Opgeslagen.' })],
        ['frozen', () => formCards.formEditorCard(L, r, custom, true)],
        [
          'refused with problems',
          () => formCards.formEditorCard(L, r, custom, false, { notice: 'Niet opgeslagen:', noticeKind: 'error', problems: ['Een stap mag niet leeg zijn.'] }),
        ],
        [
          'largest: every ceiling, hostile, first step open',
          () => formCards.formEditorCard(L, r, worst, false, { notice: hostile(500), problems: [hostile(300)] }),
        ],
        ['largest: every ceiling, hostile, last step open', () => formCards.formEditorCard(L, r, worst, false, { open: 'stap-8' })],
      ],
      formQuestionCard: [
        ['bound core question', () => formCards.formQuestionCard(L, r, DEFAULT_FORM, { kind: 'change', ...at(DEFAULT_FORM, 'title') })],
        ['bound euros', () => formCards.formQuestionCard(L, r, DEFAULT_FORM, { kind: 'change', ...at(DEFAULT_FORM, 'amount') })],
        ['own choice question', () => formCards.formQuestionCard(L, r, custom, { kind: 'change', ...at(custom, 'q1') })],
        ['own file question', () => formCards.formQuestionCard(L, r, custom, { kind: 'change', ...at(custom, 'q2') })],
        ['new long text in a step', () => formCards.formQuestionCard(L, r, custom, { kind: 'add', step: custom.steps[1]!, type: 'longText' })],
        [
          'new step with errors',
          () =>
            formCards.formQuestionCard(
              L,
              r,
              custom,
              { kind: 'newStep', type: 'choice' },
              {
                raw: { titleNl: 'Extra', choices: 'Ja' },
                problems: [
                  { code: 'bothLanguages', field: 'titleEn' },
                  { code: 'labelRequired', field: 'labelNl' },
                  { code: 'choiceLabel', field: 'choices' },
                ],
              },
            ),
        ],
        [
          'largest: a choice question at every ceiling, hostile, every field refused',
          () =>
            formCards.formQuestionCard(
              L,
              r,
              worst,
              { kind: 'change', ...at(worst, 'q1006') },
              {
                problems: ['labelNl', 'labelEn', 'helpNl', 'helpEn', 'required', 'choices'].map((field) => ({
                  code: 'tooLong' as const,
                  field: field as 'labelNl',
                })),
                notice: hostile(300),
              },
            ),
        ],
      ],
      formPreviewCard: [
        ['default first step', () => formCards.formPreviewCard(L, r, DEFAULT_FORM, 'organisation')],
        ['own questions: choice, file, number', () => formCards.formPreviewCard(L, r, custom, 'stap-6')],
        ['largest: 12 hostile questions at every ceiling', () => formCards.formPreviewCard(L, r, worst, 'stap-1')],
      ],
      formRemoveCard: [
        ['question', () => formCards.formRemoveCard(L, r, custom, { questionId: 'q1' })],
        ['step', () => formCards.formRemoveCard(L, r, custom, { stepId: 'stap-6' })],
        ['largest: step of 12 hostile questions', () => formCards.formRemoveCard(L, r, worst, { stepId: 'stap-1' })],
      ],
    },
  };
}
