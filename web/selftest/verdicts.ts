/**
 * Turns the verify pool's answers into the self-test's verdict: every valid signature accepted,
 * every forged one rejected, else FAIL. Pure, so the rule is tested apart from any worker.
 */
import type { ForgeryKind } from './forgeries.ts';

export type Classification = {
  readonly validAccepted: number;
  readonly validTotal: number;
  readonly forgedRejected: number;
  readonly forgedTotal: number;
  /** Forgery kinds a verifier wrongly accepted, each named once, in first-seen order. */
  readonly acceptedForgeryKinds: readonly ForgeryKind[];
  readonly pass: boolean;
};

export function classify(validVerdicts: readonly boolean[], forgedVerdicts: readonly boolean[], forgedKinds: readonly ForgeryKind[]): Classification {
  if (forgedVerdicts.length !== forgedKinds.length) {
    throw new RangeError(`forgedKinds has ${forgedKinds.length} entries for ${forgedVerdicts.length} verdicts`);
  }
  const validAccepted = validVerdicts.filter((accepted) => accepted).length;
  const accepted = new Set<ForgeryKind>();
  forgedVerdicts.forEach((wasAccepted, i) => {
    if (wasAccepted) accepted.add(forgedKinds[i] as ForgeryKind);
  });
  const forgedRejected = forgedVerdicts.filter((wasAccepted) => !wasAccepted).length;
  return Object.freeze({
    validAccepted,
    validTotal: validVerdicts.length,
    forgedRejected,
    forgedTotal: forgedVerdicts.length,
    acceptedForgeryKinds: Object.freeze([...accepted]),
    // An empty run proves nothing, so it does not pass.
    pass: validVerdicts.length > 0 && validAccepted === validVerdicts.length && forgedRejected === forgedVerdicts.length,
  });
}
