/**
 * Builds the transaction known-answer vectors (`transactions.json`) deterministically: keys from
 * the public seeds of `genesisSeeds.ts` (label `vector-<name>`), deterministic signing, fixed
 * field values. Pure: `test/generate.ts` writes the result, `txVectors.test.ts` rebuilds and
 * compares it, so any change to an encoding, the id or the signing message fails a test.
 *
 * Each vector: the unsigned fields (readable), the signer's scheme and public key, the hex of
 * the unsigned encoding (= the signing message, signed under `context`), of the signed
 * encoding, and the id.
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';
import {
  addressFromPublicKey,
  contextBytes,
  CONTEXTS,
  createLocalSigner,
  encodeAddress,
  schemeInfo,
  toHex,
  type KeyPair,
  type SchemeName,
  type SignatureBackend,
} from '../../crypto/index.ts';
import { encodeSlotHeader } from '../evidence.ts';
import { keyPairFromLabel } from '../genesisSeeds.ts';
import { encodeSignedTx, encodeTx, txId, txSigningMessage } from '../txCodec.ts';
import { signKeyPossession, signTx } from '../txSign.ts';
import type { Address, Tx, TxBody } from '../types.ts';

export const VECTOR_CHAIN_ID = 'kaldrix-vectors';

type VectorSpec = {
  readonly name: string;
  readonly scheme: SchemeName;
  readonly includePublicKey: boolean;
  readonly nonce: bigint;
  readonly fee: bigint;
  readonly body: (ctx: { readonly backend: SignatureBackend; readonly sender: Address; readonly nonce: bigint }) => Promise<TxBody>;
};

const addressOf = (keys: KeyPair): Address => addressFromPublicKey(schemeInfo(keys.scheme).tag, keys.publicKey);
const recipient = (backend: SignatureBackend) => addressOf(keyPairFromLabel(backend, 'ml-dsa-44', 'vector-recipient'));

const transfer = (amount: bigint): VectorSpec['body'] => ({ backend }) =>
  Promise.resolve({ kind: 'transfer', value: { to: recipient(backend), amount } });

async function rotateKeyBody({ backend, sender, nonce }: Parameters<VectorSpec['body']>[0]): Promise<TxBody> {
  const newKeys = keyPairFromLabel(backend, 'ml-dsa-44+ed25519', 'vector-rotate-key-new');
  const possession = await signKeyPossession(createLocalSigner(backend, newKeys), { chainId: VECTOR_CHAIN_ID, sender, nonce });
  return { kind: 'rotate-key', value: { newKey: { scheme: newKeys.scheme, publicKey: newKeys.publicKey }, possession } };
}

async function evidenceBody({ backend }: Parameters<VectorSpec['body']>[0]): Promise<TxBody> {
  const offender = keyPairFromLabel(backend, 'ml-dsa-44', 'vector-offender');
  const signer = createLocalSigner(backend, offender);
  const header = encodeSlotHeader(7n, 42n);
  const messageA = Uint8Array.from([...header, ...utf8ToBytes(VECTOR_CHAIN_ID), ...new Uint8Array(32).fill(0xaa)]);
  const messageB = Uint8Array.from([...header, ...utf8ToBytes(VECTOR_CHAIN_ID), ...new Uint8Array(32).fill(0xbb)]);
  const context = contextBytes(CONTEXTS.vertex);
  const first = { message: messageA, signature: await signer.sign(messageA, context) };
  const second = { message: messageB, signature: await signer.sign(messageB, context) };
  return { kind: 'evidence', value: { evidence: { context: 'vertex', offender: addressOf(offender), first, second } } };
}

/** The vector set: every transaction kind, and transfers under every scheme incl. the hybrid. */
const SPECS: readonly VectorSpec[] = [
  { name: 'transfer-ml-dsa-44-first', scheme: 'ml-dsa-44', includePublicKey: true, nonce: 0n, fee: 10n, body: transfer(1_000n) },
  { name: 'transfer-ml-dsa-44', scheme: 'ml-dsa-44', includePublicKey: false, nonce: 1n, fee: 10n, body: transfer(2n ** 64n - 11n) },
  { name: 'transfer-ml-dsa-65-first', scheme: 'ml-dsa-65', includePublicKey: true, nonce: 0n, fee: 12n, body: transfer(5n) },
  { name: 'transfer-ml-dsa-87-first', scheme: 'ml-dsa-87', includePublicKey: true, nonce: 0n, fee: 15n, body: transfer(6n) },
  { name: 'transfer-slh-dsa-sha2-128f-first', scheme: 'slh-dsa-sha2-128f', includePublicKey: true, nonce: 0n, fee: 40n, body: transfer(7n) },
  { name: 'transfer-falcon-512-first', scheme: 'falcon-512', includePublicKey: true, nonce: 0n, fee: 8n, body: transfer(8n) },
  { name: 'transfer-hybrid-first', scheme: 'ml-dsa-44+ed25519', includePublicKey: true, nonce: 0n, fee: 11n, body: transfer(9n) },
  { name: 'bond-ml-dsa-44', scheme: 'ml-dsa-44', includePublicKey: false, nonce: 2n, fee: 10n, body: () => Promise.resolve({ kind: 'bond', value: { amount: 5_000_000n } }) },
  { name: 'unbond-hybrid', scheme: 'ml-dsa-44+ed25519', includePublicKey: false, nonce: 3n, fee: 11n, body: () => Promise.resolve({ kind: 'unbond', value: { amount: 1_000_000n } }) },
  { name: 'rotate-key-ml-dsa-44-to-hybrid', scheme: 'ml-dsa-44', includePublicKey: false, nonce: 4n, fee: 20n, body: rotateKeyBody },
  { name: 'evidence-vertex', scheme: 'ml-dsa-44', includePublicKey: false, nonce: 5n, fee: 30n, body: evidenceBody },
];

export type TxVector = {
  readonly name: string;
  readonly kind: string;
  readonly scheme: SchemeName;
  readonly seed_label: string;
  readonly public_key: string;
  readonly fields: unknown;
  readonly context: string;
  readonly unsigned_hex: string;
  readonly signing_message_hex: string;
  readonly signed_hex: string;
  readonly id_hex: string;
};

export type TxVectorFile = {
  readonly source: string;
  readonly chain_id: string;
  readonly vectors: readonly TxVector[];
};

/** A readable JSON view of a tx: addresses as kdx1… text, amounts as decimal, bytes as hex. */
export function txFieldsJson(tx: Tx): unknown {
  return JSON.parse(
    JSON.stringify({ chain_id: tx.chainId, sender: tx.sender, nonce: tx.nonce, fee: tx.fee, body: tx.body }, (key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (value instanceof Uint8Array) return (key === 'sender' || key === 'to' || key === 'offender') ? encodeAddress(value) : toHex(value);
      return value;
    }),
  );
}

async function buildVector(backend: SignatureBackend, spec: VectorSpec): Promise<TxVector> {
  const seedLabel = `vector-${spec.name}`;
  const keys = keyPairFromLabel(backend, spec.scheme, seedLabel);
  const sender = addressOf(keys);
  const body = await spec.body({ backend, sender, nonce: spec.nonce });
  const tx: Tx = { chainId: VECTOR_CHAIN_ID, sender, nonce: spec.nonce, fee: spec.fee, body };
  const signed = await signTx(createLocalSigner(backend, keys), tx, { includePublicKey: spec.includePublicKey });
  return {
    name: spec.name,
    kind: body.kind,
    scheme: spec.scheme,
    seed_label: seedLabel,
    public_key: toHex(keys.publicKey),
    fields: txFieldsJson(tx),
    context: CONTEXTS.tx,
    unsigned_hex: toHex(encodeTx(tx)),
    signing_message_hex: toHex(txSigningMessage(tx)),
    signed_hex: toHex(encodeSignedTx(signed)),
    id_hex: toHex(txId(tx)),
  };
}

/** The whole vector file, in a fixed order. */
export async function buildTxVectors(backend: SignatureBackend): Promise<TxVectorFile> {
  const vectors: TxVector[] = [];
  for (const spec of SPECS) vectors.push(await buildVector(backend, spec));
  return {
    source: 'core/state/vectors/test/generate.ts (keys: core/state/genesisSeeds.ts, deterministic signing with the noble backend)',
    chain_id: VECTOR_CHAIN_ID,
    vectors,
  };
}

export function txVectorsText(file: TxVectorFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
