/**
 * The offered load (folder-private): signed transfers from the chain's funded users at a fixed
 * rate, each user submitting to one honest, running validator's mempool (users are spread
 * round-robin over those up at the time),
 * which verifies it through the run's verifier. Submission times are recorded per transaction
 * id for the latency metrics. Real-crypto runs stop after `maxTransfers` signatures (pure-JS
 * ML-DSA signing costs milliseconds each); modeled runs have no cap beyond rate × duration.
 * A user whose pooled transactions were lost (its validator crashed) resumes from its committed
 * nonce once it is further ahead than the mempool's nonce window allows.
 */
import { getAccount, signTx, txId, type Tx } from '../../core/state/index.ts';
import type { KeyPair, Signer } from '../../core/crypto/index.ts';
import { addressOf } from './chain.ts';
import type { SimContext } from './_context.ts';

/** Submissions are batched every 20 ms: smooth enough for latency percentiles, few events. */
export const WORKLOAD_TICK_MS = 20;
/** Resynchronise a user's nonce beyond this many unconfirmed transactions (the mempool's window is 64). */
const NONCE_RESYNC_GAP = 48n;
const TRANSFER_FEE = 1_000n;

export type Workload = { tick(): Promise<void> | undefined; readonly exhausted: () => boolean };

export function createWorkload(ctx: SimContext, tps: number, maxTransfers: number): Workload {
  const users = ctx.chain.users;
  const signers = new Map<number, Signer>();
  const nonces = users.map(() => 0n);
  let due = 0;
  let next = 0;
  let signed = 0;

  const submitOne = async (u: number, targets: readonly number[]): Promise<void> => {
    const keys = users[u] as KeyPair;
    const target = ctx.primaries[targets[u % targets.length] as number];
    if (target === undefined) return;
    const sender = addressOf(keys);
    const committed = getAccount(target.validator.ledger(), sender)?.nonce ?? 0n;
    if ((nonces[u] as bigint) < committed || (nonces[u] as bigint) - committed > NONCE_RESYNC_GAP) nonces[u] = committed;
    const tx: Tx = { chainId: ctx.chain.genesis.chainId, sender, nonce: nonces[u] as bigint, fee: TRANSFER_FEE, body: { kind: 'transfer', value: { to: ctx.chain.sink, amount: 1n } } };
    let signer = signers.get(u);
    if (signer === undefined) {
      signer = ctx.crypto.signer(keys);
      signers.set(u, signer);
    }
    signed++;
    const signedTx = await signTx(signer, tx, { includePublicKey: false });
    const result = await target.mempool.admitTx(signedTx);
    if (!result.ok) return;
    nonces[u] = (nonces[u] as bigint) + 1n;
    ctx.metrics.onSubmitted(txId(signedTx.tx), ctx.scheduler.nowMs);
  };

  const submitBatch = async (count: number): Promise<void> => {
    // Honest validators that are up, now (a user whose validator fell over moves to another).
    const targets = ctx.primaries.filter((p) => p.alive && !ctx.faulty.has(p.index)).map((p) => p.index);
    if (targets.length === 0) return;
    for (let i = 0; i < count && signed < maxTransfers; i++) {
      const u = next;
      next = (next + 1) % users.length;
      await submitOne(u, targets);
    }
  };

  return {
    tick: () => {
      due += (tps * WORKLOAD_TICK_MS) / 1000;
      const count = Math.floor(due);
      due -= count;
      if (count === 0 || signed >= maxTransfers) return undefined;
      return submitBatch(count);
    },
    exhausted: () => signed >= maxTransfers,
  };
}

/** Users for a rate: ~8 transfers/s each keeps every sender far below the mempool's per-sender bound. */
export function usersForTps(tps: number): number {
  return Math.min(256, Math.max(4, Math.ceil(tps / 8)));
}
