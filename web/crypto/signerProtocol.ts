/**
 * The message protocol between the page and the signer worker (HOUSE-RULES 18).
 *
 * The signer worker owns a freshly generated key: it generates the key pair from a seed drawn
 * inside the worker, signs a batch of messages, and sends back the public key and signatures.
 * The secret key never crosses the boundary; only its length does (for the size report).
 * Byte arrays travel as transferables, so nothing is copied twice.
 */
import type { SchemeName } from '../../core/crypto/types.ts';
import { isBackendName, type BackendName } from './backendName.ts';
import type { BackendRoutes } from './backendRoutes.ts';

/** Upper bound on one batch, so a caller bug cannot make a worker sign for minutes. */
export const maxMessagesPerBatch = 4096;

export type SignerRequest = {
  readonly type: 'sign-batch';
  /** Correlates the answer with the request; chosen by the page. */
  readonly requestId: number;
  readonly backend: BackendName;
  readonly scheme: SchemeName;
  /** FIPS 204 context string bytes under which every message is signed. */
  readonly context: Uint8Array;
  readonly messages: readonly Uint8Array[];
};

export type SignedBatch = {
  readonly type: 'signed';
  readonly requestId: number;
  readonly backendName: string;
  /** Which engine signed here and which one the verify workers will use for these items. */
  readonly routes: BackendRoutes;
  readonly publicKey: Uint8Array;
  readonly secretKeyBytes: number;
  /** A second, unrelated key's public key: verifying a signature under it must fail. */
  readonly strangerPublicKey: Uint8Array;
  readonly signatures: readonly Uint8Array[];
  readonly keygenMs: number;
  /** Wall time of signing all messages, measured inside the worker. */
  readonly signMs: number;
};

export type SignerFailure = {
  readonly type: 'failed';
  readonly requestId: number;
  readonly reason: string;
};

export type SignerResponse = SignedBatch | SignerFailure;

const hasType = (value: unknown): value is { type: unknown; requestId: unknown } =>
  typeof value === 'object' && value !== null && 'type' in value && 'requestId' in value;

/** Checks the shape of a request arriving in the worker (the worker boundary takes `unknown`). */
export function isSignerRequest(value: unknown): value is SignerRequest {
  if (!hasType(value) || value.type !== 'sign-batch' || typeof value.requestId !== 'number') return false;
  const request = value as Partial<Record<keyof SignerRequest, unknown>>;
  return (
    isBackendName(request.backend) &&
    typeof request.scheme === 'string' &&
    request.context instanceof Uint8Array &&
    Array.isArray(request.messages) &&
    request.messages.length <= maxMessagesPerBatch &&
    request.messages.every((m) => m instanceof Uint8Array)
  );
}

/** Checks the shape of an answer arriving on the page. */
export function isSignerResponse(value: unknown): value is SignerResponse {
  if (!hasType(value) || typeof value.requestId !== 'number') return false;
  return value.type === 'signed' || value.type === 'failed';
}
