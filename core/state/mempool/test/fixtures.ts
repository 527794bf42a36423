// Test fixtures for the mempool: a few ML-DSA-44 keys from public labels, deterministic
// signing, an in-memory AccountView, and a real in-thread verify pool wrapped to count calls.
import {
  addressFromPublicKey,
  createLocalSigner,
  createNobleBackend,
  createVerifyPool,
  schemeInfo,
  toHex,
  type KeyPair,
  type SignatureBackend,
  type VerifyItem,
  type VerifyPool,
} from '../../../crypto/index.ts';
import { EMPTY_ACCOUNT } from '../../account.ts';
import { keyPairFromLabel } from '../../genesisSeeds.ts';
import { signTx } from '../../txSign.ts';
import type { Account, Address, SignedTx, TxBody } from '../../types.ts';
import { createMempool, type Mempool } from '../mempool.ts';
import type { AccountView, MempoolInit, TxVerifier } from '../types.ts';

export const CHAIN = 'kaldrix-mempool-test';
const backend = createNobleBackend();

export type Party = { readonly keys: KeyPair; readonly address: Address };

const party = (label: string): Party => {
  const keys = keyPairFromLabel(backend, 'ml-dsa-44', label);
  return { keys, address: addressFromPublicKey(schemeInfo(keys.scheme).tag, keys.publicKey) };
};

export const alice = party('mempool-alice');
export const bob = party('mempool-bob');
export const carol = party('mempool-carol');
export const dave = party('mempool-dave');
/** Receives transfers only. */
export const sink = party('mempool-sink');

export type TxSpec = {
  readonly nonce?: bigint;
  readonly fee?: bigint;
  readonly amount?: bigint;
  readonly to?: Address;
  readonly includeKey?: boolean;
  readonly chainId?: string;
  readonly body?: TxBody;
};

/** A transfer signed by `from` (deterministic: same spec, same bytes). */
export function signedTransfer(from: Party, spec: TxSpec = {}): Promise<SignedTx> {
  const body: TxBody = spec.body ?? { kind: 'transfer', value: { to: spec.to ?? sink.address, amount: spec.amount ?? 1n } };
  const tx = { chainId: spec.chainId ?? CHAIN, sender: from.address, nonce: spec.nonce ?? 0n, fee: spec.fee ?? 1000n, body };
  return signTx(createLocalSigner(backend, from.keys), tx, { includePublicKey: spec.includeKey ?? false });
}

/** An account holding `balance` with `party`'s key on record (unless `keyless`). */
export function funded(p: Party, balance: bigint, nonce = 0n, keyless = false): readonly [Address, Account] {
  const key = keyless ? undefined : { scheme: p.keys.scheme, publicKey: p.keys.publicKey };
  return [p.address, { ...EMPTY_ACCOUNT, balance, nonce, key }];
}

export function accountView(accounts: ReadonlyArray<readonly [Address, Account]>): AccountView & { readonly map: Map<string, Account> } {
  const map = new Map(accounts.map(([a, acc]) => [toHex(a), acc] as const));
  return { map, account: (address) => map.get(toHex(address)) };
}

/** Counts what reaches the backend: signatures actually verified, not cache hits. */
export function countingBackend(inner: SignatureBackend): SignatureBackend & { verified(): number } {
  let verified = 0;
  return {
    name: `counting-${inner.name}`,
    supports: (s) => inner.supports(s),
    keygen: (s, seed) => inner.keygen(s, seed),
    sign: (...args) => inner.sign(...args),
    verify: (...args) => {
      verified++;
      return inner.verify(...args);
    },
    verified: () => verified,
  };
}

export type CountingVerifier = TxVerifier & { readonly pool: VerifyPool; batches(): number; items(): number; backendVerified(): number };

/** A real verify pool (in-thread noble backend, with its cache), wrapped to count submissions. */
export function countingVerifier(): CountingVerifier {
  const counted = countingBackend(backend);
  const pool = createVerifyPool({ fallback: counted }, { workers: 0 });
  let batches = 0;
  let items = 0;
  return {
    pool,
    verifyBatch: (list: readonly VerifyItem[]) => {
      batches++;
      items += list.length;
      return pool.verifyBatch(list);
    },
    batches: () => batches,
    items: () => items,
    backendVerified: () => counted.verified(),
  };
}

/** A mempool over `accounts` with a shared (or fresh) counting verifier. */
export function makeMempool(
  accounts: AccountView,
  init: Partial<MempoolInit> = {},
  verifier: CountingVerifier = countingVerifier(),
): { readonly pool: Mempool; readonly verifier: CountingVerifier } {
  return { pool: createMempool({ verifier, accounts }, { chainId: CHAIN, ...init }), verifier };
}
