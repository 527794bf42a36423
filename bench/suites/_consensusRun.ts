/**
 * One timed consensus run for the consensus suite: N whole validators on the in-memory network
 * of core/validator/test/harness.ts (virtual clock, constant 10 ms links, real ML-DSA-44
 * deterministic signing, verification through the harness's one verify pool), run until a
 * virtual-time OR a wall-time budget is spent, whichever comes first.
 *
 * The harness is test support; the benchmark imports it on purpose, so the figures measure the
 * very validators and event loop the agreement tests check (no second copy of the loop here).
 * Its `instrument` hooks time every signature and every verify call, and count the vertices the
 * validators accept; its trace is turned off (string building is not the validator's cost).
 *
 * Caveat: the verify pool (and its cache) is shared by every run of the process, so a run
 * must never be repeated on the same chain: its statements would all be cache hits.
 */
import type { Signer, VerifyPool } from '../../core/crypto/index.ts';
import { DEFAULT_PARAMS, type ProtocolParams } from '../../core/state/index.ts';
import { createNetwork, makeChain, submitTransfers, TEST_PARAMS, verifyPool, type Node } from '../../core/validator/test/harness.ts';
import type { ValidatorMetrics } from '../../core/validator/types.ts';
import { toHex } from '../../core/crypto/index.ts';

export type ConsensusRunPlan = {
  readonly validators: number;
  /** Virtual time at most, ms after genesis. */
  readonly maxVirtualMs: number;
  /** Wall time at most, ms. */
  readonly maxWallMs: number;
  /** Signed transfers per harness user (`USERS` of them) submitted before the run. */
  readonly transfersPerUser: number;
};

export type ConsensusRunResult = {
  readonly validators: number;
  readonly wallMs: number;
  readonly virtualMs: number;
  /** Why the run stopped. */
  readonly stoppedBy: 'virtual time' | 'wall time';
  /** Vertices the network proposed (one per validator and round). */
  readonly proposedVertices: number;
  /** Vertices accepted into a DAG, summed over all validators (each proposal counts once per validator). */
  readonly acceptedVertices: number;
  /** Leaders every validator committed (the agreed prefix). */
  readonly committedLeaders: number;
  readonly highestRound: number;
  readonly executedTransactions: number;
  readonly signMs: number;
  readonly signatures: number;
  readonly verifyMs: number;
  readonly verifyCalls: number;
  /** Items the backend verified, and items answered by the shared cache, during the run. */
  readonly verifiedItems: number;
  readonly cacheHits: number;
};

/**
 * The harness's test parameters (gc depth 8 rounds, a checkpoint every 250 ms, so runs collect
 * garbage and certify) but the protocol's default parent bound: the test bound of 16 parents is
 * below the 67-vertex quorum of 100 validators, which could then never propose round 2.
 */
export const CONSENSUS_BENCH_PARAMS: ProtocolParams = Object.freeze({ ...TEST_PARAMS, maxParents: DEFAULT_PARAMS.maxParents });
/** Users the chain funds (their transfers fill the first vertices). */
const USERS = 4;

type Counters = { signMs: number; signatures: number; verifyMs: number; verifyCalls: number; accepted: number };

function instrumentFor(counters: Counters): { signer: (s: Signer) => Signer; verifyBatch: (v: VerifyPool['verifyBatch']) => VerifyPool['verifyBatch']; metrics: ValidatorMetrics } {
  const signer = (inner: Signer): Signer => ({
    scheme: inner.scheme,
    publicKey: inner.publicKey,
    async sign(message, context) {
      const started = performance.now();
      const signature = await inner.sign(message, context);
      counters.signMs += performance.now() - started;
      counters.signatures++;
      return signature;
    },
  });
  const verifyBatch = (inner: VerifyPool['verifyBatch']): VerifyPool['verifyBatch'] => async (items) => {
    const started = performance.now();
    const results = await inner(items);
    counters.verifyMs += performance.now() - started;
    counters.verifyCalls++;
    return results;
  };
  const metrics: ValidatorMetrics = {
    vertexAccepted: (count) => void (counters.accepted += count),
    vertexRejected: () => undefined,
    leaderDecided: () => undefined,
    leaderTimeout: () => undefined,
    committedTransactions: () => undefined,
  };
  return { signer, verifyBatch, metrics };
}

/** The length of the committed prefix every node shares; throws if two nodes disagree on it (a safety bug). */
function agreedCommits(nodes: readonly Node[]): number {
  const shortest = Math.min(...nodes.map((n) => n.committed.length));
  const first = nodes[0];
  if (first === undefined) return 0;
  for (let i = 0; i < shortest; i++) {
    const digest = toHex((first.committed[i] as Node['committed'][number]).commitDigest);
    for (const node of nodes) {
      if (toHex((node.committed[i] as Node['committed'][number]).commitDigest) !== digest) throw new Error(`consensus bench: ${node.spec.id} disagrees with ${first.spec.id} at commit ${i}`);
    }
  }
  return shortest;
}

export async function runConsensus(plan: ConsensusRunPlan): Promise<ConsensusRunResult> {
  const counters: Counters = { signMs: 0, signatures: 0, verifyMs: 0, verifyCalls: 0, accepted: 0 };
  const chain = makeChain(plan.validators, USERS, CONSENSUS_BENCH_PARAMS);
  const net = await createNetwork({ chain, trace: false, maxEvents: Number.MAX_SAFE_INTEGER, instrument: instrumentFor(counters) });
  await submitTransfers(chain, net.nodes, plan.transfersPerUser);
  // Admission signed and verified the transfers: only what the validators do is counted.
  Object.assign(counters, { signMs: 0, signatures: 0, verifyMs: 0, verifyCalls: 0, accepted: 0 });
  const pool = await verifyPool();
  const before = pool.stats();
  const started = performance.now();
  // Asked before every event: the wall bound holds to within one event's work.
  const overWallBudget = (): boolean => performance.now() - started >= plan.maxWallMs;
  await net.run(plan.maxVirtualMs, overWallBudget);
  const wallMs = performance.now() - started;
  const virtualMs = net.virtualTimeMs();
  const stoppedBy: ConsensusRunResult['stoppedBy'] = virtualMs < plan.maxVirtualMs ? 'wall time' : 'virtual time';
  const after = pool.stats();
  const statuses = net.nodes.map((n) => n.validator.status());
  return {
    validators: plan.validators,
    wallMs,
    virtualMs,
    stoppedBy,
    proposedVertices: net.nodes.reduce((sum, n) => sum + n.effectTypes.filter((t) => t === 'proposed').length, 0),
    acceptedVertices: counters.accepted,
    committedLeaders: agreedCommits(net.nodes),
    highestRound: Math.max(...statuses.map((s) => s.highestRound)),
    executedTransactions: Math.min(...statuses.map((s) => s.executedTransactions)),
    signMs: counters.signMs,
    signatures: counters.signatures,
    verifyMs: counters.verifyMs,
    verifyCalls: counters.verifyCalls,
    verifiedItems: after.verified - before.verified,
    cacheHits: after.cacheHits - before.cacheHits,
  };
}
