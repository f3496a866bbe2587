import { z } from 'zod';
import { STEPS } from '../../domain/application';
import { STEP_FIELDS } from '../../domain/application';

/**
 * Card payloads, parsed at the route. They carry only what the card was drawn from (ids, revision,
 * the typed input) — never who the person is or what they may do.
 */
const applicationId = z.string().regex(/^[a-f0-9]{20}$/);
const roundId = z.string().regex(/^[A-Z]{1,6}-\d{4}$/);
const rev = z.coerce.number().int().min(1).max(1_000_000);
/** Teams sends input values as text; numbers are accepted and read as text. Far over any field limit is tampering. */
const inputValue = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().max(20_000))
  .optional();

export const ApplicationRef = z.object({ applicationId, roundId });

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
export const EligibilityPayload = z.object({
  token: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  partnerInSocialeBasis: answer,
  activeInMunicipality: answer,
  collectiveAnswer: answer,
});
