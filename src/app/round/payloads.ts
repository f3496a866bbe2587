import { z } from 'zod';
import { CRITERIA_LIMITS } from '../../domain/criteria-edit';
import { RETENTION_INPUT_NAMES, SETTINGS_FIELDS, SETTINGS_LIMITS } from '../../domain/round-settings';
import { cardToken, etag, input, rev, roundId, withInputs } from '../core/schemas';

/**
 * Payloads of the accounthouder's cards, parsed at the route. They say which round (and which
 * version of it) a card was drawn from and carry the typed input — never who may change it.
 */
/** The longest setting: the list of wijken. */
const inputValue = input(Math.max(SETTINGS_LIMITS.name, SETTINGS_LIMITS.wijken * (SETTINGS_LIMITS.wijk + 2)));

/** A card about the current round (no id) or a named one. */
export const RoundRef = z.object({ roundId: roundId.optional() });

const settingsShape = Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, inputValue])) as Record<(typeof SETTINGS_FIELDS)[number], typeof inputValue>;
/** The retention terms: whole numbers of at most three digits (an older card without them keeps the stored terms). */
const termValue = input(3);
const retentionShape = Object.fromEntries(RETENTION_INPUT_NAMES.map((f) => [f, termValue])) as Record<(typeof RETENTION_INPUT_NAMES)[number], typeof termValue>;
export const RoundSavePayload = z.object({ roundId, etag, ...settingsShape, ...retentionShape });

export const RoundStatusPayload = z.object({
  roundId,
  from: z.enum(['draft', 'open', 'paused', 'closed']),
  to: z.enum(['open', 'paused', 'closed']),
  confirmed: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .optional()
    .transform((v) => v === true || v === 'true'),
});

/** "Nieuwe ronde {year}": the year, and the round whose series it continues (absent on the first round's card and older cards). */
export const RoundCreatePayload = z.object({ year: z.coerce.number().int().min(2000).max(2200), from: roundId.optional() });

export const NewRoundPayload = z.object({});

/** The card to start another round: its one-time token, the typed name, prefix and year, and the round to copy from. */
export const RoundStartPayload = z.object({
  token: cardToken,
  name: input(SETTINGS_LIMITS.name),
  prefix: input(6),
  year: input(4),
  copyFrom: z.union([roundId, z.literal('')]).optional(),
});

/** Inputs are named `<criterion id>.<field>`; the new row is `_new.<field>`. */
const criterionInputKey = /^(_new|[a-z0-9-]{1,60})\.(title|description|weight|scaleMin|scaleMax|minimum|remove)$/;
export const CriteriaSavePayload = withInputs(
  z.object({ roundId, version: rev }),
  criterionInputKey,
  CRITERIA_LIMITS.description,
  (CRITERIA_LIMITS.maxCount + 1) * 7,
);

export function criterionInputs(inputs: Record<string, string>): { key: string; field: string; value: string }[] {
  return Object.entries(inputs).flatMap(([k, value]) => {
    const m = criterionInputKey.exec(k);
    return m ? [{ key: m[1]!, field: m[2]!, value }] : [];
  });
}
