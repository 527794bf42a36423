// Shared test fixtures for core/state: keys from public labels, sample transactions of every
// kind, and fast-check arbitraries of well-formed (not validly signed) signed transactions.
import fc from 'fast-check';
import {
  addressFromPublicKey,
  createLocalSigner,
  createNobleBackend,
  SCHEME_NAMES,
  schemeInfo,
  type KeyPair,
  type SchemeName,
  type Signature,
  type TaggedPublicKey,
} from '../../crypto/index.ts';
import { EVIDENCE_MESSAGE_MAX_BYTES, encodeSlotHeader } from '../evidence.ts';
import { keyPairFromLabel } from '../genesisSeeds.ts';
import { DEFAULT_PARAMS } from '../params.ts';
import { signTx } from '../txSign.ts';
import type { Address, Evidence, SignedTx, Tx, TxBody } from '../types.ts';

export const backend = createNobleBackend();
export const CHAIN = 'kaldrix-test';
export const params = { ...DEFAULT_PARAMS, chainId: CHAIN };

export const addressOf = (k: { readonly scheme: SchemeName; readonly publicKey: Uint8Array }): Address =>
  addressFromPublicKey(schemeInfo(k.scheme).tag, k.publicKey);
export const tagged = (k: KeyPair): TaggedPublicKey => ({ scheme: k.scheme, publicKey: k.publicKey });

export const alice = keyPairFromLabel(backend, 'ml-dsa-44', 'test-alice');
export const bob = keyPairFromLabel(backend, 'ml-dsa-44+ed25519', 'test-bob');
export const ALICE = addressOf(alice);
export const BOB = addressOf(bob);

export function tx(body: TxBody, over: Partial<Tx> = {}): Tx {
  return { chainId: CHAIN, sender: ALICE, nonce: 0n, fee: 10n, body, ...over };
}

export const transferBody = (amount = 5n, to: Address = BOB): TxBody => ({ kind: 'transfer', value: { to, amount } });

export function signAs(keys: KeyPair, t: Tx, includePublicKey = true): Promise<SignedTx> {
  return signTx(createLocalSigner(backend, keys), t, { includePublicKey });
}

/** A signature of the right length for `scheme` whose bytes are not a real signature. */
export const fakeSignature = (scheme: SchemeName, fill = 7): Signature => ({
  scheme,
  bytes: new Uint8Array(schemeInfo(scheme).signatureMaxBytes).fill(fill),
});

export async function equivocation(
  offender: KeyPair,
  slots: readonly [bigint, bigint] = [1n, 2n],
  context: Uint8Array,
  kind: Evidence['context'] = 'vertex',
): Promise<Evidence> {
  const signer = createLocalSigner(backend, offender);
  const header = encodeSlotHeader(slots[0], slots[1]);
  const a = Uint8Array.from([...header, 1, 1, 1]);
  const b = Uint8Array.from([...header, 2, 2, 2]);
  return {
    context: kind,
    offender: addressOf(offender),
    first: { message: a, signature: await signer.sign(a, context) },
    second: { message: b, signature: await signer.sign(b, context) },
  };
}

// ---- fast-check arbitraries (structure only; signatures are not valid) ----

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const address = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((d) => Uint8Array.from([0, ...d]));
/** Small schemes only, to keep property runs fast. */
const SMALL_SCHEMES = SCHEME_NAMES.filter((s) => s !== 'slh-dsa-sha2-128f');
const scheme = fc.constantFrom(...SMALL_SCHEMES);
const keyOf = (s: SchemeName) => fc.uint8Array({ minLength: schemeInfo(s).publicKeyBytes, maxLength: schemeInfo(s).publicKeyBytes });
const taggedKey = scheme.chain((s) => keyOf(s).map((publicKey) => ({ scheme: s, publicKey })));
const signature = scheme.chain((s) =>
  fc.integer({ min: schemeInfo(s).signatureMinBytes, max: schemeInfo(s).signatureMaxBytes }).map((n) => ({ scheme: s, bytes: new Uint8Array(n).fill(n % 251) })),
);
const signedMessage = fc.record({ message: fc.uint8Array({ maxLength: 64 }).map((m) => m.slice(0, EVIDENCE_MESSAGE_MAX_BYTES)), signature });
const body: fc.Arbitrary<TxBody> = fc.oneof(
  fc.record({ to: address, amount: u64 }).map((value) => ({ kind: 'transfer' as const, value })),
  fc.record({ amount: u64 }).map((value) => ({ kind: 'bond' as const, value })),
  fc.record({ amount: u64 }).map((value) => ({ kind: 'unbond' as const, value })),
  fc.record({ newKey: taggedKey, possession: signature }).map((value) => ({ kind: 'rotate-key' as const, value })),
  fc
    .record({ context: fc.constantFrom('vertex' as const, 'checkpoint' as const), offender: address, first: signedMessage, second: signedMessage })
    .map((evidence) => ({ kind: 'evidence' as const, value: { evidence } })),
);
export const arbTx: fc.Arbitrary<Tx> = fc.record({
  chainId: fc.string({ minLength: 1, maxLength: 10 }),
  sender: address,
  nonce: u64,
  fee: u64,
  body,
});
export const arbSignedTx: fc.Arbitrary<SignedTx> = fc.record({
  tx: arbTx,
  publicKey: fc.option(taggedKey, { nil: undefined }),
  signature,
});
