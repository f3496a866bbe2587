import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import {
  EditorView,
  formEditorCard,
  formPreviewCard,
  formQuestionCard,
  formRemoveCard,
  QuestionCardView,
  QuestionTarget,
  refusalText,
} from '../../cards/form-cards';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import type { BoundField } from '../../domain/application';
import { isBoundField, QUESTION_ID, QUESTION_LIMITS, QUESTION_TYPES, questionsOf, QuestionType, STEP_ID } from '../../domain/form';
import { FormOperation, isCore, QUESTION_INPUTS, RawQuestion } from '../../domain/form-edit';
import { fill, Lang } from '../../i18n';
import { formEditorMessages } from '../../i18n/form-editor';
import type { Logger } from '../../log';
import type { Deps } from '../../usecases/deps';
import { editForm, FormEditorView, loadFormEditor } from '../../usecases/edit-form';
import { isAccounthouder } from '../../usecases/roles';
import { executor, Handler } from '../core/execute';
import { flag, input, rev, roundId } from '../core/schemas';
import { normaliseCommand, type Turn } from '../core/turn';
import { VERBS } from '../core/verbs';
import { cardForRound, matchWithRound } from '../core/round-arg';
import type { Round } from '../../domain/round';
import { adminRound, criteriaFrozen } from '../../usecases/admin-round';

/**
 * Payloads of the form editor's cards. They name the round, the form version the card was drawn
 * from, and a step or question of that form; who may edit comes from the store.
 */
const NEW = '_new';
const stepId = z.string().regex(STEP_ID);
const stepOrNew = z.union([z.literal(NEW), stepId]);
const questionId = z.string().refine((id) => QUESTION_ID.test(id) || isBoundField(id), 'question');
const questionType = z.enum(QUESTION_TYPES);
/** The add ChoiceSet: a type, or `field:<name>` to put a standard question back. */
const addChoice = z.union([questionType, z.string().regex(/^field:[a-zA-Z]{1,40}$/)]);
const inputShape = Object.fromEntries(QUESTION_INPUTS.map((k) => [k, input(k === 'choices' ? QUESTION_LIMITS.choices * 200 : QUESTION_LIMITS.help)])) as Record<
  (typeof QUESTION_INPUTS)[number],
  ReturnType<typeof input>
>;

const OpenPayload = z.object({ roundId: roundId.optional(), stepId: stepId.optional() });
const PreviewPayload = z.object({ roundId, stepId });
const QuestionPayload = z.object({ roundId, version: rev, questionId });
const NewPayload = z.object({ roundId, version: rev, stepId: stepOrNew, type: addChoice.optional(), stepType: questionType.optional() });
const SavePayload = z.object({
  roundId,
  version: rev,
  stepId: stepOrNew,
  questionId: z.union([z.literal(NEW), questionId]),
  type: questionType,
  ...inputShape,
});
const MovePayload = z.object({ roundId, version: rev, questionId, direction: z.enum(['up', 'down']) });
const RemovePayload = z
  .object({ roundId, version: rev, questionId: questionId.optional(), stepId: stepId.optional(), confirmed: flag.optional() })
  .refine((d) => (d.questionId === undefined) !== (d.stepId === undefined), 'one of questionId, stepId');
const RenamePayload = z.object({ roundId, version: rev, stepId, titleNl: inputShape.titleNl, titleEn: inputShape.titleEn });

function forbidden(lang: Lang): Card {
  const t = formEditorMessages(lang);
  return noticeCard(lang, t.forbiddenTitle, t.forbidden);
}

function notFound(lang: Lang): Card {
  const t = formEditorMessages(lang);
  return noticeCard(lang, t.notFoundTitle, t.notFound);
}

const editor = (lang: Lang, v: FormEditorView, view: EditorView = {}) => formEditorCard(lang, v.round.value, v.form, v.frozen, view);

export interface FormChat {
  cardForText(turn: Turn, text: string): Promise<Card | undefined>;
}

/** `formulier` / `form`, optionally with a round or a year (`formulier LBN-2026`, `formulier 2027`). */
const COMMAND = /^(?:formulier|form|aanvraagformulier|application form)$/;

/** A form can still change on a round without a submission: of several live rounds, those are the ones `formulier` means. */
const openToEdits = async (deps: Deps, round: Round) => !(await criteriaFrozen(deps, round));

/** The accounthouder's form editor in the 1:1 chat. */
export function registerFormRoutes(app: TeamsApp<TurnState>, deps: Deps, log: Logger): FormChat {
  const run = executor(app, log);
  const execute = <S extends z.ZodTypeAny>(verb: string, schema: S, handler: Handler<S>) =>
    run(verb, schema, async (turn, data) => {
      if (await isAccounthouder(deps, turn.userId)) return handler(turn, data);
      log.warn({ verb, code: 'FORBIDDEN' }, 'form editor action refused');
      return forbidden(turn.lang);
    });

  /** The editor as it is now, or why not. */
  async function current(turn: Turn, roundId: string | undefined, view: EditorView = {}): Promise<Card> {
    const res = await loadFormEditor(deps, { ...(roundId ? { roundId } : {}), actorId: turn.userId });
    if (!res.ok) return res.error.code === 'FORBIDDEN' ? forbidden(turn.lang) : notFound(turn.lang);
    return editor(turn.lang, res.value, view);
  }

  /** Runs one edit; the answer is the editor (or, for a refused question, its card with what was typed). */
  async function edit(
    turn: Turn,
    verb: string,
    data: { roundId: string; version: number },
    operation: FormOperation,
    onInvalid?: (v: FormEditorView, view: QuestionCardView) => Card | undefined,
    kept: EditorView = {},
  ): Promise<Card> {
    const t = formEditorMessages(turn.lang);
    const res = await editForm(deps, { actorId: turn.userId, roundId: data.roundId, version: data.version, operation });
    if (res.ok) {
      log.info({ verb, roundId: data.roundId, op: operation.op, version: res.value.form.version }, 'form changed');
      const notice = operation.op === 'removeQuestion' ? t.removed : operation.op === 'removeStep' ? t.stepRemoved : t.saved;
      return editor(turn.lang, res.value, { open: res.value.subject.step, notice: fill(notice, { version: res.value.form.version }) });
    }
    const e = res.error;
    log.info({ verb, roundId: data.roundId, op: operation.op, code: e.code, ...(e.code === 'REFUSED' ? { reason: e.reason.code } : {}) }, 'form not changed');
    switch (e.code) {
      case 'FORBIDDEN':
        return forbidden(turn.lang);
      case 'NOT_FOUND':
        return notFound(turn.lang);
      case 'FROZEN':
        return editor(turn.lang, e.view, { ...kept, notice: t.frozenNow, noticeKind: 'error' });
      case 'STALE':
        return (
          onInvalid?.(e.view, { notice: t.stale, noticeKind: 'error' }) ??
          editor(turn.lang, e.view, { ...kept, notice: t.stale, noticeKind: 'error', open: openStepOf(e.view, operation) })
        );
      case 'REFUSED': {
        if (e.reason.code === 'INVALID') {
          const card = onInvalid?.(e.view, { problems: e.reason.problems });
          if (card) return card;
        }
        const words = refusalText(turn.lang, e.reason, operation.op === 'moveQuestion' ? operation.direction : undefined);
        return editor(turn.lang, e.view, { ...kept, notice: words.notice, noticeKind: 'error', problems: words.problems, open: openStepOf(e.view, operation) });
      }
    }
  }

  execute(VERBS.form.open, OpenPayload, (turn, data) => current(turn, data.roundId, { ...(data.stepId ? { open: data.stepId } : {}) }));

  execute(VERBS.form.preview, PreviewPayload, async (turn, data) => {
    const v = await loadFormEditor(deps, { actorId: turn.userId, roundId: data.roundId });
    if (!v.ok) return v.error.code === 'FORBIDDEN' ? forbidden(turn.lang) : notFound(turn.lang);
    if (!v.value.form.steps.some((s) => s.id === data.stepId))
      return editor(turn.lang, v.value, { notice: formEditorMessages(turn.lang).gone, noticeKind: 'error' });
    return formPreviewCard(turn.lang, v.value.round.value, v.value.form, data.stepId);
  });

  execute(VERBS.form.question, QuestionPayload, async (turn, data) => {
    const t = formEditorMessages(turn.lang);
    const v = await loadFormEditor(deps, { actorId: turn.userId, roundId: data.roundId });
    if (!v.ok) return v.error.code === 'FORBIDDEN' ? forbidden(turn.lang) : notFound(turn.lang);
    if (v.value.frozen) return editor(turn.lang, v.value, { notice: t.frozen, noticeKind: 'error' });
    if (v.value.form.version !== data.version) return editor(turn.lang, v.value, { notice: t.stale, noticeKind: 'error' });
    const found = questionsOf(v.value.form).find((x) => x.question.id === data.questionId);
    if (!found) return editor(turn.lang, v.value, { notice: t.gone, noticeKind: 'error' });
    return formQuestionCard(turn.lang, v.value.round.value, v.value.form, { kind: 'change', step: found.step, question: found.question });
  });

  execute(VERBS.form.new, NewPayload, async (turn, data) => {
    const t = formEditorMessages(turn.lang);
    const v = await loadFormEditor(deps, { actorId: turn.userId, roundId: data.roundId });
    if (!v.ok) return v.error.code === 'FORBIDDEN' ? forbidden(turn.lang) : notFound(turn.lang);
    if (v.value.frozen) return editor(turn.lang, v.value, { notice: t.frozen, noticeKind: 'error' });
    if (v.value.form.version !== data.version) return editor(turn.lang, v.value, { notice: t.stale, noticeKind: 'error' });
    if (data.stepId === NEW) return formQuestionCard(turn.lang, v.value.round.value, v.value.form, { kind: 'newStep', type: data.stepType ?? 'shortText' });
    const step = v.value.form.steps.find((s) => s.id === data.stepId);
    if (!step) return editor(turn.lang, v.value, { notice: t.gone, noticeKind: 'error' });
    const choice = data.type ?? 'shortText';
    if (choice.startsWith('field:')) {
      const field = choice.slice('field:'.length);
      if (!isBoundField(field)) return editor(turn.lang, v.value, { notice: t.gone, noticeKind: 'error', open: step.id });
      return edit(turn, VERBS.form.new, data, { op: 'addBound', stepId: step.id, field: field as BoundField });
    }
    return formQuestionCard(turn.lang, v.value.round.value, v.value.form, { kind: 'add', step, type: choice as QuestionType });
  });

  execute(VERBS.form.save, SavePayload, async (turn, data) => {
    const raw: RawQuestion = Object.fromEntries(QUESTION_INPUTS.flatMap((k) => (data[k] === undefined ? [] : [[k, data[k]]])));
    const operation: FormOperation =
      data.questionId === NEW
        ? data.stepId === NEW
          ? { op: 'addStep', type: data.type, raw }
          : { op: 'addQuestion', stepId: data.stepId, type: data.type, raw }
        : { op: 'changeQuestion', questionId: data.questionId, raw };
    // Refused or stale: the question's card again, drawn from the form as it is now, with what was typed.
    const again = (v: FormEditorView, view: QuestionCardView): Card | undefined => {
      if (v.frozen) return undefined;
      let target: QuestionTarget | undefined;
      if (operation.op === 'addStep') target = { kind: 'newStep', type: data.type };
      else if (operation.op === 'addQuestion') {
        const step = v.form.steps.find((s) => s.id === operation.stepId);
        target = step ? { kind: 'add', step, type: data.type } : undefined;
      } else {
        const found = questionsOf(v.form).find((x) => x.question.id === data.questionId);
        target = found ? { kind: 'change', step: found.step, question: found.question } : undefined;
      }
      return target ? formQuestionCard(turn.lang, v.round.value, v.form, target, { ...view, raw }) : undefined;
    };
    return edit(turn, VERBS.form.save, data, operation, again);
  });

  execute(VERBS.form.move, MovePayload, (turn, data) =>
    edit(turn, VERBS.form.move, data, { op: 'moveQuestion', questionId: data.questionId, direction: data.direction }),
  );

  execute(VERBS.form.rename, RenamePayload, (turn, data) =>
    edit(
      turn,
      VERBS.form.rename,
      data,
      { op: 'renameStep', stepId: data.stepId, raw: { titleNl: data.titleNl ?? '', titleEn: data.titleEn ?? '' } },
      undefined,
      {
        typedTitle: { stepId: data.stepId, nl: data.titleNl ?? '', en: data.titleEn ?? '' },
      },
    ),
  );

  execute(VERBS.form.remove, RemovePayload, async (turn, data) => {
    const operation: FormOperation = data.questionId ? { op: 'removeQuestion', questionId: data.questionId } : { op: 'removeStep', stepId: data.stepId! };
    if (data.confirmed === 'true') return edit(turn, VERBS.form.remove, data, operation);
    // First the confirmation, drawn from the form as it is now (what goes is computed from it).
    const t = formEditorMessages(turn.lang);
    const v = await loadFormEditor(deps, { actorId: turn.userId, roundId: data.roundId });
    if (!v.ok) return v.error.code === 'FORBIDDEN' ? forbidden(turn.lang) : notFound(turn.lang);
    if (v.value.frozen) return editor(turn.lang, v.value, { notice: t.frozen, noticeKind: 'error' });
    if (v.value.form.version !== data.version) return editor(turn.lang, v.value, { notice: t.stale, noticeKind: 'error' });
    const form = v.value.form;
    if (data.questionId) {
      const found = questionsOf(form).find((x) => x.question.id === data.questionId);
      if (!found) return editor(turn.lang, v.value, { notice: t.gone, noticeKind: 'error' });
      if (isCore(found.question.id)) return editor(turn.lang, v.value, { notice: t.coreRemove, noticeKind: 'error', open: found.step.id });
      return formRemoveCard(turn.lang, v.value.round.value, form, { questionId: found.question.id });
    }
    const step = form.steps.find((s) => s.id === data.stepId);
    if (!step) return editor(turn.lang, v.value, { notice: t.gone, noticeKind: 'error' });
    if (step.questions.some((q) => isCore(q.id))) return editor(turn.lang, v.value, { notice: t.coreInStep, noticeKind: 'error', open: step.id });
    return formRemoveCard(turn.lang, v.value.round.value, form, { stepId: step.id });
  });

  return {
    async cardForText(turn, text) {
      if (!turn.personal) return undefined;
      const found = matchWithRound(normaliseCommand(text), COMMAND);
      if (!found) return undefined;
      if (!(await isAccounthouder(deps, turn.userId))) return forbidden(turn.lang);
      return cardForRound(deps, turn.lang, { arg: found.arg, command: 'formulier', fallback: (d) => adminRound(d), relevant: openToEdits }, async (round) => {
        if (!round) return notFound(turn.lang);
        const res = await loadFormEditor(deps, { actorId: turn.userId, roundId: round.value.id });
        if (!res.ok) return res.error.code === 'FORBIDDEN' ? forbidden(turn.lang) : notFound(turn.lang);
        return editor(turn.lang, res.value);
      });
    },
  };
}

/** The step an edit was about, in the form as it is now (the editor opens there). */
function openStepOf(v: FormEditorView, o: FormOperation): string | undefined {
  if ('stepId' in o && v.form.steps.some((s) => s.id === o.stepId)) return o.stepId;
  if ('questionId' in o) return questionsOf(v.form).find((x) => x.question.id === o.questionId)?.step.id;
  return undefined;
}
