/**
 * The crypto self-test, as one function: generate a key, sign messages, forge some, verify
 * everything through the verify pool, and classify the answers.
 *
 * DESIGN.md §2 Cryptography. Effects come in as components (HOUSE-RULES 3): the signer (a
 * worker on the page), the verifier (the browser verify pool), a clock and a random source,
 * so the same function runs in a unit test against a backend in the test's own thread.
 * Verification runs twice: a warm-up round (workers load their backend, WebAssembly compiles)
 * and a measured round; both must classify every item correctly for a PASS.
 */
import type { SchemeName, VerifyItem } from '../../core/crypto/types.ts';
import type { BackendName } from '../crypto/backendName.ts';
import type { BackendRoutes } from '../crypto/backendRoutes.ts';
import type { SignedBatch, SignerRequest } from '../crypto/signerProtocol.ts';
import { makeForgeries } from './forgeries.ts';
import { classify, type Classification } from './verdicts.ts';

export type SelfTestComponents = {
  readonly signBatch: (request: Omit<SignerRequest, 'type' | 'requestId'>) => Promise<SignedBatch>;
  /** Verifies items in order; the answer has one boolean per item. */
  readonly verifyBatch: (items: readonly VerifyItem[]) => Promise<readonly boolean[]>;
  /** Monotonic milliseconds (performance.now on the page). */
  readonly nowMs: () => number;
  readonly randomBytes: (length: number) => Uint8Array;
};

export type SelfTestInit = {
  readonly scheme: SchemeName;
  readonly backend: BackendName;
  /** Messages to sign and verify; at least 2. */
  readonly messageCount: number;
  /** Forged items mixed in; default half of `messageCount`, at least one of each kind. */
  readonly forgedCount?: number;
  /** Context the messages are signed under. */
  readonly context: Uint8Array;
  /** A different context, for the replay forgery. */
  readonly otherContext: Uint8Array;
};

export type SelfTestPhase = 'signing' | 'verifying';

export type SelfTestReport = {
  readonly scheme: SchemeName;
  readonly backendName: string;
  readonly routes: BackendRoutes;
  readonly publicKeyBytes: number;
  readonly secretKeyBytes: number;
  /** Shortest and longest signature made; they differ for Falcon's compressed encoding. */
  readonly signatureMinBytes: number;
  readonly signatureMaxBytes: number;
  readonly keygenMs: number;
  readonly signOpsPerSec: number;
  /** Measured on the warm pool (second round). */
  readonly verifyOpsPerSec: number;
  readonly classification: Classification;
};

/** Bytes of each test message: the size of a small transfer transaction. */
const messageBytes = 160;
/** Upper bound on messages per run, so the page stays responsive on slow schemes. */
export const maxMessageCount = 1024;

export async function runSelfTest(components: SelfTestComponents, init: SelfTestInit, onPhase: (phase: SelfTestPhase) => void = () => {}): Promise<SelfTestReport> {
  if (!Number.isSafeInteger(init.messageCount) || init.messageCount < 2 || init.messageCount > maxMessageCount) {
    throw new RangeError(`messageCount must be an integer in 2..${maxMessageCount}, got ${init.messageCount}`);
  }
  onPhase('signing');
  const messages = Array.from({ length: init.messageCount }, () => components.randomBytes(messageBytes));
  const signed = await components.signBatch({ backend: init.backend, scheme: init.scheme, context: init.context, messages });
  if (signed.signatures.length !== messages.length) {
    throw new Error(`signer returned ${signed.signatures.length} signatures for ${messages.length} messages`);
  }

  onPhase('verifying');
  const valid: VerifyItem[] = messages.map((message, i) => ({
    scheme: init.scheme,
    publicKey: signed.publicKey,
    message,
    signature: signed.signatures[i] as Uint8Array,
    context: init.context,
  }));
  const forged = makeForgeries({ valid, strangerPublicKey: signed.strangerPublicKey, otherContext: init.otherContext }, init.forgedCount ?? Math.max(6, Math.floor(init.messageCount / 2)));
  const items = [...valid, ...forged.map((f) => f.item)];

  const warmVerdicts = await components.verifyBatch(items);
  const startMs = components.nowMs();
  const measuredVerdicts = await components.verifyBatch(items);
  const verifyMs = components.nowMs() - startMs;

  // A valid item must be accepted in both rounds and a forged one rejected in both: a flaky
  // verifier must not pass.
  const acceptedInBoth = (i: number): boolean => warmVerdicts[i] === true && measuredVerdicts[i] === true;
  const acceptedInEither = (i: number): boolean => warmVerdicts[i] === true || measuredVerdicts[i] === true;
  const validVerdicts = valid.map((_, i) => acceptedInBoth(i));
  const forgedVerdicts = forged.map((_, j) => acceptedInEither(valid.length + j));
  const classification = classify(validVerdicts, forgedVerdicts, forged.map((f) => f.kind));

  return Object.freeze({
    scheme: init.scheme,
    backendName: signed.backendName,
    routes: signed.routes,
    publicKeyBytes: signed.publicKey.length,
    secretKeyBytes: signed.secretKeyBytes,
    signatureMinBytes: Math.min(...signed.signatures.map((s) => s.length)),
    signatureMaxBytes: Math.max(...signed.signatures.map((s) => s.length)),
    keygenMs: signed.keygenMs,
    signOpsPerSec: opsPerSec(messages.length, signed.signMs),
    verifyOpsPerSec: opsPerSec(items.length, verifyMs),
    classification,
  });
}

function opsPerSec(count: number, elapsedMs: number): number {
  // Timer resolution in browsers is coarsened (to 0.1 ms or more); never divide by zero.
  return count / (Math.max(elapsedMs, 0.1) / 1000);
}
