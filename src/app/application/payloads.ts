import { z } from 'zod';
import { STEP_FIELDS, STEPS } from '../../domain/application';
import { BUDGET_LINE_INPUT, BUDGET_LINE_LIMITS, BUDGET_LINE_PARTS } from '../../domain/budget-lines';
import { LIMITS } from '../../domain/validation';
import { ApplicationRef, input, rev, withInputs } from '../core/schemas';

/**
 * Card payloads, parsed at the route. They carry only what the card was drawn from (ids, revision,
 * the typed input) — never who the person is or what they may do.
 */
/** The longest field's limit: every field's own rule answers in words, far beyond it is tampering. */
const inputValue = input(Math.max(...Object.values(LIMITS)));

export { ApplicationRef };

// Budget lines are not one input: they come as `line_<i>_<part>` inputs (below).
const allFields = Object.values(STEP_FIELDS)
  .flat()
  .filter((f): f is Exclude<typeof f, 'budgetLines'> => f !== 'budgetLines');
const inputShape = Object.fromEntries(allFields.map((f) => [f, inputValue])) as Record<(typeof allFields)[number], typeof inputValue>;

const StepBase = ApplicationRef.extend({
  rev,
  step: z.enum(STEPS),
  /** `addLine`: _Regel toevoegen_ on the budget step (keeps what was typed, one more row). */
  direction: z.enum(['next', 'back', 'summary', 'later', 'addLine']),
  /** How many budget rows the card showed (only _Regel toevoegen_ sends it). */
  rows: z.coerce.number().int().min(1).max(BUDGET_LINE_LIMITS.lines).optional(),
  ...inputShape,
});

/** A step; the budget step's rows are the inputs named `line_<i>_<part>` (every other name dropped). */
export const StepPayload = withInputs(StepBase, BUDGET_LINE_INPUT, BUDGET_LINE_LIMITS.description, BUDGET_LINE_LIMITS.lines * BUDGET_LINE_PARTS.length);

export const EditPayload = ApplicationRef.extend({ step: z.enum(STEPS) });

export const SubmitPayload = ApplicationRef.extend({ rev });

const answer = z.enum(['yes', 'no', '']).optional();
export const EligibilityPayload = z.object({
  token: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  partnerInSocialeBasis: answer,
  activeInMunicipality: answer,
  collectiveAnswer: answer,
});
