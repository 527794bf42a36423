// Test fixtures for ledger execution: a small genesis over a pool of keyed accounts (keys from
// public labels, generated once per test file), transaction builders with placeholder
// signatures for 'pre-verified' execution, real equivocation evidence, and a fast-check
// generator of conflict-heavy workloads.
import fc from 'fast-check';
import { contextBytes, CONTEXTS, type KeyPair } from '../../crypto/index.ts';
import type { ExecutionContext } from '../executeTypes.ts';
import { verifyItemWith } from '../execute.ts';
import { keyPairFromLabel } from '../genesisSeeds.ts';
import type { Genesis } from '../genesisTypes.ts';
import { DEFAULT_PARAMS, type ProtocolParams } from '../params.ts';
import type { Address, Evidence, SignedTx, Tx, TxBody } from '../types.ts';
import { addressOf, backend, equivocation, fakeSignature, tagged } from './fixtures.ts';

export const CHAIN = 'kaldrix-exec-test';

export const execParams: ProtocolParams = Object.freeze({
  ...DEFAULT_PARAMS,
  chainId: CHAIN,
  maxParents: 16,
  minValidatorStake: 1_000n,
  unbondingEpochs: 2,
  maxUnbondingEntries: 3,
  slashFractionBps: 500,
});

/** Accounts 0..3 have keys in the genesis; 4 and 5 are funded by address only; 0 and 1 validate. */
export const POOL_SIZE = 6;
export const KEYED = 4;
export const pool: readonly KeyPair[] = Array.from({ length: POOL_SIZE }, (_, i) => keyPairFromLabel(backend, 'ml-dsa-44', `exec-pool-${i}`));
export const poolAddress: readonly Address[] = pool.map((k) => addressOf(k));
/** Never funded, never keyed: receives transfers. */
export const outsider: Address = addressOf(keyPairFromLabel(backend, 'ml-dsa-44', 'exec-outsider'));

export const genesis: Genesis = Object.freeze({
  chainId: CHAIN,
  genesisTimeMs: 0,
  params: execParams,
  accounts: pool.map((k, i) => ({ address: addressOf(k), balance: 100_000n + BigInt(i) * 7n, key: i < KEYED ? tagged(k) : undefined })),
  validators: [0, 1].map((i) => ({ address: addressOf(pool[i] as KeyPair), key: tagged(pool[i] as KeyPair), stake: 50_000n + BigInt(i) * 1_001n })),
});

export const preVerified: ExecutionContext = Object.freeze({ params: execParams, txSignatures: 'pre-verified', verifyItem: verifyItemWith(backend) });
export const verifying: ExecutionContext = Object.freeze({ params: execParams, txSignatures: 'verify', verifyItem: verifyItemWith(backend) });

export function makeTx(sender: number, nonce: bigint, body: TxBody, fee = 10n): Tx {
  return { chainId: CHAIN, sender: poolAddress[sender] as Address, nonce, fee, body };
}

/** A transaction with a placeholder signature (for 'pre-verified' execution). */
export function fakeSigned(tx: Tx, carryKeyOf?: number): SignedTx {
  const base = { tx, signature: fakeSignature('ml-dsa-44') };
  return carryKeyOf === undefined ? base : { ...base, publicKey: tagged(pool[carryKeyOf] as KeyPair) };
}

/** Real evidence: pool validator `who` double-signs vertex slot (epoch 0, round). Two ML-DSA signatures. */
export function realEvidence(who: number, round: bigint): Promise<Evidence> {
  return equivocation(pool[who] as KeyPair, [0n, round], contextBytes(CONTEXTS.vertex));
}

// ---- workloads ----

export type Op =
  | { readonly kind: 'transfer'; readonly sender: number; readonly to: number; readonly amount: bigint }
  | { readonly kind: 'bond' | 'unbond'; readonly sender: number; readonly amount: bigint }
  | { readonly kind: 'rotate-key'; readonly sender: number; readonly newKeyOf: number }
  | { readonly kind: 'evidence'; readonly sender: number; readonly evidence: number };

export type OpPlan = { readonly op: Op; readonly fee: bigint; readonly nonceShift: number; readonly carryKey: boolean };

const who = fc.integer({ min: 0, max: POOL_SIZE - 1 });
// Amounts cluster around balances, so insufficient-balance rejects are common.
const amount = fc.oneof(fc.bigInt({ min: 1n, max: 2_000n }), fc.bigInt({ min: 40_000n, max: 160_000n }));

export function arbOp(evidenceCount: number): fc.Arbitrary<Op> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('transfer' as const), sender: who, to: fc.integer({ min: 0, max: POOL_SIZE }), amount }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('bond' as const, 'unbond' as const), sender: who, amount }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('rotate-key' as const), sender: who, newKeyOf: who }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('evidence' as const), sender: who, evidence: fc.integer({ min: 0, max: Math.max(0, evidenceCount - 1) }) }) },
  );
}

export function arbPlan(evidenceCount: number): fc.Arbitrary<OpPlan> {
  return fc.record({
    op: arbOp(evidenceCount),
    fee: fc.oneof(fc.constant(10n), fc.bigInt({ min: 0n, max: 150_000n })),
    nonceShift: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 1 }) }),
    carryKey: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
  });
}

/**
 * Turns plans into signed transactions, tracking a guessed next nonce per sender (a guess only:
 * dropped transactions make it drift, which is the point — stale and replayed nonces).
 */
export function buildWorkload(plans: readonly OpPlan[], evidence: readonly Evidence[], nonces: bigint[] = new Array<bigint>(POOL_SIZE).fill(0n)): SignedTx[] {
  const out: SignedTx[] = [];
  for (const plan of plans) {
    const { op } = plan;
    const nonce = nonces[op.sender] as bigint;
    const shifted = nonce + BigInt(plan.nonceShift);
    const body = bodyOf(op, evidence);
    const signed = fakeSigned(makeTx(op.sender, shifted < 0n ? 0n : shifted, body, plan.fee), plan.carryKey || (op.sender >= KEYED && nonce === 0n) ? op.sender : undefined);
    out.push(signed);
    if (plan.nonceShift === 0) nonces[op.sender] = nonce + 1n;
  }
  return out;
}

function bodyOf(op: Op, evidence: readonly Evidence[]): TxBody {
  switch (op.kind) {
    case 'transfer': {
      const to = op.to === POOL_SIZE ? outsider : (poolAddress[op.to] as Address);
      return { kind: 'transfer', value: { to, amount: op.amount } };
    }
    case 'bond':
    case 'unbond':
      return { kind: op.kind, value: { amount: op.amount } };
    case 'rotate-key':
      return { kind: 'rotate-key', value: { newKey: tagged(pool[op.newKeyOf] as KeyPair), possession: fakeSignature('ml-dsa-44', 3) } };
    case 'evidence': {
      const ev = evidence[op.evidence];
      if (ev === undefined) return { kind: 'bond', value: { amount: 1n } };
      return { kind: 'evidence', value: { evidence: ev } };
    }
  }
}

/** Adds verbatim replays: each position is followed, with probability from `picks`, by a copy of an earlier tx. */
export function withReplays(txs: readonly SignedTx[], picks: readonly number[]): SignedTx[] {
  const out: SignedTx[] = [];
  txs.forEach((t, i) => {
    out.push(t);
    const pick = picks[i % Math.max(1, picks.length)] ?? -1;
    if (pick >= 0 && out.length > 1) out.push(out[pick % out.length] as SignedTx);
  });
  return out;
}
