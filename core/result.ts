/**
 * Result values for input that may be bad (HOUSE-RULES 8).
 *
 * A Byzantine peer's malformed bytes are a value, not an exception: decoders and validators
 * return `Result<T, Reject>` where `Reject` is a union keyed by `code`. Bugs still throw.
 */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });

/** Unwraps a result whose failure would be a bug in the caller, not bad input. */
export function expectOk<T, E extends { readonly code: string }>(r: Result<T, E>, what: string): T {
  if (r.ok) return r.value;
  throw new Error(`${what}: unexpected ${r.error.code}`);
}
