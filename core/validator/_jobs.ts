/**
 * Outstanding `verify` and `sign` requests, by token.
 *
 * Tokens are consecutive integers from 1, so a run's effects are deterministic. Every request
 * is answered exactly once by the shell (types.ts contract); an unknown or repeated token is a
 * shell bug and throws. Bounded: the validator has at most one own vertex and one checkpoint
 * signature outstanding, one execution request, and `maxVerifyBacklog` vertex verifications
 * plus one vote batch per received vertex or cut checkpoint.
 */
import type { VerifyItem } from '../crypto/index.ts';
import type { ValidatorEffect } from './types.ts';

export type Jobs<V, S> = {
  verify(items: readonly VerifyItem[], job: V, out: ValidatorEffect[]): number;
  sign(message: Uint8Array, context: Uint8Array, job: S, out: ValidatorEffect[]): number;
  /** Removes and returns the job of a `verified` answer. */
  takeVerify(token: number): V;
  takeSign(token: number): S;
  pendingVerify(): number;
};

export function createJobs<V, S>(): Jobs<V, S> {
  let nextToken = 1;
  const verifyJobs = new Map<number, V>();
  const signJobs = new Map<number, S>();
  const take = <T>(jobs: Map<number, T>, token: number, what: string): T => {
    const job = jobs.get(token);
    if (job === undefined) throw new RangeError(`validator: ${what} answer for unknown token ${token}`);
    jobs.delete(token);
    return job;
  };
  return Object.freeze({
    verify(items: readonly VerifyItem[], job: V, out: ValidatorEffect[]): number {
      const token = nextToken++;
      verifyJobs.set(token, job);
      out.push(Object.freeze({ type: 'verify', token, items }));
      return token;
    },
    sign(message: Uint8Array, context: Uint8Array, job: S, out: ValidatorEffect[]): number {
      const token = nextToken++;
      signJobs.set(token, job);
      out.push(Object.freeze({ type: 'sign', token, message, context }));
      return token;
    },
    takeVerify: (token: number) => take(verifyJobs, token, 'verify'),
    takeSign: (token: number) => take(signJobs, token, 'sign'),
    pendingVerify: () => verifyJobs.size,
  });
}
