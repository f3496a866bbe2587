import { Application, nextPosition, Position, previousPosition, stepIdsOf, withStep } from '../domain/application';
import { auditEvent } from '../domain/audit';
import { err, ok, Result } from '../domain/result';
import { FieldErrors, formStepOf, RawInput, validateStep } from '../domain/validation';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';
import { loadOwnApplication } from './load-own-application';

/**
 * Where to go after saving: on, back, to the summary (after an edit), or stay (continue later; or
 * _Regel toevoegen_ on the budget step, which keeps the draft where it was).
 */
export type Direction = 'next' | 'back' | 'summary' | 'later' | 'addLine';

export type SaveStepError =
  | { code: 'NOT_FOUND' }
  /** The step is not in the round's form (an old card of a form that changed): the current card is shown. */
  | { code: 'NO_STEP'; application: Application }
  | { code: 'NOT_DRAFT'; application: Application }
  /** The card was drawn from an older revision (a second click, a re-sent activity, an old card). */
  | { code: 'STALE'; application: Application }
  | { code: 'INVALID'; application: Application; errors: FieldErrors };

/**
 * Saves one step of a draft and moves it on. Going back or stopping for later keeps what was
 * typed if it is valid so far (required fields may still be empty); going forward needs the step
 * complete. An invalid
 * step stores nothing.
 */
export async function saveStep(
  deps: Deps,
  input: { applicantId: string; roundId: string; applicationId: string; step: string; rev: number; raw: RawInput; direction: Direction },
): Promise<Result<Versioned<Application>, SaveStepError>> {
  const current = await loadOwnApplication(deps, input.applicantId, input.roundId, input.applicationId);
  if (!current) return err({ code: 'NOT_FOUND' });
  const app = current.value;
  if (app.status !== 'draft') return err({ code: 'NOT_DRAFT', application: app });
  if (app.rev !== input.rev) return err({ code: 'STALE', application: app });

  const round = await deps.repos.rounds.get(app.roundId);
  if (!round) return err({ code: 'NOT_FOUND' });
  const formStep = formStepOf(round.value, input.step);
  if (!formStep) return err({ code: 'NO_STEP', application: app });
  const partial = input.direction === 'back' || input.direction === 'later' || input.direction === 'addLine';
  const validated = validateStep(formStep, input.raw, round.value, partial ? 'partial' : 'complete');
  if (!validated.ok) return err({ code: 'INVALID', application: app, errors: validated.error });

  const to: Position = {
    next: nextPosition(input.step, stepIdsOf(round.value)),
    back: previousPosition(input.step, stepIdsOf(round.value)),
    summary: 'summary' as const,
    later: input.step,
    addLine: app.position,
  }[input.direction];
  const now = deps.clock.now();
  // An attachment added or removed at the same moment changes the row's ETag but not its
  // revision: the typed step is then saved on the row as it is now (a few tries), never lost.
  let row = current;
  for (let attempt = 0; attempt < 3; attempt++) {
    const next = withStep(row.value, validated.value, to, now);
    const saved = await deps.repos.applications.update(
      row,
      next,
      auditEvent(app.roundId, input.applicantId, 'application.step-saved', app.id, now, { step: input.step, rev: next.rev }),
    );
    if (saved.ok) return saved;
    const latest = await deps.repos.applications.get(app.roundId, app.id);
    if (!latest || latest.value.rev !== input.rev || latest.value.status !== 'draft') return err({ code: 'STALE', application: latest?.value ?? app });
    row = latest;
  }
  return err({ code: 'STALE', application: row.value });
}
