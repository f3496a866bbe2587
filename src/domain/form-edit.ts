import type { BoundField } from './application';
import { STEPS } from './application';
import { ATTACHMENT_KINDS, type AttachmentKind } from './attachments';
import {
  ApplicationForm,
  BOUND_TYPES,
  CHOICE_ID,
  CORE_FIELDS,
  FormQuestion,
  FormStep,
  isBoundField,
  LocalText,
  QUESTION_ID,
  QUESTION_LIMITS,
  QUESTION_TYPES,
  QuestionChoice,
  questionsOf,
  QuestionType,
  STEP_ID,
  stepAnswerChars,
} from './form';
import { err, ok, Result } from './result';
import { readText } from './text';
import { LIMITS } from './validation';

/**
 * The accounthouder's edits of a round's form, without I/O: the rules a form definition keeps
 * (`validateForm`, one reason code per problem), the edit operations (each returns the next form
 * with `version` raised, or why not) and `formStorageCheck` (the round row with this form, and an
 * application at this form's maxima, fit Table Storage).
 */

/** Why a form definition is refused; `at` says where (a step, a question, one of its fields). */
export type FormProblemCode =
  | 'version'
  | 'steps'
  | 'stepId'
  | 'duplicateStep'
  | 'emptyStep'
  | 'stepTitle'
  | 'questionsPerStep'
  | 'questions'
  | 'questionId'
  | 'duplicateQuestion'
  | 'unknownType'
  | 'boundType'
  | 'typeBoundOnly'
  | 'coreMissing'
  | 'coreOptional'
  | 'labelRequired'
  | 'bothLanguages'
  | 'tooLong'
  | 'controlCharacters'
  | 'notForType'
  | 'maxLength'
  | 'wholeNumber'
  | 'range'
  | 'choicesCount'
  | 'choiceId'
  | 'duplicateChoice'
  | 'choiceLabel'
  | 'boundChoices'
  | 'kinds'
  /** The round's own text answers of one step may be at most `QUESTION_LIMITS.stepAnswerChars` together (the step card shows them whole). */
  | 'stepAnswers';

/** The inputs of one question (and a new step's title) on the question card. */
export const QUESTION_INPUTS = [
  'labelNl',
  'labelEn',
  'helpNl',
  'helpEn',
  'required',
  'maxLength',
  'min',
  'max',
  'choices',
  'kinds',
  'titleNl',
  'titleEn',
] as const;
export type QuestionInput = (typeof QUESTION_INPUTS)[number];

export interface FormProblem {
  code: FormProblemCode;
  step?: string;
  question?: string;
  field?: QuestionInput;
}

/** Types that exist only as their bound field (wijk, organisation, co-applicants, the budget lines). */
const BOUND_ONLY: readonly QuestionType[] = ['wijk', 'organisation', 'coApplicants', 'budgetLines'];
/** Types an own (`q<n>`) question may have. */
export const OWN_TYPES: readonly QuestionType[] = QUESTION_TYPES.filter((t) => !BOUND_ONLY.includes(t));
const TEXT_TYPES: readonly QuestionType[] = ['shortText', 'longText'];
const RANGE_TYPES: readonly QuestionType[] = ['euros', 'number'];
const CHOICE_TYPES: readonly QuestionType[] = ['choice', 'multiChoice'];
/** Whole numbers a range may name (euros and counts). */
export const RANGE_LIMIT = 1_000_000_000;

export const isCore = (id: string): boolean => (CORE_FIELDS as readonly string[]).includes(id);
const typeCeiling = (type: QuestionType): number | undefined =>
  type === 'shortText' ? QUESTION_LIMITS.shortText : type === 'longText' ? QUESTION_LIMITS.longText : undefined;
/** The field limits of the bound text questions (their answers are checked by the field's own rule too). */
const BOUND_TEXT_LIMITS: Partial<Record<BoundField, number>> = {
  organisation: LIMITS.short,
  title: LIMITS.short,
  contactName: LIMITS.name,
  question: LIMITS.long,
  approach: LIMITS.approach,
  livedExperience: LIMITS.long,
  budgetBreakdown: LIMITS.long,
  expectedResults: LIMITS.long,
  evidence: LIMITS.long,
};
/** The most a question's `maxLength` may be: its type's ceiling, for a bound question its field's limit. */
export function textCeiling(q: Pick<FormQuestion, 'id' | 'type'>): number | undefined {
  const ceiling = typeCeiling(q.type);
  if (ceiling === undefined) return undefined;
  return isBoundField(q.id) ? Math.min(ceiling, BOUND_TEXT_LIMITS[q.id] ?? ceiling) : ceiling;
}

/** A stored text must read back as itself: trimmed, not blank, within `max`, no control characters. */
function textProblem(value: string, max: number): FormProblemCode | undefined {
  const t = readText(value, max);
  if (t.error) return t.error;
  if (t.value === '') return 'labelRequired';
  return t.value === value ? undefined : 'controlCharacters';
}

function localTextProblems(
  text: LocalText | undefined,
  max: number,
  required: boolean,
  where: Omit<FormProblem, 'code'>,
  fields: [QuestionInput, QuestionInput],
): FormProblem[] {
  if (!text) return required ? [{ code: 'labelRequired', ...where, field: fields[0] }] : [];
  return (['nl', 'en'] as const).flatMap((lang, i) => {
    const code = textProblem(String(text[lang] ?? ''), max);
    return code ? [{ code: code === 'labelRequired' && !required ? 'bothLanguages' : code, ...where, field: fields[i]! }] : [];
  });
}

function questionProblems(q: FormQuestion, step: string): FormProblem[] {
  const at = { step, question: q.id };
  const out: FormProblem[] = [];
  const bound = isBoundField(q.id);
  if (!bound && !QUESTION_ID.test(q.id)) out.push({ code: 'questionId', ...at });
  if (!(QUESTION_TYPES as readonly string[]).includes(q.type)) return [...out, { code: 'unknownType', ...at }];
  if (bound && BOUND_TYPES[q.id as BoundField] !== q.type) out.push({ code: 'boundType', ...at });
  if (!bound && BOUND_ONLY.includes(q.type)) out.push({ code: 'typeBoundOnly', ...at });
  if (isCore(q.id) && !q.required) out.push({ code: 'coreOptional', ...at, field: 'required' });
  out.push(...localTextProblems(q.label, QUESTION_LIMITS.label, !bound, at, ['labelNl', 'labelEn']));
  out.push(...localTextProblems(q.help, QUESTION_LIMITS.help, false, at, ['helpNl', 'helpEn']));
  const ceiling = textCeiling(q);
  if (q.maxLength !== undefined) {
    if (ceiling === undefined) out.push({ code: 'notForType', ...at, field: 'maxLength' });
    else if (!Number.isSafeInteger(q.maxLength) || q.maxLength < 1 || q.maxLength > ceiling) out.push({ code: 'maxLength', ...at, field: 'maxLength' });
  }
  for (const end of ['min', 'max'] as const) {
    const v = q[end];
    if (v === undefined) continue;
    // A bound amount's range is the round's (1 to its maximum per application).
    if (!RANGE_TYPES.includes(q.type) || bound) out.push({ code: 'notForType', ...at, field: end });
    else if (!Number.isSafeInteger(v) || Math.abs(v) > RANGE_LIMIT || (q.type === 'euros' && v < 0)) out.push({ code: 'wholeNumber', ...at, field: end });
  }
  if (q.min !== undefined && q.max !== undefined && q.min > q.max) out.push({ code: 'range', ...at, field: 'max' });
  if (CHOICE_TYPES.includes(q.type)) {
    if (bound) {
      if (q.choices !== undefined) out.push({ code: 'boundChoices', ...at, field: 'choices' });
    } else out.push(...choiceProblems(q.choices, at));
  } else if (q.choices !== undefined) out.push({ code: 'notForType', ...at, field: 'choices' });
  if (q.kinds !== undefined) {
    if (q.type !== 'file') out.push({ code: 'notForType', ...at, field: 'kinds' });
    else if (!q.kinds.length || new Set(q.kinds).size !== q.kinds.length || q.kinds.some((k) => !(ATTACHMENT_KINDS as readonly string[]).includes(k)))
      out.push({ code: 'kinds', ...at, field: 'kinds' });
  }
  return out;
}

function choiceProblems(choices: QuestionChoice[] | undefined, at: { step: string; question: string }): FormProblem[] {
  const list = choices ?? [];
  const out: FormProblem[] = [];
  if (list.length < 2 || list.length > QUESTION_LIMITS.choices) out.push({ code: 'choicesCount', ...at, field: 'choices' });
  const seen = new Set<string>();
  for (const c of list) {
    if (!CHOICE_ID.test(c.id)) out.push({ code: 'choiceId', ...at, field: 'choices' });
    else if (seen.has(c.id)) out.push({ code: 'duplicateChoice', ...at, field: 'choices' });
    seen.add(c.id);
    // One choice is one line on the question card: no line break inside it, nor the | between the languages.
    if ((['nl', 'en'] as const).some((l) => textProblem(String(c.label?.[l] ?? ''), QUESTION_LIMITS.choiceLabel) || /[\n|]/.test(String(c.label?.[l] ?? ''))))
      out.push({ code: 'choiceLabel', ...at, field: 'choices' });
  }
  // One problem of a kind per question is enough to say what to fix.
  return out.filter((p, i) => out.findIndex((o) => o.code === p.code) === i);
}

/** Every rule of a form definition; an empty list means the form may be stored. */
export function validateForm(form: ApplicationForm): FormProblem[] {
  const out: FormProblem[] = [];
  if (!Number.isSafeInteger(form.version) || form.version < 1) out.push({ code: 'version' });
  if (form.steps.length < 1 || form.steps.length > QUESTION_LIMITS.steps) out.push({ code: 'steps' });
  const stepIds = new Set<string>();
  const questionIds = new Set<string>();
  for (const step of form.steps) {
    if (!STEP_ID.test(step.id)) out.push({ code: 'stepId', step: step.id });
    else if (stepIds.has(step.id)) out.push({ code: 'duplicateStep', step: step.id });
    stepIds.add(step.id);
    const standard = (STEPS as readonly string[]).includes(step.id);
    out.push(
      ...localTextProblems(step.title, QUESTION_LIMITS.label, !standard, { step: step.id }, ['titleNl', 'titleEn']).map((p) => ({
        ...p,
        code: p.code === 'labelRequired' ? ('stepTitle' as const) : p.code,
      })),
    );
    if (!step.questions.length) out.push({ code: 'emptyStep', step: step.id });
    if (step.questions.length > QUESTION_LIMITS.questionsPerStep) out.push({ code: 'questionsPerStep', step: step.id });
    if (stepAnswerChars(step) > QUESTION_LIMITS.stepAnswerChars) out.push({ code: 'stepAnswers', step: step.id });
    for (const q of step.questions) {
      if (questionIds.has(q.id)) out.push({ code: 'duplicateQuestion', step: step.id, question: q.id });
      questionIds.add(q.id);
      out.push(...questionProblems(q, step.id));
    }
  }
  if (questionsOf(form).length > QUESTION_LIMITS.questions) out.push({ code: 'questions' });
  for (const core of CORE_FIELDS) if (!questionIds.has(core)) out.push({ code: 'coreMissing', question: core });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Storage: the same arithmetic as store/limits.ts (Azure's entity size), which domain may not import.

/** Azure Table Storage's limits as `store/limits.ts` has them (a test keeps the two the same). */
export const FORM_STORAGE = {
  entityBytes: 1024 * 1024,
  propertyChars: 32 * 1024,
  jsonPartChars: 32_000,
  properties: 252,
  /** What the round row's other properties may take at most (criteria, wijken, routing, settings). */
  roundReserveBytes: 256 * 1024,
  /** What an application row needs besides the answers (decision, review result, results report, links). */
  applicationReserveBytes: 384 * 1024,
} as const;

/** Bytes Azure counts for a JSON value written by `jsonProps` under `name` (its parts `name`, `name_1`, …). */
export function jsonPropBytes(name: string, chars: number): number {
  const parts = Math.max(1, Math.ceil(chars / FORM_STORAGE.jsonPartChars));
  let bytes = 0;
  for (let n = 0; n < parts; n++) {
    const prop = n === 0 ? name : `${name}_${n}`;
    bytes += 8 + 2 * prop.length + 4 + 2 * Math.min(FORM_STORAGE.jsonPartChars, chars - n * FORM_STORAGE.jsonPartChars);
  }
  return bytes;
}

/** The most characters an answer to a question can take in JSON (every character escaped). */
function answerChars(q: FormQuestion): number {
  const ceiling = textCeiling(q);
  if (ceiling !== undefined) return 2 * (q.maxLength ?? ceiling) + q.id.length + 6;
  if (q.type === 'multiChoice') return (q.choices?.length ?? 3) * (40 + 3) + q.id.length + 6;
  // Numbers, dates, e-mail, phone, one choice: short; the bound texts are within their own limits.
  return 2 * 400 + q.id.length + 6;
}

export type FormStorageProblem =
  | { code: 'formTooLarge'; bytes: number; limit: number }
  | { code: 'answersTooLarge'; bytes: number; limit: number }
  | { code: 'tooManyParts'; parts: number; limit: number };

/**
 * Whether the form can be stored: its JSON on the round row within what the row leaves it, and an
 * application answering every question at its maximum within an application row. Refused while
 * editing, with the reason, so a form that cannot be stored is never saved.
 */
export function formStorageCheck(form: ApplicationForm): Result<{ formBytes: number; answerBytes: number }, FormStorageProblem> {
  const chars = JSON.stringify(form).length;
  const formBytes = jsonPropBytes('formJson', chars);
  const formLimit = FORM_STORAGE.entityBytes - FORM_STORAGE.roundReserveBytes;
  const parts = Math.ceil(chars / FORM_STORAGE.jsonPartChars);
  if (parts > 16) return err({ code: 'tooManyParts', parts, limit: 16 });
  if (formBytes > formLimit) return err({ code: 'formTooLarge', bytes: formBytes, limit: formLimit });
  const answerBytes = jsonPropBytes(
    'fieldsJson',
    questionsOf(form).reduce((sum, { question }) => sum + answerChars(question), 2),
  );
  const answerLimit = FORM_STORAGE.entityBytes - FORM_STORAGE.applicationReserveBytes;
  if (answerBytes > answerLimit) return err({ code: 'answersTooLarge', bytes: answerBytes, limit: answerLimit });
  return ok({ formBytes, answerBytes });
}

// ---------------------------------------------------------------------------------------------
// Edit operations. Each checks the whole next form (`validateForm`, `formStorageCheck`).

export type FormEditError =
  /** The step or question the card names is not in the form (an old or altered card). */
  | { code: 'NOT_FOUND' }
  /** Core questions cannot be removed, nor a step holding one; a bound question keeps its type. */
  | { code: 'PROTECTED'; reason: 'coreRemove' | 'coreInStep' }
  /** Up from the very first question, or down from the very last. */
  | { code: 'EDGE' }
  | { code: 'INVALID'; problems: FormProblem[] }
  | { code: 'TOO_LARGE'; problem: FormStorageProblem };

export type FormEdit = Result<ApplicationForm, FormEditError>;

/** The question card's typed values (everything text, as Teams sends it). */
export type RawQuestion = Partial<Record<QuestionInput, string>>;

function checked(next: ApplicationForm): FormEdit {
  const problems = validateForm(next);
  if (problems.length) return err({ code: 'INVALID', problems });
  const stored = formStorageCheck(next);
  return stored.ok ? ok(next) : err({ code: 'TOO_LARGE', problem: stored.error });
}

const raised = (form: ApplicationForm, steps: FormStep[]): ApplicationForm => ({ version: form.version + 1, steps });

function locate(form: ApplicationForm, questionId: string): { s: number; q: number } | undefined {
  for (let s = 0; s < form.steps.length; s++) {
    const q = form.steps[s]!.questions.findIndex((x) => x.id === questionId);
    if (q >= 0) return { s, q };
  }
  return undefined;
}

/**
 * The next free own id: `q<version + 1>` (above every `q<n>` the form has). A removed question's
 * id is never given again, so an answer in a draft saved before the removal is never read as the
 * answer to another question: each edit raises the version and adds at most one question, so every
 * id made so far is at most the current version.
 */
export function nextQuestionId(form: ApplicationForm): string {
  const ns = questionsOf(form).flatMap(({ question }) => (QUESTION_ID.test(question.id) ? [Number(question.id.slice(1))] : []));
  return `q${Math.max(form.version, ...ns) + 1}`;
}

/** A lower-case id for a choice from its label (`Eén keer per week` → `een-keer-per-week`). */
function choiceIdFrom(label: string, taken: Set<string>, n: number): string {
  const base =
    label
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 36)
      .replace(/-+$/, '') || `c${n}`;
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  return id;
}

/** The choices typed one per line, `label nl | label en`, optionally `id: label nl | label en`. */
export function parseChoices(raw: string): { choices: QuestionChoice[]; error?: undefined } | { error: FormProblemCode } {
  const lines = raw
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const taken = new Set<string>();
  const choices: QuestionChoice[] = [];
  for (const [i, line] of lines.entries()) {
    const m = /^([a-z0-9-]{1,40}):\s*(.*)$/.exec(line);
    const text = m ? m[2]! : line;
    const [nl, en, ...rest] = text.split('|').map((s) => s.trim());
    if (rest.length || !nl || !en) return { error: 'choiceLabel' };
    const id = m ? m[1]! : choiceIdFrom(nl, taken, i + 1);
    if (taken.has(id)) return { error: 'duplicateChoice' };
    taken.add(id);
    choices.push({ id, label: { nl, en } });
  }
  return { choices };
}

/** The choices as the card shows them to be edited. */
export const choicesText = (choices: QuestionChoice[] | undefined): string => (choices ?? []).map((c) => `${c.id}: ${c.label.nl} | ${c.label.en}`).join('\n');

function typedText(raw: string | undefined, max: number): { value?: string; error?: FormProblemCode } {
  const t = readText(raw, max);
  return t.error ? { error: t.error } : t.value ? { value: t.value } : {};
}

function typedLocal(
  nlRaw: string | undefined,
  enRaw: string | undefined,
  max: number,
  fields: [QuestionInput, QuestionInput],
  problems: FormProblem[],
  at: Omit<FormProblem, 'code'>,
): LocalText | undefined {
  const nl = typedText(nlRaw, max);
  const en = typedText(enRaw, max);
  if (nl.error) problems.push({ code: nl.error, ...at, field: fields[0] });
  if (en.error) problems.push({ code: en.error, ...at, field: fields[1] });
  if (nl.error || en.error) return undefined;
  if (!nl.value && !en.value) return undefined;
  if (!nl.value || !en.value) {
    problems.push({ code: 'bothLanguages', ...at, field: nl.value ? fields[1] : fields[0] });
    return undefined;
  }
  return { nl: nl.value, en: en.value };
}

function typedWhole(raw: string | undefined, field: QuestionInput, problems: FormProblem[], at: Omit<FormProblem, 'code'>): number | undefined {
  const s = (raw ?? '').replace(/[\s.]/g, '').replace(/^€/, '');
  if (s === '') return undefined;
  if (!/^-?\d{1,10}$/.test(s)) {
    problems.push({ code: 'wholeNumber', ...at, field });
    return undefined;
  }
  return Number(s);
}

/** The question as typed on its card, over the one it replaces (id and type stay). */
export function questionFromInput(
  base: Pick<FormQuestion, 'id' | 'type'> & Partial<FormQuestion>,
  raw: RawQuestion,
  step: string,
): Result<FormQuestion, FormProblem[]> {
  const at = { step, question: base.id };
  const problems: FormProblem[] = [];
  const label = typedLocal(raw.labelNl, raw.labelEn, QUESTION_LIMITS.label, ['labelNl', 'labelEn'], problems, at);
  const help = typedLocal(raw.helpNl, raw.helpEn, QUESTION_LIMITS.help, ['helpNl', 'helpEn'], problems, at);
  const q: FormQuestion = { id: base.id, type: base.type, required: raw.required === undefined ? (base.required ?? true) : raw.required === 'true' };
  if (label) q.label = label;
  else if (!isBoundField(base.id) && !problems.some((p) => p.field === 'labelNl' || p.field === 'labelEn'))
    problems.push({ code: 'labelRequired', ...at, field: 'labelNl' });
  if (help) q.help = help;
  if (textCeiling(base) !== undefined) {
    const n = typedWhole(raw.maxLength, 'maxLength', problems, at);
    if (n !== undefined) q.maxLength = n;
  }
  if (RANGE_TYPES.includes(base.type) && !isBoundField(base.id)) {
    const min = typedWhole(raw.min, 'min', problems, at);
    const max = typedWhole(raw.max, 'max', problems, at);
    if (min !== undefined) q.min = min;
    if (max !== undefined) q.max = max;
  }
  if (CHOICE_TYPES.includes(base.type) && !isBoundField(base.id)) {
    const parsed = parseChoices(raw.choices ?? '');
    if (parsed.error) problems.push({ code: parsed.error, ...at, field: 'choices' });
    else q.choices = parsed.choices;
  }
  if (base.type === 'file') {
    const kinds = (raw.kinds ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    if (kinds.some((k) => !(ATTACHMENT_KINDS as readonly string[]).includes(k))) problems.push({ code: 'kinds', ...at, field: 'kinds' });
    else if (kinds.length) q.kinds = [...new Set(kinds)] as AttachmentKind[];
  }
  // Every problem at once, so one try shows all that is to fix (a field's typing problem first).
  const labelTyped = problems.some((p) => p.field === 'labelNl' || p.field === 'labelEn');
  const own = questionProblems(q, step).filter((p) => !(p.field && problems.some((x) => x.field === p.field)) && !(p.code === 'labelRequired' && labelTyped));
  const all = [...problems, ...own];
  return all.length ? err(all) : ok(q);
}

/** Adds an own question of `type` at the end of a step, with what was typed on its card. */
export function addQuestion(form: ApplicationForm, stepId: string, type: QuestionType, raw: RawQuestion): FormEdit {
  const s = form.steps.findIndex((x) => x.id === stepId);
  if (s < 0) return err({ code: 'NOT_FOUND' });
  if (!OWN_TYPES.includes(type)) return err({ code: 'INVALID', problems: [{ code: 'typeBoundOnly', step: stepId }] });
  const q = questionFromInput({ id: nextQuestionId(form), type, required: true }, raw, stepId);
  if (!q.ok) return err({ code: 'INVALID', problems: q.error });
  return checked(
    raised(
      form,
      form.steps.map((step, i) => (i === s ? { ...step, questions: [...step.questions, q.value] } : step)),
    ),
  );
}

/** Adds back a standard (bound) question the form does not have, at the end of a step. */
export function addBoundQuestion(form: ApplicationForm, stepId: string, field: BoundField): FormEdit {
  const s = form.steps.findIndex((x) => x.id === stepId);
  if (s < 0 || !isBoundField(field)) return err({ code: 'NOT_FOUND' });
  const q: FormQuestion = { id: field, type: BOUND_TYPES[field], required: true };
  return checked(
    raised(
      form,
      form.steps.map((step, i) => (i === s ? { ...step, questions: [...step.questions, q] } : step)),
    ),
  );
}

/** Standard questions the form does not have (they can be added back). */
export function missingBoundFields(form: ApplicationForm): BoundField[] {
  const have = new Set(questionsOf(form).map(({ question }) => question.id));
  return (Object.keys(BOUND_TYPES) as BoundField[]).filter((f) => !have.has(f));
}

/** Changes one question's labels, help, required, limits or choices; its id and type stay. */
export function changeQuestion(form: ApplicationForm, questionId: string, raw: RawQuestion): FormEdit {
  const at = locate(form, questionId);
  if (!at) return err({ code: 'NOT_FOUND' });
  const step = form.steps[at.s]!;
  const current = step.questions[at.q]!;
  const q = questionFromInput(current, raw, step.id);
  if (!q.ok) return err({ code: 'INVALID', problems: q.error });
  return checked(
    raised(
      form,
      form.steps.map((st, i) => (i === at.s ? { ...st, questions: st.questions.map((x, j) => (j === at.q ? q.value : x)) } : st)),
    ),
  );
}

/** Moves a question one place; from the top of a step up to the end of the step before, from the bottom down to the start of the next. */
export function moveQuestion(form: ApplicationForm, questionId: string, direction: 'up' | 'down'): FormEdit {
  const at = locate(form, questionId);
  if (!at) return err({ code: 'NOT_FOUND' });
  const steps = form.steps.map((s) => ({ ...s, questions: [...s.questions] }));
  const from = steps[at.s]!.questions;
  const [q] = from.splice(at.q, 1);
  if (direction === 'up') {
    if (at.q > 0) from.splice(at.q - 1, 0, q!);
    else if (at.s > 0) steps[at.s - 1]!.questions.push(q!);
    else return err({ code: 'EDGE' });
  } else if (at.q < from.length) from.splice(at.q + 1, 0, q!);
  else if (at.s < steps.length - 1) steps[at.s + 1]!.questions.unshift(q!);
  else return err({ code: 'EDGE' });
  return checked(raised(form, steps));
}

export function removeQuestion(form: ApplicationForm, questionId: string): FormEdit {
  const at = locate(form, questionId);
  if (!at) return err({ code: 'NOT_FOUND' });
  if (isCore(questionId)) return err({ code: 'PROTECTED', reason: 'coreRemove' });
  return checked(
    raised(
      form,
      form.steps.map((s, i) => (i === at.s ? { ...s, questions: s.questions.filter((q) => q.id !== questionId) } : s)),
    ),
  );
}

/** The next free step id (`stap-<n>`). */
export function nextStepId(form: ApplicationForm): string {
  const ids = new Set(form.steps.map((s) => s.id));
  let n = form.steps.length + 1;
  while (ids.has(`stap-${n}`)) n++;
  return `stap-${n}`;
}

/** Adds a step at the end with its title and a first own question of `type` (a step is never empty). */
export function addStep(form: ApplicationForm, type: QuestionType, raw: RawQuestion): FormEdit {
  const id = nextStepId(form);
  const problems: FormProblem[] = [];
  const title = typedLocal(raw.titleNl, raw.titleEn, QUESTION_LIMITS.label, ['titleNl', 'titleEn'], problems, { step: id });
  if (!title && !problems.length) problems.push({ code: 'stepTitle', step: id, field: 'titleNl' });
  if (!OWN_TYPES.includes(type)) problems.push({ code: 'typeBoundOnly', step: id });
  const q = questionFromInput({ id: nextQuestionId(form), type, required: true }, raw, id);
  if (!q.ok) problems.push(...q.error);
  if (problems.length || !q.ok) return err({ code: 'INVALID', problems });
  return checked(raised(form, [...form.steps, { id, title: title!, questions: [q.value] }]));
}

/** A step's title; a standard step with both texts empty gets its standard title back. */
export function renameStep(form: ApplicationForm, stepId: string, raw: RawQuestion): FormEdit {
  const s = form.steps.findIndex((x) => x.id === stepId);
  if (s < 0) return err({ code: 'NOT_FOUND' });
  const problems: FormProblem[] = [];
  const title = typedLocal(raw.titleNl, raw.titleEn, QUESTION_LIMITS.label, ['titleNl', 'titleEn'], problems, { step: stepId });
  if (problems.length) return err({ code: 'INVALID', problems });
  const { title: _old, ...rest } = form.steps[s]!;
  void _old;
  return checked(
    raised(
      form,
      form.steps.map((st, i) => (i === s ? { ...rest, ...(title ? { title } : {}) } : st)),
    ),
  );
}

/** Removes a step and its questions; refused while it holds a core question (move that first). */
export function removeStep(form: ApplicationForm, stepId: string): FormEdit {
  const step = form.steps.find((x) => x.id === stepId);
  if (!step) return err({ code: 'NOT_FOUND' });
  if (step.questions.some((q) => isCore(q.id))) return err({ code: 'PROTECTED', reason: 'coreInStep' });
  return checked(
    raised(
      form,
      form.steps.filter((x) => x.id !== stepId),
    ),
  );
}

/** One edit as the use case receives it. */
export type FormOperation =
  | { op: 'addQuestion'; stepId: string; type: QuestionType; raw: RawQuestion }
  | { op: 'addBound'; stepId: string; field: BoundField }
  | { op: 'changeQuestion'; questionId: string; raw: RawQuestion }
  | { op: 'moveQuestion'; questionId: string; direction: 'up' | 'down' }
  | { op: 'removeQuestion'; questionId: string }
  | { op: 'addStep'; type: QuestionType; raw: RawQuestion }
  | { op: 'renameStep'; stepId: string; raw: RawQuestion }
  | { op: 'removeStep'; stepId: string };

export function applyFormEdit(form: ApplicationForm, o: FormOperation): FormEdit {
  switch (o.op) {
    case 'addQuestion':
      return addQuestion(form, o.stepId, o.type, o.raw);
    case 'addBound':
      return addBoundQuestion(form, o.stepId, o.field);
    case 'changeQuestion':
      return changeQuestion(form, o.questionId, o.raw);
    case 'moveQuestion':
      return moveQuestion(form, o.questionId, o.direction);
    case 'removeQuestion':
      return removeQuestion(form, o.questionId);
    case 'addStep':
      return addStep(form, o.type, o.raw);
    case 'renameStep':
      return renameStep(form, o.stepId, o.raw);
    case 'removeStep':
      return removeStep(form, o.stepId);
  }
}

/** The step and question the new form has for an operation (the audit and the next card name them). */
export function editSubject(before: ApplicationForm, after: ApplicationForm, o: FormOperation): { step?: string; question?: string } {
  switch (o.op) {
    case 'addQuestion':
      return { step: o.stepId, question: nextQuestionId(before) };
    case 'addBound':
      return { step: o.stepId, question: o.field };
    case 'addStep':
      return { step: after.steps[after.steps.length - 1]!.id, question: nextQuestionId(before) };
    case 'renameStep':
    case 'removeStep':
      return { step: o.stepId };
    default: {
      const at = locate(after, o.questionId) ?? locate(before, o.questionId);
      const form = locate(after, o.questionId) ? after : before;
      return { step: at ? form.steps[at.s]!.id : undefined, question: o.questionId };
    }
  }
}
