/**
 * Workloads for the ledger bench suite (bench/suites/ledger.ts): a genesis ledger of many funded
 * accounts, blocks of random transfers for execution, and really signed ML-DSA-44 transfers
 * for mempool admission. Everything derives from fixed seeds, so every run measures the same work.
 *
 * Two kinds of account, for two kinds of figure:
 * - Execution accounts carry STAND-IN keys: 1,312 seeded pseudo-random bytes (the size of an
 *   ML-DSA-44 public key) whose address is derived from them exactly as for a real key. Execution
 *   with 'pre-verified' signatures only compares keys, never verifies with them, so the stand-ins
 *   cost execution exactly what real keys cost (same leaf sizes, same comparisons), while 10,000
 *   real key generations (≈ 5 ms each in pure JS) would cost nearly a minute.
 * - Mempool senders carry REAL ML-DSA-44 keys from public labels (`keyPairFromLabel`), and their
 *   transactions carry real signatures, because admission really verifies them.
 *
 * Signing for the bench uses liboqs-js directly (≈ 0.8 ms against ≈ 5 ms for the reference),
 * over the same framed bytes every KALDRIX signature covers (`frameMessage` of core/crypto:
 * 0x00 || len(ctx) || ctx || message, signed with the empty native context). The suite verifies
 * every signature it makes through the pool before timing anything, so a drift from the
 * framing rule fails the bench rather than skewing it.
 */
import { blake3 } from '@noble/hashes/blake3.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { addressFromPublicKey, createNobleBackend, frameMessage, schemeInfo, type KeyPair, type Signature, type Signer, type TaggedPublicKey } from '../../core/crypto/index.ts';
import { keyPairFromLabel } from '../../core/state/genesisSeeds.ts';
import type { Genesis } from '../../core/state/genesisTypes.ts';
import { DEFAULT_PARAMS, type ProtocolParams } from '../../core/state/params.ts';
import { signTx } from '../../core/state/txSign.ts';
import type { Address, SignedTx } from '../../core/state/types.ts';
import { createPrng } from '../../core/prng.ts';

export const BENCH_CHAIN_ID = 'kaldrix-bench';
export const benchParams: ProtocolParams = Object.freeze({ ...DEFAULT_PARAMS, chainId: BENCH_CHAIN_ID });

/** Every account starts with 10^15 base units: no transfer of the bench ever runs short. */
const START_BALANCE = 1_000_000_000_000_000n;
/** A transfer pays this fee and moves 1..1,000 units. */
const TRANSFER_FEE = 1_000n;
const ML_DSA_44 = schemeInfo('ml-dsa-44');

/** A deterministic PRNG (mulberry32): the bench's only source of "randomness", fixed by `seed`. */
export function createRng(seed: number): { below(n: number): number } {
  return { below: createPrng(seed).nextInt };
}

export type KeyedAddress = { readonly address: Address; readonly key: TaggedPublicKey };

/** `count` execution accounts with stand-in ML-DSA-44 keys (see the module comment). */
export function standInAccounts(count: number, label: string): KeyedAddress[] {
  return Array.from({ length: count }, (_, i) => {
    const publicKey = blake3(utf8ToBytes(`${label}-${i}`), { dkLen: ML_DSA_44.publicKeyBytes });
    return { address: addressFromPublicKey(ML_DSA_44.tag, publicKey), key: { scheme: 'ml-dsa-44', publicKey } };
  });
}

/** `count` mempool senders with real ML-DSA-44 keys from public labels (≈ 5 ms each). */
export function realSenders(count: number): KeyPair[] {
  const noble = createNobleBackend();
  return Array.from({ length: count }, (_, i) => keyPairFromLabel(noble, 'ml-dsa-44', `bench-ledger-sender-${i}`));
}

export const keyedAddressOf = (keys: KeyPair): KeyedAddress => ({
  address: addressFromPublicKey(schemeInfo(keys.scheme).tag, keys.publicKey),
  key: { scheme: keys.scheme, publicKey: keys.publicKey },
});

/**
 * A genesis funding every account with its key on record. No validators: the ledger state
 * (what execution and admission read) holds accounts only; `ledgerFromGenesis` needs nothing else.
 */
export function benchGenesis(accounts: readonly KeyedAddress[]): Genesis {
  return Object.freeze({
    chainId: BENCH_CHAIN_ID,
    genesisTimeMs: 0,
    params: benchParams,
    accounts: accounts.map((a) => ({ address: a.address, balance: START_BALANCE, key: a.key })),
    validators: [],
  });
}

/** Stands for a signature under 'pre-verified' execution, which never reads it (right size, zero bytes). */
const PLACEHOLDER_SIGNATURE: Signature = Object.freeze({ scheme: 'ml-dsa-44', bytes: new Uint8Array(ML_DSA_44.signatureMaxBytes) });

/**
 * `count` transfers between random accounts (sender ≠ recipient), each sender's nonces counting
 * up from its genesis nonce 0 within the block: every transfer applies when the block runs on
 * the genesis ledger. Placeholder signatures (for 'pre-verified' execution only).
 */
export function transferBlock(accounts: readonly KeyedAddress[], count: number, seed: number): SignedTx[] {
  const rng = createRng(seed);
  const nonces = new Map<number, bigint>();
  return Array.from({ length: count }, () => {
    const from = rng.below(accounts.length);
    const to = (from + 1 + rng.below(accounts.length - 1)) % accounts.length;
    const nonce = nonces.get(from) ?? 0n;
    nonces.set(from, nonce + 1n);
    const tx = {
      chainId: BENCH_CHAIN_ID,
      sender: (accounts[from] as KeyedAddress).address,
      nonce,
      fee: TRANSFER_FEE,
      body: { kind: 'transfer', value: { to: (accounts[to] as KeyedAddress).address, amount: BigInt(1 + rng.below(1_000)) } },
    } as const;
    return Object.freeze({ tx, signature: PLACEHOLDER_SIGNATURE });
  });
}

type RawMlDsa44 = { sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array };

/** A `Signer` over liboqs-js's ML-DSA-44 signing (randomised, ≈ 6× faster than the reference). */
function fastSigner(raw: RawMlDsa44, keys: KeyPair): Signer {
  return {
    scheme: 'ml-dsa-44',
    publicKey: keys.publicKey,
    sign: (message, context) => {
      const signed = frameMessage(context, message);
      return Promise.resolve(Object.freeze({ scheme: 'ml-dsa-44', bytes: raw.sign(signed, keys.secretKey) }));
    },
  };
}

/**
 * Really signed transfers: `perSender` from each sender (nonces 0, 1, …), interleaved round
 * robin (every sender's nonce 0, then every nonce 1, …) as independent wallets would send them;
 * recipients are random `recipients`. `amountSalt` makes otherwise equal sets distinct
 * statements (a warm-up set must not pre-fill the verify cache for the timed set).
 */
export async function signedTransfers(
  senders: readonly KeyPair[],
  perSender: number,
  recipients: readonly KeyedAddress[],
  amountSalt: bigint,
): Promise<SignedTx[]> {
  const { createMLDSA44 } = await import('@oqs/liboqs-js/sig');
  const raw: RawMlDsa44 = await createMLDSA44();
  const signers = senders.map((keys) => ({ signer: fastSigner(raw, keys), address: keyedAddressOf(keys).address }));
  const rng = createRng(0x1ed9e5);
  const out: SignedTx[] = [];
  for (let nonce = 0; nonce < perSender; nonce++) {
    for (const { signer, address } of signers) {
      const to = (recipients[rng.below(recipients.length)] as KeyedAddress).address;
      const tx = { chainId: BENCH_CHAIN_ID, sender: address, nonce: BigInt(nonce), fee: TRANSFER_FEE, body: { kind: 'transfer', value: { to, amount: amountSalt + 1n } } } as const;
      out.push(await signTx(signer, tx, { includePublicKey: false }));
    }
  }
  return out;
}
