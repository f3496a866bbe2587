import { z } from 'zod';
import { APPLICATION_ID } from '../../domain/application';
import { ORGANISATION_ID } from '../../domain/organisation';
import { ROUND_ID } from '../../domain/round';

/**
 * The pieces every card payload is made of. A payload names *what* (a round, an application, a
 * criterion) and carries typed input — never *who*: identity comes from the activity. Object
 * schemas strip unknown keys (zod's default), so a key a card never had (`actorId`, `userId`) is
 * dropped before any handler sees the data.
 */
export const roundId = z.string().regex(ROUND_ID);
export const applicationId = z.string().regex(APPLICATION_ID);
/** An Entra object id as Teams reports it for a team member. */
export const entraId = z.string().regex(/^[0-9a-fA-F-]{36}$/);
/** The version of a record a card was drawn from. */
export const rev = z.coerce.number().int().min(1).max(1_000_000);
/** Table Storage ETags look like W/"datetime'2026-11-23T09%3A00%3A00.123Z'". */
export const etag = z.string().min(1).max(200);
export const flag = z.enum(['true', 'false']);
/** A registry entry's id ('org-' + 12 hex digits). */
export const organisationId = z.string().regex(ORGANISATION_ID);
/** A card's one-time token (drawn when the card is made): the same card pressed twice is one action. */
export const cardToken = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);
/** A page of a long list (1 is the first). */
export const page = z.coerce.number().int().min(1).max(10_000);

export const RoundRef = z.object({ roundId });
export const ApplicationRef = z.object({ roundId, applicationId });

/**
 * Typed input for a field whose rule allows `limit` characters. Teams sends input values as
 * text (numbers are read as text). Up to twice the limit reaches the domain rule, which answers
 * "too long" in words; far beyond it is tampering and the payload is refused.
 */
export const input = (limit: number) =>
  z
    .union([z.string(), z.number(), z.boolean()])
    .transform(String)
    .pipe(z.string().max(limit * 2 + 100))
    .optional();

/**
 * A payload with inputs whose names are made by the card (`score_<criterion>`, `amount_<id>`):
 * the fixed part is parsed by `base` (unknown keys dropped), the inputs whose names match
 * `names` are collected in `inputs`, everything else is dropped. More than `max` inputs is
 * tampering.
 */
export function withInputs<B extends z.AnyZodObject>(base: B, names: RegExp, limit: number, max: number) {
  const value = input(limit);
  return z
    .record(z.unknown())
    .transform((data) => ({ data, inputs: Object.entries(data).filter(([k]) => names.test(k)) }))
    .refine((d) => d.inputs.length <= max, 'too many inputs')
    .transform((d, ctx) => {
      const fixed = base.safeParse(d.data);
      const inputs: Record<string, string> = {};
      for (const [k, v] of d.inputs) {
        const parsed = value.safeParse(v);
        if (!parsed.success) {
          ctx.addIssue({ code: 'custom', path: [k], message: 'bad input' });
          return z.NEVER;
        }
        if (parsed.data !== undefined) inputs[k] = parsed.data;
      }
      if (!fixed.success) {
        fixed.error.issues.forEach((i) => ctx.addIssue(i));
        return z.NEVER;
      }
      return { ...(fixed.data as z.infer<B>), inputs };
    });
}
