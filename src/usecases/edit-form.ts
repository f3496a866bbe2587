import { auditEvent } from '../domain/audit';
import { ApplicationForm, formOf } from '../domain/form';
import { applyFormEdit, editSubject, FormEditError, FormOperation } from '../domain/form-edit';
import { err, ok, Result } from '../domain/result';
import type { Round } from '../domain/round';
import type { Versioned } from '../domain/versioned';
import { adminRound, criteriaFrozen, roundOfYear } from './admin-round';
import type { Deps } from './deps';
import { isAccounthouder } from './roles';

export type FormEditorError = { code: 'FORBIDDEN' } | { code: 'NOT_FOUND' };

export interface FormEditorView {
  round: Versioned<Round>;
  form: ApplicationForm;
  /** A submission exists: the form is shown, not edited. */
  frozen: boolean;
}

/** The round's form for the editor (the current round when none is named); accounthouders only. */
export async function loadFormEditor(
  deps: Deps,
  input: { actorId: string; roundId?: string; year?: number },
): Promise<Result<FormEditorView, FormEditorError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const current = input.year !== undefined ? await roundOfYear(deps, input.year) : await adminRound(deps, input.roundId);
  if (!current) return err({ code: 'NOT_FOUND' });
  return ok({ round: current, form: formOf(current.value), frozen: await criteriaFrozen(deps, current.value) });
}

export type EditFormError =
  | FormEditorError
  /** A submission exists: every applicant answers the same form. Nothing stored. */
  | { code: 'FROZEN'; view: FormEditorView }
  /** The card was drawn from another version of the form (a second press, an old card). Nothing stored. */
  | { code: 'STALE'; view: FormEditorView }
  /** The edit breaks a rule of the form (or names a question the form does not have). Nothing stored. */
  | { code: 'REFUSED'; view: FormEditorView; reason: FormEditError };

/**
 * One edit of a round's form, saved as the next version: accounthouders only, on the version the
 * card was drawn from, and only while the round has no submission — checked again in the same
 * transaction as the write (`whileNoSubmissions`), so a submission at the same moment either came
 * first (FROZEN) or is made on the new version. Audited as `round.formChanged`.
 */
export async function editForm(
  deps: Deps,
  input: { actorId: string; roundId: string; version: number; operation: FormOperation },
): Promise<Result<FormEditorView & { subject: { step?: string; question?: string } }, EditFormError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const current = await deps.repos.rounds.get(input.roundId);
  if (!current) return err({ code: 'NOT_FOUND' });
  const form = formOf(current.value);
  const view = (round: Versioned<Round>, frozen: boolean): FormEditorView => ({ round, form: formOf(round.value), frozen });
  if (await criteriaFrozen(deps, current.value)) return err({ code: 'FROZEN', view: view(current, true) });
  if (form.version !== input.version) return err({ code: 'STALE', view: view(current, false) });
  const edited = applyFormEdit(form, input.operation);
  if (!edited.ok) return err({ code: 'REFUSED', view: view(current, false), reason: edited.error });
  const subject = editSubject(form, edited.value, input.operation);

  const saved = await deps.repos.rounds.update(
    current,
    { ...current.value, form: edited.value },
    auditEvent(current.value.id, input.actorId, 'round.formChanged', current.value.id, deps.clock.now(), {
      op: input.operation.op,
      version: edited.value.version,
      ...(subject.step ? { step: subject.step } : {}),
      ...(subject.question ? { question: subject.question } : {}),
      ...('type' in input.operation ? { type: input.operation.type } : {}),
      ...('direction' in input.operation ? { direction: input.operation.direction } : {}),
    }),
    { whileNoSubmissions: true },
  );
  if (saved.ok) return ok({ ...view(saved.value, false), subject });
  const latest = await deps.repos.rounds.get(input.roundId);
  if (!latest) return err({ code: 'NOT_FOUND' });
  return saved.error.code === 'FROZEN' ? err({ code: 'FROZEN', view: view(latest, true) }) : err({ code: 'STALE', view: view(latest, false) });
}
