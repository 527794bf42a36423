/**
 * The Node peer's validator signer for ML-DSA keys: liboqs's WebAssembly signing, ≈ 10× faster
 * than the reference implementation (bench: `signatures` suite), which matters because a
 * validator signs every round on its event loop (the reference signer was a sixth of a devnet
 * node's main thread under load).
 *
 * Hedged, not deterministic: liboqs signs with fresh randomness from its own generator (FIPS 204
 * hedged signing, the standard's default) and cannot take the caller's. core/ keeps its rule —
 * randomness comes in from outside, and `createLocalSigner` without a random source is
 * deterministic, which the simulator relies on — so this signer lives here, in the Node shell,
 * where the process's own randomness is the right source anyway. Nothing in the protocol
 * depends on signatures being deterministic: a vertex or a checkpoint is signed once (restart
 * safety never re-signs a slot), and identities are digests of the signed bytes' content, not of
 * the signatures.
 *
 * Framing is the project's (0x00 || len(ctx) || ctx || message, signed with the native context
 * empty), so these signatures verify on every backend. Keys of other schemes (SLH-DSA, Falcon,
 * hybrids) get the reference signer.
 */
import { createLocalSigner, createNobleBackend, frameMessage, LIBOQS_SCHEMES, schemeInfo, type KeyPair, type LiboqsScheme, type Signature, type Signer } from '../../core/crypto/index.ts';

type NativeSigner = { sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array };

const isLiboqsScheme = (scheme: string): scheme is LiboqsScheme => (LIBOQS_SCHEMES as readonly string[]).includes(scheme);

async function loadNative(scheme: LiboqsScheme): Promise<NativeSigner> {
  const sig = await import('@oqs/liboqs-js/sig');
  if (scheme === 'ml-dsa-44') return sig.createMLDSA44();
  if (scheme === 'ml-dsa-65') return sig.createMLDSA65();
  return sig.createMLDSA87();
}

/** A signer for `keyPair`: liboqs for ML-DSA (hedged), the reference backend otherwise (deterministic). */
export async function createFastSigner(keyPair: KeyPair): Promise<Signer> {
  const { scheme } = keyPair;
  if (!isLiboqsScheme(scheme)) return createLocalSigner(createNobleBackend(), keyPair);
  // Built for its checks of the key sizes and its copy of the public key.
  const reference = createLocalSigner(createNobleBackend(), keyPair);
  const native = await loadNative(scheme);
  const secretKey = keyPair.secretKey.slice();
  const signatureBytes = schemeInfo(scheme).signatureMaxBytes;
  return Object.freeze({
    scheme,
    publicKey: reference.publicKey,
    sign(message: Uint8Array, context: Uint8Array): Promise<Signature> {
      return new Promise<Signature>((resolve) => {
        // frameMessage checks the context length (a caller's bug throws, as with every signer).
        const bytes = native.sign(frameMessage(context, message), secretKey);
        if (bytes.length !== signatureBytes) throw new Error(`liboqs signer: ${bytes.length}-byte signature, expected ${signatureBytes}`);
        resolve(Object.freeze({ scheme, bytes }));
      });
    },
  });
}
