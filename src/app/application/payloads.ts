import { z } from 'zod';
import { STEP_FIELDS, STEPS } from '../../domain/application';
import { LIMITS } from '../../domain/validation';
import { ApplicationRef, input, rev, roundId } from '../core/schemas';

/**
 * Card payloads, parsed at the route. They carry only what the card was drawn from (ids, revision,
 * the typed input) — never who the person is or what they may do.
 */
/** The longest field's limit: every field's own rule answers in words, far beyond it is tampering. */
const inputValue = input(Math.max(...Object.values(LIMITS)));

export { ApplicationRef };

const allFields = Object.values(STEP_FIELDS).flat();
const inputShape = Object.fromEntries(allFields.map((f) => [f, inputValue])) as Record<(typeof allFields)[number], typeof inputValue>;

export const StepPayload = ApplicationRef.extend({
  rev,
  step: z.enum(STEPS),
  direction: z.enum(['next', 'back', 'summary', 'later']),
  ...inputShape,
});

export const EditPayload = ApplicationRef.extend({ step: z.enum(STEPS) });

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
