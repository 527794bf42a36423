/**
 * Signer worker: generates a key pair and signs a batch of messages off the page's thread.
 *
 * Protocol: `signerProtocol.ts`. The seed comes from `crypto.getRandomValues` here, in the
 * shell (core/ receives all randomness from its caller, DESIGN.md §2); signing is hedged with
 * 32 fresh random bytes per signature (FIPS 204 §3.4 recommends the hedged variant when a
 * good random source exists). The backend is loaded lazily, on the first request.
 */
import { schemeInfo } from '../../core/crypto/schemes.ts';
import type { SignatureBackend } from '../../core/crypto/types.ts';
import { loadBackend } from './backendName.ts';
import { backendRoutes } from './backendRoutes.ts';
import { isSignerRequest, type SignedBatch, type SignerRequest, type SignerResponse } from './signerProtocol.ts';
import { workerScope } from './_workerScope.ts';

/** Bytes of fresh randomness per hedged signature (FIPS 204 Algorithm 2, `rnd`). */
const hedgeBytes = 32;

const scope = workerScope();

scope.onmessage = (event) => {
  const request = event.data;
  if (!isSignerRequest(request)) {
    // A malformed request is a bug on the page; answer so the page does not wait forever.
    const requestId = typeof request === 'object' && request !== null && 'requestId' in request ? Number(request.requestId) : -1;
    post({ type: 'failed', requestId, reason: 'malformed signer request' });
    return;
  }
  signBatch(request).then(post, (error: unknown) => {
    post({ type: 'failed', requestId: request.requestId, reason: error instanceof Error ? error.message : String(error) });
  });
};

function post(response: SignerResponse): void {
  const transfer = response.type === 'signed' ? [response.publicKey.buffer, response.strangerPublicKey.buffer, ...response.signatures.map((s) => s.buffer)] : [];
  scope.postMessage(response, transfer as Transferable[]);
}

async function signBatch(request: SignerRequest): Promise<SignedBatch> {
  const backend = await loadBackend(request.backend);
  if (!backend.supports(request.scheme)) {
    throw new Error(`the ${backend.name} backend does not implement ${request.scheme}`);
  }
  const keygenStartMs = performance.now();
  const keyPair = backend.keygen(request.scheme, freshSeed(request.scheme));
  const keygenMs = performance.now() - keygenStartMs;
  const stranger = backend.keygen(request.scheme, freshSeed(request.scheme));

  const signStartMs = performance.now();
  const signatures = request.messages.map((message) => sign(backend, request, keyPair.secretKey, message));
  const signMs = performance.now() - signStartMs;

  return {
    type: 'signed',
    requestId: request.requestId,
    backendName: backend.name,
    routes: await backendRoutes(request.backend, request.scheme),
    publicKey: keyPair.publicKey.slice(),
    secretKeyBytes: keyPair.secretKey.length,
    strangerPublicKey: stranger.publicKey.slice(),
    signatures,
    keygenMs,
    signMs,
  };
}

function sign(backend: SignatureBackend, request: SignerRequest, secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  const hedge = crypto.getRandomValues(new Uint8Array(hedgeBytes));
  // slice(): a backend may return a view into a larger buffer; only the signature is sent.
  return backend.sign(request.scheme, secretKey, message, request.context, hedge).slice();
}

function freshSeed(scheme: SignerRequest['scheme']): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(schemeInfo(scheme).seedBytes));
}
