import type { ApplicationForm, FormQuestion } from '../../src/domain/form';
import { QUESTION_LIMITS } from '../../src/domain/form';

/**
 * A round's own form, different from the default: three steps in another order (the contact
 * details last), the core bound questions, and the round's own questions — a short text, a
 * choice, a number and a required document (a file question).
 */
export const CUSTOM_FORM: ApplicationForm = {
  version: 2,
  steps: [
    {
      id: 'plan',
      title: { nl: 'Je plan', en: 'Your plan' },
      questions: [
        { id: 'title', type: 'shortText', required: true },
        {
          id: 'q1',
          type: 'shortText',
          label: { nl: 'Voor wie is het?', en: 'Who is it for?' },
          help: { nl: 'Bijvoorbeeld: jongeren van 12 tot 18.', en: 'For example: young people aged 12 to 18.' },
          required: true,
          maxLength: 80,
        },
        {
          id: 'q2',
          type: 'choice',
          label: { nl: 'Vorm', en: 'Format' },
          required: true,
          choices: [
            { id: 'groep', label: { nl: 'In een groep', en: 'In a group' } },
            { id: 'individueel', label: { nl: 'Eén op één', en: 'One to one' } },
          ],
        },
        { id: 'wijk', type: 'wijk', required: true },
      ],
    },
    {
      id: 'geld',
      title: { nl: 'Geld en deelnemers', en: 'Money and participants' },
      questions: [
        { id: 'amount', type: 'euros', required: true },
        { id: 'q3', type: 'number', label: { nl: 'Aantal deelnemers', en: 'Number of participants' }, required: true, min: 1, max: 500 },
        { id: 'q4', type: 'file', label: { nl: 'Begroting', en: 'Budget' }, required: true, kinds: ['pdf', 'xlsx', 'ods'] },
      ],
    },
    {
      id: 'contact',
      title: { nl: 'Contact', en: 'Contact' },
      questions: [
        { id: 'organisation', type: 'organisation', required: true },
        { id: 'contactName', type: 'shortText', required: true },
        { id: 'contactEmail', type: 'email', required: true },
      ],
    },
  ],
};

/** What a partner types in each step of `CUSTOM_FORM`. */
export const CUSTOM_INPUT: Record<string, Record<string, string>> = {
  plan: { title: 'Buurtsport voor iedereen', q1: 'Jongeren van 12 tot 18', q2: 'groep', wijk: 'Holtenbroek' },
  geld: { amount: '9000', q3: '25' },
  contact: { organisation: 'Stichting Buurtkracht Zwolle', contactName: 'Anouk Bakker', contactEmail: 'anouk@buurtkracht.example' },
};

const text = (n: number, c = 'ö') => c.repeat(n);
/** Words of `n` characters in all (a label people could write: it wraps). */
const words = (n: number) =>
  'Één keuze met een heel lange naam, '
    .repeat(Math.ceil(n / 35))
    .slice(0, n)
    .trimEnd()
    .padEnd(n, 'x');

/**
 * A form at every ceiling of `QUESTION_LIMITS` (8 steps, 40 questions, labels and help at their
 * maximum, 12 choices with the longest labels), the core bound questions among them, and the
 * answers at every maximum: for the storage and card size limits.
 */
export function worstForm(): { form: ApplicationForm; answers: Record<string, string | number | string[]> } {
  const choices = Array.from({ length: QUESTION_LIMITS.choices }, (_, i) => ({
    id: `keuze-${String(i).padStart(2, '0')}${'x'.repeat(40 - 9)}`,
    label: { nl: words(QUESTION_LIMITS.choiceLabel), en: words(QUESTION_LIMITS.choiceLabel) },
  }));
  const own = (i: number): FormQuestion => {
    const type = (['longText', 'shortText', 'multiChoice', 'choice', 'euros', 'number', 'date', 'email', 'phone', 'coApplicants'] as const)[i % 10]!;
    return {
      id: `q${i}`,
      type,
      label: { nl: `${i} ${text(QUESTION_LIMITS.label - 4)}`, en: `${i} ${text(QUESTION_LIMITS.label - 4)}` },
      help: { nl: text(QUESTION_LIMITS.help), en: text(QUESTION_LIMITS.help) },
      required: false,
      ...(type === 'longText' ? { maxLength: QUESTION_LIMITS.longText } : type === 'shortText' ? { maxLength: QUESTION_LIMITS.shortText } : {}),
      ...(type === 'choice' || type === 'multiChoice' ? { choices } : {}),
      ...(type === 'euros' || type === 'number' ? { min: 0, max: 999_999_999 } : {}),
    };
  };
  const core: FormQuestion[] = (['organisation', 'wijk', 'title', 'amount', 'contactName', 'contactEmail'] as const).map((id) => ({
    id,
    type: ({ organisation: 'organisation', wijk: 'wijk', title: 'shortText', amount: 'euros', contactName: 'shortText', contactEmail: 'email' } as const)[id],
    required: true,
  }));
  const questions = [...core, ...Array.from({ length: QUESTION_LIMITS.questions - core.length }, (_, i) => own(i + 1))];
  const steps = Array.from({ length: QUESTION_LIMITS.steps }, (_, s) => ({
    id: `stap-${s + 1}${'x'.repeat(32 - 7)}`,
    title: { nl: text(QUESTION_LIMITS.label), en: text(QUESTION_LIMITS.label) },
    questions: questions.slice(s * 5, s * 5 + 5),
  }));
  const answers: Record<string, string | number | string[]> = {};
  for (const q of questions.slice(core.length)) {
    answers[q.id] =
      q.type === 'longText'
        ? text(QUESTION_LIMITS.longText)
        : q.type === 'shortText'
          ? text(QUESTION_LIMITS.shortText)
          : q.type === 'multiChoice'
            ? choices.map((c) => c.id)
            : q.type === 'choice'
              ? choices[0]!.id
              : q.type === 'euros' || q.type === 'number'
                ? 999_999_999
                : q.type === 'date'
                  ? '2027-12-31'
                  : q.type === 'email'
                    ? `${'a'.repeat(190)}@x.example`
                    : q.type === 'phone'
                      ? '+31 6 1234 5678 9012 3456 789'
                      : Array.from({ length: 10 }, () => text(59));
  }
  return { form: { version: 7, steps }, answers };
}
