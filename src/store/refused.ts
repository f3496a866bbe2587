import { err, ok, Result } from '../domain/result';
import { isConflict } from './tables';

/**
 * Runs a write whose refusal is an expected answer: a 409 or 412 (a duplicate, a stale ETag, a
 * transaction in which either happened) becomes `code`; anything else is a failure and throws.
 */
export async function refusedOn<T, C extends string>(code: C, write: () => Promise<T>): Promise<Result<T, { code: C }>> {
  try {
    return ok(await write());
  } catch (e) {
    if (isConflict(e)) return err({ code });
    throw e;
  }
}
