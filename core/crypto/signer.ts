/**
 * A `Signer` whose key lives in this process: the local implementation of the interface that
 * also fronts hardware modules, other processes and browser workers (DESIGN.md §2 Keys).
 *
 * Randomness is injected (HOUSE-RULES 2-4): without a `random` source signing is deterministic,
 * which the simulator relies on; with one, each signature is hedged with 32 fresh bytes.
 */
import { schemeInfo } from './schemes.ts';
import type { KeyPair, Signature, SignatureBackend, Signer } from './types.ts';
import { SIGN_RANDOM_BYTES } from './backends/_guard.ts';

export type LocalSignerInit = {
  /** Source of 32 random bytes per signature. Default: none, signing is deterministic. */
  readonly random?: () => Uint8Array;
};

export function createLocalSigner(backend: SignatureBackend, keyPair: KeyPair, init: LocalSignerInit = {}): Signer {
  const { scheme } = keyPair;
  const info = schemeInfo(scheme);
  if (!backend.supports(scheme)) throw new RangeError(`createLocalSigner: backend ${backend.name} does not support ${scheme}`);
  if (keyPair.publicKey.length !== info.publicKeyBytes) {
    throw new RangeError(`createLocalSigner: keyPair.publicKey must be ${info.publicKeyBytes} bytes for ${scheme}`);
  }
  if (keyPair.secretKey.length !== info.secretKeyBytes) {
    throw new RangeError(`createLocalSigner: keyPair.secretKey must be ${info.secretKeyBytes} bytes for ${scheme}`);
  }
  // Copies: a caller that later wipes or reuses its buffers must not change this signer.
  const publicKey = keyPair.publicKey.slice();
  const secretKey = keyPair.secretKey.slice();
  const { random } = init;
  return Object.freeze({
    scheme,
    publicKey,
    sign(message: Uint8Array, context: Uint8Array): Promise<Signature> {
      // Errors surface as a rejected promise, as they would from a remote signer.
      return new Promise<Signature>((resolve) => {
        const entropy = random?.();
        if (entropy !== undefined && entropy.length !== SIGN_RANDOM_BYTES) {
          throw new RangeError(`createLocalSigner: random() must return ${SIGN_RANDOM_BYTES} bytes, got ${entropy.length}`);
        }
        const bytes = backend.sign(scheme, secretKey, message, context, entropy);
        resolve(Object.freeze({ scheme, bytes }));
      });
    },
  });
}
