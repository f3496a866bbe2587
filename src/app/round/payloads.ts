import { z } from 'zod';
import { SETTINGS_FIELDS } from '../../domain/round-settings';

/**
 * Payloads of the accounthouder's cards, parsed at the route. They say which round (and which
 * version of it) a card was drawn from and carry the typed input — never who may change it.
 */
const roundId = z.string().regex(/^[A-Z]{1,6}-\d{4}$/);
/** Table Storage ETags look like W/"datetime'2026-11-23T09%3A00%3A00.123Z'". */
const etag = z.string().min(1).max(200);
const inputValue = z
  .union([z.string(), z.number(), z.boolean()])
  .transform(String)
  .pipe(z.string().max(20_000))
  .optional();

export const RoundRef = z.object({ roundId: roundId.optional() });

const settingsShape = Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, inputValue])) as Record<(typeof SETTINGS_FIELDS)[number], typeof inputValue>;
export const RoundSavePayload = z.object({ roundId, etag, ...settingsShape });

export const RoundStatusPayload = z.object({
  roundId,
  from: z.enum(['draft', 'open', 'paused', 'closed']),
  to: z.enum(['open', 'paused', 'closed']),
  confirmed: z.union([z.boolean(), z.enum(['true', 'false'])]).optional().transform((v) => v === true || v === 'true'),
});

export const RoundCreatePayload = z.object({ year: z.coerce.number().int().min(2000).max(2200) });

/** Inputs are named `<criterion id>.<field>`; the new row is `_new.<field>`. */
const criterionInputKey = /^(_new|[a-z0-9-]{1,60})\.(title|description|weight|scaleMin|scaleMax|minimum|remove)$/;
export const CriteriaSavePayload = z
  .object({ roundId, version: z.coerce.number().int().min(1).max(1_000_000) })
  .catchall(inputValue)
  .refine((d) => Object.keys(d).length <= 2 + 13 * 7, { message: 'too many inputs' });

export function criterionInputs(data: Record<string, unknown>): { key: string; field: string; value: string }[] {
  return Object.entries(data).flatMap(([k, v]) => {
    const m = criterionInputKey.exec(k);
    return m && typeof v === 'string' ? [{ key: m[1]!, field: m[2]!, value: v }] : [];
  });
}
