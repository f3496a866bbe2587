import { describe, expect, it } from 'vitest';
import { ApplicationForm, CORE_FIELDS, DEFAULT_FORM, FormQuestion, QUESTION_LIMITS, questionsOf } from '../../src/domain/form';
import {
  addBoundQuestion,
  addQuestion,
  addStep,
  changeQuestion,
  FORM_STORAGE,
  formStorageCheck,
  jsonPropBytes,
  moveQuestion,
  parseChoices,
  removeQuestion,
  removeStep,
  renameStep,
  validateForm,
} from '../../src/domain/form-edit';
import { JSON_PART_CHARS, TABLE_LIMITS, entityBytes } from '../../src/store/limits';
import { roundToEntity } from '../../src/store/entities';
import { hostile } from '../cards/card-fixtures';
import { worstForm } from '../cards/form-fixtures';
import { round } from '../fixtures';
import { LIMITS } from '../../src/domain/validation';

const codes = (f: ApplicationForm) => validateForm(f).map((p) => p.code);
const own = (id: string, extra: Partial<FormQuestion> = {}): FormQuestion => ({
  id,
  type: 'shortText',
  label: { nl: 'Vraag', en: 'Question' },
  required: true,
  ...extra,
});
/** The default form with one more step holding `questions`. */
const withStep = (questions: FormQuestion[], version = 1): ApplicationForm => ({
  version,
  steps: [...DEFAULT_FORM.steps, { id: 'extra', title: { nl: 'Extra', en: 'Extra' }, questions }],
});
const ids = (f: ApplicationForm) => f.steps.map((s) => s.questions.map((q) => q.id));
const fail = <T>(r: { ok: boolean; error?: T }) => (r.ok ? undefined : r.error);

describe('validateForm: the rules of a form definition', () => {
  it('the default form and a form at every ceiling are valid', () => {
    expect(validateForm(DEFAULT_FORM)).toEqual([]);
    const worst = worstForm(hostile);
    expect(questionsOf(worst)).toHaveLength(QUESTION_LIMITS.questions);
    expect(validateForm(worst)).toEqual([]);
  });

  it('ids: unique and matching their pattern; a bound question has its bound type', () => {
    expect(codes(withStep([own('q1'), own('q1')]))).toContain('duplicateQuestion');
    expect(codes(withStep([own('x1')]))).toContain('questionId');
    expect(codes(withStep([own('q12345')]))).toContain('questionId');
    expect(codes({ ...DEFAULT_FORM, steps: [...DEFAULT_FORM.steps, { id: 'Extra!', title: { nl: 'a', en: 'b' }, questions: [own('q1')] }] })).toContain(
      'stepId',
    );
    expect(codes({ ...DEFAULT_FORM, steps: [...DEFAULT_FORM.steps, { ...DEFAULT_FORM.steps[0]!, questions: [own('q1')] }] })).toContain('duplicateStep');
    const amountAsText = {
      ...DEFAULT_FORM,
      steps: DEFAULT_FORM.steps.map((s) => ({ ...s, questions: s.questions.map((q) => (q.id === 'amount' ? { ...q, type: 'shortText' as const } : q)) })),
    };
    expect(codes(amountAsText)).toEqual(['boundType']);
    expect(codes(withStep([own('q1', { type: 'wijk' })]))).toContain('typeBoundOnly');
  });

  it('every core question exactly once, and required', () => {
    for (const core of CORE_FIELDS) {
      const without = { ...DEFAULT_FORM, steps: DEFAULT_FORM.steps.map((s) => ({ ...s, questions: s.questions.filter((q) => q.id !== core) })) };
      expect(validateForm(without), core).toContainEqual({ code: 'coreMissing', question: core });
    }
    const twice = withStep([{ id: 'title', type: 'shortText', required: true }]);
    expect(codes(twice)).toContain('duplicateQuestion');
    const optional = {
      ...DEFAULT_FORM,
      steps: DEFAULT_FORM.steps.map((s) => ({ ...s, questions: s.questions.map((q) => (q.id === 'wijk' ? { ...q, required: false } : q)) })),
    };
    expect(codes(optional)).toEqual(['coreOptional']);
  });

  it('labels: own questions in both languages, within the limit, no hostile control characters', () => {
    expect(codes(withStep([own('q1', { label: undefined })]))).toEqual(['labelRequired']);
    expect(codes(withStep([own('q1', { label: { nl: 'Vraag', en: '' } })]))).toEqual(['labelRequired']);
    expect(codes(withStep([own('q1', { label: { nl: 'Vraag', en: '\u200b ' } })]))).toEqual(['labelRequired']);
    expect(codes(withStep([own('q1', { label: { nl: 'x'.repeat(QUESTION_LIMITS.label), en: 'y' } })]))).toEqual([]);
    expect(codes(withStep([own('q1', { label: { nl: 'x'.repeat(QUESTION_LIMITS.label + 1), en: 'y' } })]))).toEqual(['tooLong']);
    expect(codes(withStep([own('q1', { label: { nl: 'Vraag\u0007', en: 'y' } })]))).toEqual(['controlCharacters']);
    expect(codes(withStep([own('q1', { label: { nl: 'Vraag\u202e', en: 'y' } })]))).toEqual(['controlCharacters']);
    expect(codes(withStep([own('q1', { help: { nl: 'h'.repeat(QUESTION_LIMITS.help), en: 'h' } })]))).toEqual([]);
    expect(codes(withStep([own('q1', { help: { nl: 'h'.repeat(QUESTION_LIMITS.help + 1), en: 'h' } })]))).toEqual(['tooLong']);
    // A bound question may keep its standard label (none) — but not a half one.
    const halfTitle = {
      ...DEFAULT_FORM,
      steps: DEFAULT_FORM.steps.map((s) => ({ ...s, questions: s.questions.map((q) => (q.id === 'title' ? { ...q, label: { nl: 'Titel', en: '' } } : q)) })),
    };
    expect(validateForm(halfTitle)).toEqual([{ code: 'bothLanguages', step: 'question', question: 'title', field: 'labelEn' }]);
  });

  it('limits fit the type: maxLength within the ceiling, min ≤ max, whole numbers', () => {
    expect(codes(withStep([own('q1', { maxLength: QUESTION_LIMITS.shortText })]))).toEqual([]);
    expect(codes(withStep([own('q1', { maxLength: QUESTION_LIMITS.shortText + 1 })]))).toEqual(['maxLength']);
    expect(codes(withStep([own('q1', { type: 'longText', maxLength: QUESTION_LIMITS.longText })]))).toEqual([]);
    expect(codes(withStep([own('q1', { type: 'longText', maxLength: QUESTION_LIMITS.longText + 1 })]))).toEqual(['maxLength']);
    expect(codes(withStep([own('q1', { maxLength: 0 })]))).toEqual(['maxLength']);
    expect(codes(withStep([own('q1', { type: 'date', maxLength: 10 })]))).toEqual(['notForType']);
    expect(codes(withStep([own('q1', { type: 'number', min: 5, max: 5 })]))).toEqual([]);
    expect(codes(withStep([own('q1', { type: 'number', min: 6, max: 5 })]))).toEqual(['range']);
    expect(codes(withStep([own('q1', { type: 'euros', min: -1 })]))).toEqual(['wholeNumber']);
    expect(codes(withStep([own('q1', { type: 'number', min: 1.5 })]))).toEqual(['wholeNumber']);
    expect(codes(withStep([own('q1', { min: 1 })]))).toEqual(['notForType']);
  });

  it('choices: 2 to 12, unique ids, labels in both languages; a standard question keeps its own', () => {
    const choices = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `c${i}`, label: { nl: `K${i}`, en: `C${i}` } }));
    expect(codes(withStep([own('q1', { type: 'choice', choices: choices(2) })]))).toEqual([]);
    expect(codes(withStep([own('q1', { type: 'choice', choices: choices(1) })]))).toEqual(['choicesCount']);
    expect(codes(withStep([own('q1', { type: 'multiChoice', choices: choices(QUESTION_LIMITS.choices) })]))).toEqual([]);
    expect(codes(withStep([own('q1', { type: 'multiChoice', choices: choices(QUESTION_LIMITS.choices + 1) })]))).toEqual(['choicesCount']);
    expect(codes(withStep([own('q1', { type: 'choice' })]))).toEqual(['choicesCount']);
    expect(codes(withStep([own('q1', { type: 'choice', choices: [...choices(2), choices(1)[0]!] })]))).toEqual(['duplicateChoice']);
    expect(codes(withStep([own('q1', { type: 'choice', choices: [{ id: 'Ja!', label: { nl: 'Ja', en: 'Yes' } }, ...choices(2)] })]))).toEqual(['choiceId']);
    expect(
      codes(
        withStep([own('q1', { type: 'choice', choices: [{ id: 'x', label: { nl: 'x'.repeat(QUESTION_LIMITS.choiceLabel + 1), en: 'y' } }, ...choices(2)] })]),
      ),
    ).toEqual(['choiceLabel']);
    expect(codes(withStep([own('q1', { type: 'choice', choices: [{ id: 'x', label: { nl: 'twee\nregels', en: 'y' } }, ...choices(2)] })]))).toEqual([
      'choiceLabel',
    ]);
    const ambitions = {
      ...DEFAULT_FORM,
      steps: DEFAULT_FORM.steps.map((s) => ({ ...s, questions: s.questions.map((q) => (q.id === 'ambitions' ? { ...q, choices: choices(2) } : q)) })),
    };
    expect(codes(ambitions)).toEqual(['boundChoices']);
  });

  it('steps 1..8, at most 12 questions a step and 40 in all, no empty step', () => {
    expect(codes({ version: 1, steps: [] })).toEqual(expect.arrayContaining(['steps', 'coreMissing']));
    expect(codes(withStep([]))).toEqual(['emptyStep']);
    const step = (i: number, n: number) => ({
      id: `s${i}`,
      title: { nl: 'S', en: 'S' },
      questions: Array.from({ length: n }, (_, j) => own(`q${i * 100 + j}`)),
    });
    const nine: ApplicationForm = { version: 1, steps: [...DEFAULT_FORM.steps, step(1, 1), step(2, 1), step(3, 1), step(4, 1)] };
    expect(codes({ ...nine, steps: nine.steps.slice(0, QUESTION_LIMITS.steps) })).toEqual([]);
    expect(codes(nine)).toEqual(['steps']);
    expect(codes(withStep(step(1, QUESTION_LIMITS.questionsPerStep).questions))).toEqual([]);
    expect(codes(withStep(step(1, QUESTION_LIMITS.questionsPerStep + 1).questions))).toEqual(['questionsPerStep']);
    // The own text answers of a step together: at most stepAnswerChars (two long texts at 4,000 fit, a third does not).
    const longs = (n: number, extra = 0) =>
      Array.from({ length: n }, (_, i) => own(`q${i + 1}`, { type: 'longText', maxLength: QUESTION_LIMITS.longText + (i === 0 ? extra : 0) }));
    expect(QUESTION_LIMITS.stepAnswerChars).toBe(2 * QUESTION_LIMITS.longText);
    expect(codes(withStep(longs(2)))).toEqual([]);
    expect(codes(withStep([...longs(2), own('q9', { maxLength: 1 })]))).toEqual(['stepAnswers']);
    expect(codes(withStep([...longs(2), own('q9', { type: 'longText' })]))).toEqual(['stepAnswers']);
    const defaults = questionsOf(DEFAULT_FORM).length;
    const upTo = (total: number) => {
      const left = total - defaults;
      const sizes = [Math.min(12, left), Math.min(12, left - 12), left - 24].filter((n) => n > 0);
      return { version: 1, steps: [...DEFAULT_FORM.steps, ...sizes.map((n, i) => step(i + 1, n))] };
    };
    expect(codes(upTo(QUESTION_LIMITS.questions))).toEqual([]);
    expect(codes(upTo(QUESTION_LIMITS.questions + 1))).toEqual(['questions']);
    expect(codes({ ...withStep([own('q1')]), steps: withStep([own('q1')]).steps.map((s) => (s.id === 'extra' ? { ...s, title: undefined } : s)) })).toEqual([
      'stepTitle',
    ]);
  });
});

describe('formStorageCheck', () => {
  it('uses the limits store/limits.ts checks, and estimates at least what Azure counts', () => {
    expect(FORM_STORAGE.entityBytes).toBe(TABLE_LIMITS.entityBytes);
    expect(FORM_STORAGE.propertyChars).toBe(TABLE_LIMITS.propertyChars);
    expect(FORM_STORAGE.jsonPartChars).toBe(JSON_PART_CHARS);
    expect(FORM_STORAGE.properties).toBe(TABLE_LIMITS.properties);
    const worst = worstForm(hostile);
    const withForm = entityBytes(roundToEntity({ ...round(), form: worst }));
    const without = entityBytes(roundToEntity(round()));
    expect(jsonPropBytes('formJson', JSON.stringify(worst).length)).toBe(withForm - without);
  });

  it('a form at every ceiling can be stored; one whose round row or answers cannot is refused with the reason', () => {
    const worst = worstForm(hostile);
    const fits = formStorageCheck(worst);
    expect(fits.ok).toBe(true);
    // Beyond the ceilings (a form the editor would never make): far too large for the round row.
    const huge: ApplicationForm = {
      ...worst,
      steps: worst.steps.map((s) => ({ ...s, questions: s.questions.map((q) => ({ ...q, help: { nl: '"'.repeat(30_000), en: '"'.repeat(30_000) } })) })),
    };
    const refused = formStorageCheck(huge);
    expect(!refused.ok && refused.error.code).toMatch(/formTooLarge|tooManyParts/);
    // Answers: 200 long text questions at their ceiling cannot fit one application row.
    const answers: ApplicationForm = {
      version: 1,
      steps: [{ id: 'a', title: { nl: 'a', en: 'a' }, questions: Array.from({ length: 200 }, (_, i) => own(`q${i}`, { type: 'longText' })) }],
    };
    const tooMuch = formStorageCheck(answers);
    expect(!tooMuch.ok && tooMuch.error).toMatchObject({ code: 'answersTooLarge', limit: FORM_STORAGE.entityBytes - FORM_STORAGE.applicationReserveBytes });
  });
});

describe('edit operations', () => {
  const base = withStep([own('q1'), own('q2')], 4);

  it('add a question: the next free q<n> at the end of the step, version raised', () => {
    const r = addQuestion(base, 'extra', 'longText', { labelNl: 'Wat leer je?', labelEn: 'What do you learn?', maxLength: '800', required: 'false' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.version).toBe(5);
    expect(r.value.steps.at(-1)!.questions.at(-1)).toEqual({
      id: 'q5',
      type: 'longText',
      label: { nl: 'Wat leer je?', en: 'What do you learn?' },
      required: false,
      maxLength: 800,
    });
    // A removed question's id is not given again (a draft may hold an answer to it).
    const removed = removeQuestion(r.value, 'q5');
    const readded = removed.ok ? addQuestion(removed.value, 'extra', 'shortText', { labelNl: 'a', labelEn: 'b' }) : removed;
    expect(readded.ok && readded.value.steps.at(-1)!.questions.map((q) => q.id)).toEqual(['q1', 'q2', 'q7']);
    expect(fail(addQuestion(base, 'nope', 'shortText', { labelNl: 'a', labelEn: 'b' }))).toEqual({ code: 'NOT_FOUND' });
    expect(fail(addQuestion(base, 'extra', 'shortText', { labelNl: 'a' }))).toMatchObject({
      code: 'INVALID',
      problems: [{ code: 'bothLanguages', field: 'labelEn' }],
    });
    expect(fail(addQuestion(base, 'extra', 'shortText', { labelNl: 'a\u0000', labelEn: 'b' }))).toMatchObject({
      code: 'INVALID',
      problems: [{ code: 'controlCharacters', field: 'labelNl' }],
    });
    expect(fail(addQuestion(base, 'extra', 'wijk', { labelNl: 'a', labelEn: 'b' }))).toMatchObject({ code: 'INVALID', problems: [{ code: 'typeBoundOnly' }] });
    expect(fail(addQuestion(base, 'extra', 'longText', { labelNl: 'a', labelEn: 'b', maxLength: String(QUESTION_LIMITS.longText + 1) }))).toMatchObject({
      problems: [{ code: 'maxLength', field: 'maxLength' }],
    });
  });

  it('add a choice question from lines; the 12-question ceiling of a step and the 40 of a form hold', () => {
    const r = addQuestion(base, 'extra', 'choice', {
      labelNl: 'Hoe vaak?',
      labelEn: 'How often?',
      choices: 'Elke week | Every week\nmaand: Eén keer per maand | Once a month\r\n',
    });
    expect(r.ok && r.value.steps.at(-1)!.questions.at(-1)!.choices).toEqual([
      { id: 'elke-week', label: { nl: 'Elke week', en: 'Every week' } },
      { id: 'maand', label: { nl: 'Eén keer per maand', en: 'Once a month' } },
    ]);
    expect(fail(addQuestion(base, 'extra', 'choice', { labelNl: 'a', labelEn: 'b', choices: 'Ja' }))).toMatchObject({ problems: [{ code: 'choiceLabel' }] });
    const full = withStep(Array.from({ length: 12 }, (_, i) => own(`q${i + 1}`)));
    expect(fail(addQuestion(full, 'extra', 'shortText', { labelNl: 'a', labelEn: 'b' }))).toMatchObject({
      code: 'INVALID',
      problems: [{ code: 'questionsPerStep' }],
    });
  });

  it('change a question: labels, help, required and limits; the id and type stay; core questions stay required', () => {
    const r = changeQuestion(base, 'q1', { labelNl: 'Nieuw', labelEn: 'New', helpNl: 'Uitleg', helpEn: 'Help', required: 'false', maxLength: '50' });
    expect(r.ok && r.value.steps.at(-1)!.questions[0]).toEqual({
      id: 'q1',
      type: 'shortText',
      label: { nl: 'Nieuw', en: 'New' },
      help: { nl: 'Uitleg', en: 'Help' },
      required: false,
      maxLength: 50,
    });
    expect(r.ok && r.value.version).toBe(5);
    // A standard question: its own label may be set or left empty (standard text), its type stays.
    const title = changeQuestion(base, 'title', { labelNl: 'Naam van je plan', labelEn: 'Name of your plan', required: 'true' });
    expect(title.ok && questionsOf(title.value).find((x) => x.question.id === 'title')!.question).toEqual({
      id: 'title',
      type: 'shortText',
      label: { nl: 'Naam van je plan', en: 'Name of your plan' },
      required: true,
    });
    expect(fail(changeQuestion(base, 'wijk', { required: 'false' }))).toMatchObject({ code: 'INVALID', problems: [{ code: 'coreOptional' }] });
    expect(fail(changeQuestion(base, 'q9', { labelNl: 'a', labelEn: 'b' }))).toEqual({ code: 'NOT_FOUND' });
    expect(fail(changeQuestion(base, 'q1', { labelNl: 'x'.repeat(QUESTION_LIMITS.label + 1), labelEn: 'b' }))).toMatchObject({
      problems: [{ code: 'tooLong', field: 'labelNl' }],
    });
    expect(changeQuestion(base, 'q1', { labelNl: 'x'.repeat(QUESTION_LIMITS.label), labelEn: 'b' }).ok).toBe(true);
    const counted = withStep([own('q1', { type: 'number' })]);
    expect(fail(changeQuestion(counted, 'q1', { labelNl: 'a', labelEn: 'b', min: '500', max: '100' }))).toMatchObject({
      problems: [{ code: 'range', field: 'max' }],
    });
    expect(fail(changeQuestion(counted, 'q1', { labelNl: 'a', labelEn: 'b', min: 'veel' }))).toMatchObject({
      problems: [{ code: 'wholeNumber', field: 'min' }],
    });
    const ranged = changeQuestion(counted, 'q1', { labelNl: 'a', labelEn: 'b', min: '1', max: '1.000' });
    expect(ranged.ok && ranged.value.steps.at(-1)!.questions[0]).toMatchObject({ min: 1, max: 1000 });
    // A standard question keeps its field's limits: the amount's range is the round's, the title at most its 120 characters.
    const amount = changeQuestion(base, 'amount', { min: '500', max: '100' });
    expect(amount.ok && questionsOf(amount.value).find((x) => x.question.id === 'amount')!.question).toEqual({ id: 'amount', type: 'euros', required: true });
    expect(fail(changeQuestion(base, 'title', { maxLength: String(LIMITS.short + 1) }))).toMatchObject({
      problems: [{ code: 'maxLength', field: 'maxLength' }],
    });
    expect(changeQuestion(base, 'title', { maxLength: String(LIMITS.short) }).ok).toBe(true);
    const withRange = {
      ...DEFAULT_FORM,
      steps: DEFAULT_FORM.steps.map((s) => ({ ...s, questions: s.questions.map((q) => (q.id === 'amount' ? { ...q, min: 5 } : q)) })),
    };
    expect(codes(withRange)).toEqual(['notForType']);
  });

  it('move up and down within a step and across steps; not past either end', () => {
    const down = moveQuestion(base, 'q1', 'down');
    expect(down.ok && ids(down.value).at(-1)).toEqual(['q2', 'q1']);
    const up = moveQuestion(base, 'q1', 'up');
    expect(up.ok && ids(up.value).at(-2)!.at(-1)).toBe('q1');
    expect(up.ok && ids(up.value).at(-1)).toEqual(['q2']);
    expect(up.ok && up.value.version).toBe(5);
    const first = DEFAULT_FORM.steps[0]!.questions[0]!.id;
    expect(fail(moveQuestion(base, first, 'up'))).toEqual({ code: 'EDGE' });
    expect(fail(moveQuestion(base, 'q2', 'down'))).toEqual({ code: 'EDGE' });
    // From the bottom of a step to the top of the next.
    const lastOfResults = DEFAULT_FORM.steps.at(-1)!.questions.at(-1)!.id;
    const across = moveQuestion(base, lastOfResults, 'down');
    expect(across.ok && ids(across.value).at(-1)).toEqual([lastOfResults, 'q1', 'q2']);
    // A step is never left empty.
    const lonely = withStep([own('q1')]);
    expect(fail(moveQuestion(lonely, 'q1', 'up'))).toMatchObject({ code: 'INVALID', problems: [{ code: 'emptyStep' }] });
  });

  it('remove: own and optional standard questions go; core questions cannot', () => {
    const r = removeQuestion(base, 'q1');
    expect(r.ok && ids(r.value).at(-1)).toEqual(['q2']);
    expect(r.ok && r.value.version).toBe(5);
    expect(removeQuestion(base, 'contactPhone').ok).toBe(true);
    for (const core of CORE_FIELDS) expect(fail(removeQuestion(base, core)), core).toEqual({ code: 'PROTECTED', reason: 'coreRemove' });
    expect(fail(removeQuestion(base, 'q7'))).toEqual({ code: 'NOT_FOUND' });
    // Put a removed standard question back.
    const gone = removeQuestion(base, 'evidence');
    const back = gone.ok ? addBoundQuestion(gone.value, 'extra', 'evidence') : gone;
    expect(back.ok && ids(back.value).at(-1)).toEqual(['q1', 'q2', 'evidence']);
    expect(fail(addBoundQuestion(base, 'extra', 'evidence'))).toMatchObject({ problems: [{ code: 'duplicateQuestion' }] });
  });

  it('add, rename and remove a step', () => {
    const added = addStep(base, 'date', { titleNl: 'Planning', titleEn: 'Planning', labelNl: 'Eerste bijeenkomst', labelEn: 'First meeting' });
    expect(added.ok && added.value.steps.at(-1)).toEqual({
      id: 'stap-7',
      title: { nl: 'Planning', en: 'Planning' },
      questions: [{ id: 'q5', type: 'date', label: { nl: 'Eerste bijeenkomst', en: 'First meeting' }, required: true }],
    });
    expect(fail(addStep(base, 'date', { labelNl: 'a', labelEn: 'b' }))).toMatchObject({ problems: [{ code: 'stepTitle', field: 'titleNl' }] });
    const renamed = renameStep(base, 'budget', { titleNl: 'Geld', titleEn: 'Money' });
    expect(renamed.ok && renamed.value.steps[3]!.title).toEqual({ nl: 'Geld', en: 'Money' });
    const reset = renamed.ok ? renameStep(renamed.value, 'budget', { titleNl: '', titleEn: '' }) : renamed;
    expect(reset.ok && reset.value.steps[3]!.title).toBeUndefined();
    expect(fail(renameStep(base, 'extra', { titleNl: '', titleEn: '' }))).toMatchObject({ problems: [{ code: 'stepTitle' }] });
    const removed = removeStep(base, 'extra');
    expect(removed.ok && removed.value.steps.map((s) => s.id)).toEqual(DEFAULT_FORM.steps.map((s) => s.id));
    expect(removed.ok && removed.value.version).toBe(5);
    expect(fail(removeStep(base, 'organisation'))).toEqual({ code: 'PROTECTED', reason: 'coreInStep' });
    // The ninth step is refused.
    let f: ApplicationForm = base;
    for (let i = 0; i < 2; i++) {
      const next = addStep(f, 'shortText', { titleNl: `S${i}`, titleEn: `S${i}`, labelNl: 'a', labelEn: 'b' });
      expect(next.ok).toBe(true);
      if (next.ok) f = next.value;
    }
    expect(f.steps).toHaveLength(QUESTION_LIMITS.steps);
    expect(fail(addStep(f, 'shortText', { titleNl: 'S', titleEn: 'S', labelNl: 'a', labelEn: 'b' }))).toMatchObject({ problems: [{ code: 'steps' }] });
  });

  it('parseChoices keeps ids given, makes the others from the Dutch label, refuses a line without both languages', () => {
    expect(parseChoices('ja: Ja | Yes\nNee | No')).toEqual({
      choices: [
        { id: 'ja', label: { nl: 'Ja', en: 'Yes' } },
        { id: 'nee', label: { nl: 'Nee', en: 'No' } },
      ],
    });
    expect(parseChoices('Ja | Yes\nJa | Yes again')).toEqual({
      choices: [
        { id: 'ja', label: { nl: 'Ja', en: 'Yes' } },
        { id: 'ja-2', label: { nl: 'Ja', en: 'Yes again' } },
      ],
    });
    expect(parseChoices('😀 | smile')).toMatchObject({ choices: [{ id: 'c1' }] });
    expect(parseChoices('a | b | c')).toEqual({ error: 'choiceLabel' });
    expect(parseChoices('x: a | b\nx: c | d')).toEqual({ error: 'duplicateChoice' });
  });
});
