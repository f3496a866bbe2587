import { z } from 'zod';
import { BUDGET_LINE_INPUT, BUDGET_LINE_LIMITS, BUDGET_LINE_PARTS } from '../../domain/budget-lines';
import { BOUND_TYPES, QUESTION_ID, QUESTION_LIMITS, STEP_ID } from '../../domain/form';
import { LIMITS } from '../../domain/validation';
import { ApplicationRef, input, rev, roundId, withInputs } from '../core/schemas';

/**
 * Card payloads, parsed at the route. They carry only what the card was drawn from (ids, revision,
 * the typed input) — never who the person is or what they may do.
 */
/** The longest answer's limit: every question's own rule answers in words, far beyond it is tampering. */
const INPUT_LIMIT = Math.max(...Object.values(LIMITS), QUESTION_LIMITS.longText);

export { ApplicationRef };

/** A step's input names: a bound field's name, the round's own question id (`q<n>`) or a budget row's part (`line_<i>_<part>`); any other key is dropped. */
export const STEP_INPUT = new RegExp(
  `^(${Object.keys(BOUND_TYPES)
    .filter((k) => k !== 'budgetLines')
    .join('|')}|${QUESTION_ID.source.replace(/^\^|\$$/g, '')}|${BUDGET_LINE_INPUT.source.replace(/^\^|\$$/g, '')})$`,
);

const StepBase = ApplicationRef.extend({
  rev,
  step: z.string().regex(STEP_ID),
  /** `addLine`: _Regel toevoegen_ on the budget step (keeps what was typed, one more row). */
  direction: z.enum(['next', 'back', 'summary', 'later', 'addLine']),
  /** How many budget rows the card showed (only _Regel toevoegen_ sends it). */
  rows: z.coerce.number().int().min(1).max(BUDGET_LINE_LIMITS.lines).optional(),
});

/** One step of the round's form: its typed inputs by question id and budget row part in `inputs`. */
export const StepPayload = withInputs(StepBase, STEP_INPUT, INPUT_LIMIT, QUESTION_LIMITS.questions + BUDGET_LINE_LIMITS.lines * BUDGET_LINE_PARTS.length);

export const EditPayload = ApplicationRef.extend({ step: z.string().regex(STEP_ID) });

export const SubmitPayload = ApplicationRef.extend({ rev });

const answer = z.enum(['yes', 'no', '']).optional();
/** _Aanvragen_ on the welcome card: the round chosen (absent with one open round, and on older cards). */
export const StartPayload = z.object({ roundId: roundId.optional() });

export const EligibilityPayload = z.object({
  token: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  /** The round the partner chose; absent: the only round open now. */
  roundId: roundId.optional(),
  partnerInSocialeBasis: answer,
  activeInMunicipality: answer,
  collectiveAnswer: answer,
});
