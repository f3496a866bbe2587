/**
 * Business failures are returned, not thrown, and carry a code; only the app layer turns a code
 * into words for a person. Infrastructure failures (storage down) still throw.
 */
export type Ok<T> = { ok: true; value: T };
export type Err<E> = { ok: false; error: E };
export type Result<T, E> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });
