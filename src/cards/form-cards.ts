import editorTemplate from '../../cards/form-editor.json';
import questionTemplate from '../../cards/form-question.json';
import removeTemplate from '../../cards/form-remove.json';
import { ATTACHMENT_KINDS } from '../domain/attachments';
import type { Step } from '../domain/application';
import { STEPS } from '../domain/application';
import { ApplicationForm, FormQuestion, FormStep, isBoundField, QUESTION_LIMITS, questionsOf, QuestionType } from '../domain/form';
import {
  choicesText,
  FormEditError,
  FormProblem,
  FormStorageProblem,
  isCore,
  missingBoundFields,
  OWN_TYPES,
  QuestionInput,
  RawQuestion,
  textCeiling,
} from '../domain/form-edit';
import type { Round } from '../domain/round';
import { fill, Lang, messages, plural } from '../i18n';
import { attachmentMessages } from '../i18n/attachments';
import { formEditorMessages } from '../i18n/form-editor';
import { questionInputElements, questionLabel } from './form-inputs';
import previewTemplate from '../../cards/form-preview.json';
import { Card, render, withError } from './render';

/** The form editor's cards (`formulier`): the editor, a question's card, the removal confirmation. */

const COLOR = { info: 'accent', error: 'attention' } as const;
export type NoticeKind = keyof typeof COLOR;

export function stepTitle(lang: Lang, step: FormStep): string {
  if (step.title) return step.title[lang];
  return (STEPS as readonly string[]).includes(step.id) ? messages(lang).steps[step.id as Step].title : step.id;
}

/** A problem in words (the limits it names from the domain's constants). */
export function problemText(lang: Lang, p: FormProblem): string {
  const max =
    p.code === 'steps'
      ? QUESTION_LIMITS.steps
      : p.code === 'questionsPerStep'
        ? QUESTION_LIMITS.questionsPerStep
        : p.code === 'questions'
          ? QUESTION_LIMITS.questions
          : p.code === 'choicesCount'
            ? QUESTION_LIMITS.choices
            : p.code === 'stepAnswers'
              ? QUESTION_LIMITS.stepAnswerChars
              : QUESTION_LIMITS.choiceLabel;
  return fill(formEditorMessages(lang).problems[p.code], { max });
}

function storageText(lang: Lang, p: FormStorageProblem): string {
  const t = formEditorMessages(lang);
  if (p.code === 'tooManyParts') return fill(t.tooLarge, { size: p.parts, limit: p.limit });
  const kb = (n: number) => fill(t.kb, { n: Math.ceil(n / 1024) });
  return fill(p.code === 'formTooLarge' ? t.tooLarge : t.answersTooLarge, { size: kb(p.bytes), limit: kb(p.limit) });
}

/** Why an edit was refused, in words: one notice and the problems as lines. */
export function refusalText(lang: Lang, e: FormEditError, direction?: 'up' | 'down'): { notice: string; problems: string[] } {
  const t = formEditorMessages(lang);
  switch (e.code) {
    case 'NOT_FOUND':
      return { notice: t.gone, problems: [] };
    case 'EDGE':
      return { notice: t.edge[direction ?? 'up'], problems: [] };
    case 'PROTECTED':
      return { notice: t[e.reason], problems: [] };
    case 'TOO_LARGE':
      return { notice: storageText(lang, e.problem), problems: [] };
    case 'INVALID':
      return { notice: t.notSaved, problems: [...new Set(e.problems.map((p) => problemText(lang, p)))] };
  }
}

export interface EditorView {
  /** The step shown with its buttons (its id); the first step when absent or unknown. */
  open?: string;
  notice?: string;
  noticeKind?: NoticeKind;
  problems?: string[];
  /** A step's title as typed when it was not saved (kept on the card). */
  typedTitle?: { stepId: string; nl: string; en: string };
}

/** The editor: every step with its questions (label, type, required); the open step with its buttons. */
export function formEditorCard(lang: Lang, round: Round, form: ApplicationForm, frozen: boolean, view: EditorView = {}): Card {
  const t = formEditorMessages(lang);
  const open = form.steps.some((s) => s.id === view.open) ? view.open : form.steps[0]?.id;
  const all = questionsOf(form);
  const numberOf = new Map(all.map(({ question }, i) => [question.id, i + 1]));
  const base = { roundId: round.id, version: form.version };
  const typeName = (type: QuestionType) => t.types[type];
  const steps = form.steps.map((step, si) => {
    const n = si + 1;
    const isOpen = !frozen && step.id === open;
    const standard = (STEPS as readonly string[]).includes(step.id);
    return {
      heading: fill(t.stepHeading, { n, title: stepTitle(lang, step) }),
      count: plural(lang, step.questions.length, t.questions),
      open: isOpen,
      canOpen: !frozen && !isOpen,
      standard,
      titleNl: view.typedTitle?.stepId === step.id ? view.typedTitle.nl : (step.title?.nl ?? ''),
      titleEn: view.typedTitle?.stepId === step.id ? view.typedTitle.en : (step.title?.en ?? ''),
      canRemove: !step.questions.some((q) => isCore(q.id)) && form.steps.length > 1,
      data: { ...base, stepId: step.id },
      removeData: { ...base, stepId: step.id },
      openData: { roundId: round.id, stepId: step.id },
      t: {
        addType: fill(t.addType, { n }),
        addQuestion: fill(t.addQuestion, { n }),
        titleNl: fill(t.stepTitleNl, { n }),
        titleEn: fill(t.stepTitleEn, { n }),
        rename: fill(t.renameStep, { n }),
        removeStep: fill(t.removeStep, { n }),
        open: fill(t.editStep, { n }),
        preview: fill(t.preview, { n }),
      },
      questions: step.questions.map((q) => {
        const qn = numberOf.get(q.id)!;
        const facts = [typeName(q.type), q.required ? t.required : t.optional, ...(isCore(q.id) ? [t.fixed] : isBoundField(q.id) ? [t.standardQuestion] : [])];
        return {
          line: fill(t.questionLine, { n: qn, label: questionLabel(lang, round, q) }),
          facts: facts.join(' · '),
          editable: isOpen,
          canUp: qn > 1,
          canDown: qn < all.length,
          canRemove: !isCore(q.id),
          data: { ...base, questionId: q.id },
          upData: { ...base, questionId: q.id, direction: 'up' },
          downData: { ...base, questionId: q.id, direction: 'down' },
          t: { edit: fill(t.editQuestion, { n: qn }), up: fill(t.up, { n: qn }), down: fill(t.down, { n: qn }), remove: fill(t.remove, { n: qn }) },
        };
      }),
    };
  });
  const ownChoices = OWN_TYPES.map((type) => ({ title: typeName(type), value: type }));
  const boundChoices = missingBoundFields(form).map((field) => ({
    title: fill(t.standardBack, { label: questionLabel(lang, round, { id: field, type: 'shortText', required: true }) }),
    value: `field:${field}`,
  }));
  return render(editorTemplate, {
    title: fill(t.title, { round: round.name }),
    facts: [fill(t.version, { version: form.version }), plural(lang, form.steps.length, t.steps), plural(lang, all.length, t.questions)].join(' · '),
    notice: view.notice ?? '',
    noticeColor: COLOR[view.noticeKind ?? 'info'],
    problems: (view.problems ?? []).map((line) => ({ line })),
    frozen,
    steps,
    addChoices: [...ownChoices, ...boundChoices],
    ownChoices,
    titleMax: QUESTION_LIMITS.label,
    canAddStep: !frozen && form.steps.length < QUESTION_LIMITS.steps && all.length < QUESTION_LIMITS.questions,
    newStepData: { ...base, stepId: '_new' },
    roundId: round.id,
    t: {
      frozen: t.frozen,
      intro: t.intro,
      addStepType: t.addStepType,
      addStep: t.addStep,
      settings: t.settings,
      stepTitleHelp: t.stepTitleHelp,
    },
  });
}

export interface QuestionCardView {
  raw?: RawQuestion;
  /** Problems by input; the rest go on top. */
  problems?: FormProblem[];
  notice?: string;
  noticeKind?: NoticeKind;
}

/** What the card is for: an existing question, a new one in a step, or a new step with its first question. */
export type QuestionTarget =
  { kind: 'change'; step: FormStep; question: FormQuestion } | { kind: 'add'; step: FormStep; type: QuestionType } | { kind: 'newStep'; type: QuestionType };

const text = (id: QuestionInput, label: string, value: string, maxLength: number, required = false, errorMessage = '') => ({
  kind: 'text',
  id,
  label,
  value,
  maxLength,
  required,
  errorMessage,
});

/** A question's card: labels (nl, en), help texts, required, limits and choices as its type has them. */
export function formQuestionCard(lang: Lang, round: Round, form: ApplicationForm, target: QuestionTarget, view: QuestionCardView = {}): Card {
  const t = formEditorMessages(lang);
  const q: Partial<FormQuestion> & { id: string; type: QuestionType } =
    target.kind === 'change' ? target.question : { id: '_new', type: target.type, required: true };
  const raw: RawQuestion = view.raw ?? {
    labelNl: q.label?.nl ?? '',
    labelEn: q.label?.en ?? '',
    helpNl: q.help?.nl ?? '',
    helpEn: q.help?.en ?? '',
    required: String(q.required ?? true),
    maxLength: q.maxLength === undefined ? '' : String(q.maxLength),
    min: q.min === undefined ? '' : String(q.min),
    max: q.max === undefined ? '' : String(q.max),
    choices: choicesText(q.choices),
    kinds: (q.kinds ?? []).join(','),
  };
  const errors = new Map<string, string>();
  const top: string[] = [];
  for (const p of view.problems ?? []) {
    const line = problemText(lang, p);
    if (p.field && !errors.has(p.field)) errors.set(p.field, line);
    else if (!p.field && !top.includes(line)) top.push(line);
  }
  const bound = isBoundField(q.id);
  const core = isCore(q.id);
  const fields: object[] = [];
  // A required input's label says so; a field's error is in its label too (read with the field).
  const requiredWord = messages(lang).common.required;
  const addField = (f: { id: QuestionInput; label: string } & Record<string, unknown>) => {
    const error = errors.get(f.id) ?? '';
    fields.push({ ...f, error, label: withError(f.required === true ? `${f.label} ${requiredWord}` : f.label, error) });
  };
  const stepNumber = target.kind === 'newStep' ? form.steps.length + 1 : form.steps.findIndex((s) => s.id === target.step.id) + 1;
  if (target.kind === 'newStep') {
    addField(text('titleNl', fill(t.stepTitleNl, { n: stepNumber }), raw.titleNl ?? '', QUESTION_LIMITS.label, true, t.problems.stepTitle));
    addField(text('titleEn', fill(t.stepTitleEn, { n: stepNumber }), raw.titleEn ?? '', QUESTION_LIMITS.label, true, t.problems.stepTitle));
  }
  if (bound)
    fields.push({
      kind: 'note',
      id: 'standard',
      label: fill(t.standardLabel, { standard: questionLabel(lang, round, { id: q.id, type: q.type, required: true }) }),
      error: '',
    });
  addField(text('labelNl', t.labelNl, raw.labelNl ?? '', QUESTION_LIMITS.label, !bound, t.problems.labelRequired));
  addField(text('labelEn', t.labelEn, raw.labelEn ?? '', QUESTION_LIMITS.label, !bound, t.problems.labelRequired));
  addField({ kind: 'multiline', id: 'helpNl', label: t.helpNl, value: raw.helpNl ?? '', maxLength: QUESTION_LIMITS.help });
  addField({ kind: 'multiline', id: 'helpEn', label: t.helpEn, value: raw.helpEn ?? '', maxLength: QUESTION_LIMITS.help });
  if (core) fields.push({ kind: 'note', id: 'requiredNote', label: t.requiredCore, error: errors.get('required') ?? '' });
  else addField({ kind: 'toggle', id: 'required', label: t.requiredLabel, toggleTitle: t.requiredToggle, value: raw.required === 'false' ? 'false' : 'true' });
  const ceiling = textCeiling(q);
  if (ceiling !== undefined) addField({ kind: 'number', id: 'maxLength', label: fill(t.maxLength, { max: ceiling }), value: raw.maxLength ?? '' });
  if ((q.type === 'euros' || q.type === 'number') && !bound) {
    addField({ kind: 'number', id: 'min', label: t.min, value: raw.min ?? '' });
    addField({ kind: 'number', id: 'max', label: t.max, value: raw.max ?? '' });
  }
  if ((q.type === 'choice' || q.type === 'multiChoice') && !bound)
    addField({
      kind: 'multiline',
      id: 'choices',
      label: t.choices,
      value: raw.choices ?? '',
      maxLength: QUESTION_LIMITS.choices * (QUESTION_LIMITS.choiceLabel * 2 + 50),
    });
  if (q.type === 'file') {
    const a = attachmentMessages(lang);
    addField({ kind: 'kinds', id: 'kinds', label: t.kinds, value: raw.kinds ?? '', choices: ATTACHMENT_KINDS.map((k) => ({ title: a.kinds[k], value: k })) });
  }
  const number = target.kind === 'change' ? questionsOf(form).findIndex((x) => x.question.id === q.id) + 1 : 0;
  const title =
    target.kind === 'change'
      ? fill(t.questionTitle, { n: number })
      : target.kind === 'add'
        ? fill(t.newQuestionTitle, { n: stepNumber })
        : fill(t.newStepTitle, { n: stepNumber });
  const stepId = target.kind === 'newStep' ? '_new' : target.step.id;
  return render(questionTemplate, {
    title,
    notice: view.notice ?? (top.length || errors.size ? t.notSaved : ''),
    noticeColor: COLOR[view.noticeKind ?? (top.length || errors.size ? 'error' : 'info')],
    problems: top.map((line) => ({ line })),
    intro: target.kind === 'newStep' ? t.newStepIntro : '',
    typeLine: fill(bound ? t.typeFixed : t.typeLine, { type: t.types[q.type] }),
    fields,
    saveTitle: target.kind === 'newStep' ? t.saveStep : t.save,
    saveData: { roundId: round.id, version: form.version, stepId, questionId: q.id, type: q.type },
    backData: { roundId: round.id, ...(stepId !== '_new' ? { stepId } : {}) },
    t: { back: t.back },
  });
}

/** The confirmation before a question or a step leaves the form (what goes, computed from the form). */
export function formRemoveCard(lang: Lang, round: Round, form: ApplicationForm, target: { questionId: string } | { stepId: string }): Card {
  const t = formEditorMessages(lang);
  const base = { roundId: round.id, version: form.version, confirmed: 'true' };
  if ('questionId' in target) {
    const all = questionsOf(form);
    const i = all.findIndex((x) => x.question.id === target.questionId);
    const found = all[i]!;
    return render(removeTemplate, {
      title: fill(t.removeTitle, { n: i + 1 }),
      text: fill(t.removeText, { label: questionLabel(lang, round, found.question) }),
      confirm: fill(t.removeConfirm, { n: i + 1 }),
      cancel: t.cancel,
      confirmData: { ...base, questionId: target.questionId },
      backData: { roundId: round.id, stepId: found.step.id },
    });
  }
  const s = form.steps.findIndex((x) => x.id === target.stepId);
  const step = form.steps[s]!;
  return render(removeTemplate, {
    title: fill(t.removeStepTitle, { n: s + 1 }),
    text: fill(plural(lang, step.questions.length, t.removeStepText), { title: stepTitle(lang, step) }),
    confirm: fill(t.removeStepConfirm, { n: s + 1 }),
    cancel: t.cancel,
    confirmData: { ...base, stepId: target.stepId },
    backData: { roundId: round.id, stepId: target.stepId },
  });
}

/** A step as the applicant sees it (the same inputs as the step card), without a way to submit. */
export function formPreviewCard(lang: Lang, round: Round, form: ApplicationForm, stepId: string): Card {
  const t = formEditorMessages(lang);
  const s = Math.max(
    0,
    form.steps.findIndex((x) => x.id === stepId),
  );
  const step = form.steps[s]!;
  const data = (i: number) => ({ roundId: round.id, stepId: form.steps[i]?.id ?? step.id });
  const card = render(previewTemplate, {
    title: fill(t.previewTitle, { title: stepTitle(lang, step) }),
    stepLine: fill(t.previewStep, { n: s + 1, of: form.steps.length }),
    intro: t.previewIntro,
    hasPrevious: s > 0,
    previousTitle: fill(t.preview, { n: s }),
    previousData: data(s - 1),
    hasNext: s < form.steps.length - 1,
    nextTitle: fill(t.preview, { n: s + 2 }),
    nextData: data(s + 1),
    back: t.back,
    backData: { roundId: round.id, stepId: step.id },
  });
  (card.body as unknown[]).push({ type: 'Container', items: questionInputElements(lang, round, step, {}) });
  return card;
}
