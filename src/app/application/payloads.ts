import { z } from 'zod';
import { BOUND_TYPES, QUESTION_ID, QUESTION_LIMITS, STEP_ID } from '../../domain/form';
import { LIMITS } from '../../domain/validation';
import { ApplicationRef, rev, withInputs } from '../core/schemas';

/**
 * Card payloads, parsed at the route. They carry only what the card was drawn from (ids, revision,
 * the typed input) — never who the person is or what they may do.
 */
/** The longest answer's limit: every question's own rule answers in words, far beyond it is tampering. */
const INPUT_LIMIT = Math.max(...Object.values(LIMITS), QUESTION_LIMITS.longText);

export { ApplicationRef };

/** A step's input names: a bound field's name or the round's own question id (`q<n>`); any other key is dropped. */
export const STEP_INPUT = new RegExp(`^(${Object.keys(BOUND_TYPES).join('|')}|${QUESTION_ID.source.replace(/^\^|\$$/g, '')})$`);

const StepBase = ApplicationRef.extend({
  rev,
  step: z.string().regex(STEP_ID),
  direction: z.enum(['next', 'back', 'summary', 'later']),
});

/** One step of the round's form: its typed inputs by question id in `inputs`. */
export const StepPayload = withInputs(StepBase, STEP_INPUT, INPUT_LIMIT, QUESTION_LIMITS.questions);

export const EditPayload = ApplicationRef.extend({ step: z.string().regex(STEP_ID) });

export const SubmitPayload = ApplicationRef.extend({ rev });

const answer = z.enum(['yes', 'no', '']).optional();
export const EligibilityPayload = z.object({
  token: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  partnerInSocialeBasis: answer,
  activeInMunicipality: answer,
  collectiveAnswer: answer,
});
