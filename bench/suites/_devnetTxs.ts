/**
 * Pre-signed transfers for the devnet load (bench/suites/devnet.ts): one queue per funded devnet
 * user, consecutive nonces from 0, each a 1-unit transfer to the next user, signed ahead of the
 * timed windows so that signing is never what limits the offered rate.
 *
 * Signing uses liboqs (≈ 0.5 ms per ML-DSA-44 signature here) instead of the noble reference that
 * `loadLiboqsBackend` signs with (≈ 7 ms): 40,000 transfers take ≈ 20 s instead of ≈ 5 minutes.
 * liboqs signs with fresh randomness (hedged FIPS 204), which is as valid as a deterministic
 * signature; it signs the framed statement 0x00 || len(ctx) || ctx || message with its native
 * context empty, the same bytes every KALDRIX backend signs and verifies (core/crypto _framing.ts).
 * The first transfer is checked with the noble reference before any is sent.
 *
 * Bounds: `topUp` signs at most `perUser` transfers per user per call; queues hold only what the
 * caller asked for (≈ 2.6 KB per transfer).
 */
import { readFile } from 'node:fs/promises';
import { addressFromPublicKey, createNobleBackend, frameMessage, schemeInfo, toHex, type KeyPair, type Signature, type Signer } from '../../core/crypto/index.ts';
import { decodePlaintextKeyFile } from '../../core/crypto/plaintextKeyFile.ts';
import { encodeSignedTx, signTx, txId, txSignatureItem, type SignedTx, type Tx } from '../../core/state/index.ts';
import type { DevnetManifest } from '../../infra/peer/devnet/files.ts';

/** What the load generator sends: the canonical bytes and the id the API reports. */
export type PresignedTx = { readonly bytes: Uint8Array; readonly idHex: string; readonly nonce: bigint };

export type UserQueue = {
  readonly userIndex: number;
  /** Signed transfers not yet accepted by a node, lowest nonce first. */
  readonly pending: PresignedTx[];
};

export type TransferSource = {
  readonly users: readonly UserQueue[];
  /** Signs transfers until every user holds at least `perUser` unsent ones; yields to the event loop between chunks. */
  topUp(perUser: number, onProgress?: (signed: number) => void): Promise<number>;
};

/** A transfer's fee in base units: well above the devnet's zero fee floor, tiny next to a user's balance. */
const TRANSFER_FEE = 1000n;
/** Transfers signed between two yields to the event loop (≈ 5 ms of signing). */
const SIGN_CHUNK = 10;

type LiboqsSig = { sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array };

async function loadLiboqsSigner(): Promise<LiboqsSig> {
  const module = await import('@oqs/liboqs-js/sig');
  return (await module.createMLDSA44()) as LiboqsSig;
}

function liboqsSigner(sig: LiboqsSig, keys: KeyPair): Signer {
  const secretKey = keys.secretKey.slice();
  return Object.freeze({
    scheme: keys.scheme,
    publicKey: keys.publicKey.slice(),
    sign: (message: Uint8Array, context: Uint8Array): Promise<Signature> =>
      Promise.resolve(Object.freeze({ scheme: keys.scheme, bytes: sig.sign(frameMessage(context, message), secretKey) })),
  });
}

async function readUserKeys(manifest: DevnetManifest): Promise<KeyPair[]> {
  const keys: KeyPair[] = [];
  for (const user of manifest.users) {
    const decoded = decodePlaintextKeyFile(JSON.parse(await readFile(user.keyPath, 'utf8')) as Record<string, unknown>);
    if (!decoded.ok) throw new Error(`devnet bench: the key file of ${user.name} does not decode (${decoded.error.code})`);
    if (decoded.value.scheme !== 'ml-dsa-44') throw new Error(`devnet bench: ${user.name} has a ${decoded.value.scheme} key; the liboqs signer here is ML-DSA-44 only`);
    keys.push(decoded.value);
  }
  return keys;
}

const addressOf = (keys: KeyPair): Uint8Array => addressFromPublicKey(schemeInfo(keys.scheme).tag, keys.publicKey);

/** Reads the devnet users' key files; at least two users (each pays the next one). */
export async function createTransferSource(manifest: DevnetManifest): Promise<TransferSource> {
  const keys = await readUserKeys(manifest);
  if (keys.length < 2) throw new RangeError('devnet bench: the devnet needs at least two funded users');
  const sig = await loadLiboqsSigner();
  const signers = keys.map((k) => liboqsSigner(sig, k));
  const addresses = keys.map(addressOf);
  const nextNonce = keys.map(() => 0n);
  const users: UserQueue[] = keys.map((_, userIndex) => ({ userIndex, pending: [] }));
  const noble = createNobleBackend();
  let checked = false;

  const signNext = async (userIndex: number): Promise<SignedTx> => {
    const nonce = nextNonce[userIndex] as bigint;
    nextNonce[userIndex] = nonce + 1n;
    const tx: Tx = {
      chainId: manifest.chainId,
      sender: addresses[userIndex] as Uint8Array,
      nonce,
      fee: TRANSFER_FEE,
      body: { kind: 'transfer', value: { to: addresses[(userIndex + 1) % addresses.length] as Uint8Array, amount: 1n } },
    };
    const signed = await signTx(signers[userIndex] as Signer, tx, { includePublicKey: false });
    if (!checked) {
      const item = txSignatureItem(signed, { scheme: 'ml-dsa-44', publicKey: (keys[userIndex] as KeyPair).publicKey });
      if (!noble.verify(item.scheme, item.publicKey, item.message, item.signature, item.context)) throw new Error('devnet bench: a liboqs transfer signature fails the noble reference');
      checked = true;
    }
    return signed;
  };

  const topUp = async (perUser: number, onProgress?: (signed: number) => void): Promise<number> => {
    if (!Number.isSafeInteger(perUser) || perUser < 0) throw new RangeError('perUser must be a non-negative integer');
    let signed = 0;
    for (let round = 0; users.some((u) => u.pending.length < perUser); round++) {
      for (const user of users) {
        if (user.pending.length >= perUser) continue;
        const tx = await signNext(user.userIndex);
        user.pending.push(Object.freeze({ bytes: encodeSignedTx(tx), idHex: toHex(txId(tx.tx)), nonce: tx.tx.nonce }));
        signed++;
        if (signed % SIGN_CHUNK === 0) {
          await new Promise((resolve) => setImmediate(resolve));
          onProgress?.(signed);
        }
      }
    }
    return signed;
  };

  return Object.freeze({ users, topUp });
}
