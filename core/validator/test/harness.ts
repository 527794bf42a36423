// Test support only: N real validators on an in-memory network with a virtual clock.
//
// A tiny deterministic event loop: a priority queue ordered by (time, sequence), constant or
// seeded-random link latency, every effect carried out in order (persist to a Map, verify
// through a REAL verify pool, sign with deterministic ML-DSA-44 signing, timers, fetches
// answered from the asked peer's store). One verify pool — and so one verify cache — serves
// every validator: identical statements are verified once, forged ones are still caught (the
// cache remembers only valid statements). Keys come from public labels, so runs are
// reproducible bit for bit; the trace (`_trace.ts`) is what the golden transcripts compare.
// A node may start without a seat (an observer, e.g. an account about to bond): it follows
// and takes its seat when an epoch change names its address (`epochScenario`). A Byzantine
// node is emulated by rewriting its broadcasts (`rewriteBroadcast`) and then `stop`ping it.
import {
  addressFromPublicKey,
  createLocalSigner,
  createNobleBackend,
  createVerifyPool,
  loadLiboqsBackend,
  schemeInfo,
  toHex,
  type KeyPair,
  type Signer,
  type VerifyPool,
} from '../../crypto/index.ts';
import type { Certificate } from '../../consensus/certificate.ts';
import { createCommittee, type Committee } from '../../consensus/committee.ts';
import { epochLeaderSeed } from '../../consensus/leaderSchedule.ts';
import type { VertexRef } from '../../dag/index.ts';
import {
  DEFAULT_PARAMS,
  genesisHash,
  getAccount,
  keyPairFromLabel,
  ledgerFromGenesis,
  signTx,
  txId,
  type Genesis,
  type Ledger,
  type ProtocolParams,
  type TxBody,
} from '../../state/index.ts';
import { createMempool, type Mempool } from '../../state/mempool/index.ts';
import { createValidator, type Validator } from '../index.ts';
import type { CommittedOutput, ValidatorEffect, ValidatorEvent, ValidatorInit, ValidatorMetrics } from '../types.ts';
import type { ValidatorResumePoint } from '../resumePoint.ts';
import { describe } from './_trace.ts';
import { createPrng } from '../../prng.ts';

export const CHAIN_ID = 'kaldrix-validator-test';
/** 2026-01-01T00:00:00Z; traces print times relative to it. */
export const GENESIS_TIME_MS = 1_767_225_600_000;
const VALIDATOR_STAKE = 10_000_000n;
const USER_BALANCE = 1_000_000_000n;

const noble = createNobleBackend();
let sharedPool: VerifyPool | undefined;

/** One verify pool for every run of the test file: liboqs in the calling thread, shared cache. */
export async function verifyPool(): Promise<VerifyPool> {
  sharedPool ??= createVerifyPool({ fallback: await loadLiboqsBackend({ schemes: ['ml-dsa-44'] }) }, { workers: 0 });
  return sharedPool;
}

const keyCache = new Map<string, KeyPair>();
function keysOf(label: string): KeyPair {
  let keys = keyCache.get(label);
  if (keys === undefined) {
    keys = keyPairFromLabel(noble, 'ml-dsa-44', label);
    keyCache.set(label, keys);
  }
  return keys;
}
const addressOf = (keys: KeyPair): Uint8Array => addressFromPublicKey(schemeInfo(keys.scheme).tag, keys.publicKey);

/** Test parameters: small gc depth so runs exercise gc; short checkpoint interval so they certify. */
export const TEST_PARAMS: ProtocolParams = Object.freeze({
  ...DEFAULT_PARAMS,
  chainId: CHAIN_ID,
  maxParents: 16,
  gcDepthRounds: 8,
  checkpointIntervalMs: 250,
});

export type Chain = {
  readonly genesis: Genesis;
  readonly committee: Committee;
  readonly ledger: Ledger;
  readonly genesisHash: Uint8Array;
  readonly leaderSeed: Uint8Array;
  /** Key pairs by committee member index. */
  readonly validatorKeys: readonly KeyPair[];
  readonly users: readonly KeyPair[];
};

export type ChainOptions = {
  /** Give every validator a spendable balance too (so it can pay fees, e.g. to unbond). Default false. */
  readonly fundValidators?: boolean;
};

export function makeChain(validators: number, users = 4, params: ProtocolParams = TEST_PARAMS, options: ChainOptions = {}): Chain {
  const vKeys = Array.from({ length: validators }, (_, i) => keysOf(`validator-harness-${i}`));
  const uKeys = Array.from({ length: users }, (_, i) => keysOf(`user-harness-${i}`));
  const byAddress = <T extends { address: Uint8Array }>(list: T[]): T[] => list.sort((a, b) => (toHex(a.address) < toHex(b.address) ? -1 : 1));
  const genesis: Genesis = {
    chainId: params.chainId,
    genesisTimeMs: GENESIS_TIME_MS,
    params,
    accounts: byAddress([...uKeys, ...(options.fundValidators === true ? vKeys : [])].map((k) => ({ address: addressOf(k), balance: USER_BALANCE, key: { scheme: k.scheme, publicKey: k.publicKey } }))),
    validators: byAddress(vKeys.map((k) => ({ address: addressOf(k), key: { scheme: k.scheme, publicKey: k.publicKey }, stake: VALIDATOR_STAKE }))),
  };
  const committee = createCommittee(0n, genesis.validators);
  const validatorKeys = committee.members.map((m) => vKeys.find((k) => toHex(addressOf(k)) === toHex(m.address)) as KeyPair);
  const hash = genesisHash(genesis);
  return { genesis, committee, ledger: ledgerFromGenesis(genesis), genesisHash: hash, leaderSeed: epochLeaderSeed(0n, hash), validatorKeys, users: uKeys };
}

export type NodeSpec = {
  /** Peer id, e.g. 'v2' (twins: 'v3' and 'v3*'). */
  readonly id: string;
  /** Member index in the genesis committee; omitted for a node without a seat (then `keys`). */
  readonly index?: number;
  /** The keys of a node without a genesis seat: it follows as an observer until a committee names its address. */
  readonly keys?: KeyPair;
  /** Virtual time at which the node stops (crash): nothing is delivered to or from it afterwards. */
  readonly crashAtMs?: number;
  /**
   * Virtual time at which a crashed node starts again, as a new validator instance from the
   * genesis ledger: with its persisted own vertices ('store-kept', the default) or with nothing
   * ('store-lost'). Events meant for the old instance (timers, answers, messages) are dropped.
   */
  readonly restartAtMs?: number;
  readonly restartWith?: 'store-kept' | 'store-lost';
};

export type NetworkOptions = {
  readonly chain: Chain;
  /** Default: one node per committee member, ids 'v<i>'. */
  readonly nodes?: readonly NodeSpec[];
  /** One-way latency in ms: a constant, or a seeded range. Default 10. */
  readonly latency?: number | { readonly seed: number; readonly minMs: number; readonly maxMs: number };
  /** Whether `from` may send to `to` (default: everyone to everyone). */
  readonly link?: (from: string, to: string) => boolean;
  /** Extra inbound latency per node id (twins use it to see the world a little later). */
  readonly extraInboundMs?: Readonly<Record<string, number>>;
  /** Safety valve: a run fails beyond this many events. Default 200,000. */
  readonly maxEvents?: number;
  /** Record the trace (`Network.trace`). Default true; benchmarks turn it off, it is not the validator's cost. */
  readonly trace?: boolean;
  /** Benchmark hooks (timing the crypto, counting vertices); default none, and then the run is unchanged. */
  readonly instrument?: NetworkInstrument;
  /**
   * Byzantine behaviour: rewrites a node's own signed vertex after the node persisted it and
   * before it reaches any peer (every peer gets the rewritten bytes; the node keeps its own
   * copy). Default none. A rewritten vertex differs from the one in the node's store, so a
   * test that rewrites usually `stop`s the node right after, before peers could fetch the original.
   */
  readonly rewriteBroadcast?: (node: Node, bytes: Uint8Array) => Promise<Uint8Array>;
};

export type NetworkInstrument = {
  /** Wraps each node's signer. */
  readonly signer?: (signer: Signer) => Signer;
  /** Wraps the verify call the `verify` effects go through. */
  readonly verifyBatch?: (verifyBatch: VerifyPool['verifyBatch']) => VerifyPool['verifyBatch'];
  /** Metrics given to every validator. */
  readonly metrics?: ValidatorMetrics;
};

export type Node = {
  readonly spec: NodeSpec;
  /** Replaced at a restart. */
  validator: Validator;
  mempool: Mempool;
  /** Instance number: 0 at the start, +1 at each restart. */
  incarnation: number;
  readonly signer: Signer;
  readonly persisted: Map<string, Uint8Array>;
  readonly committed: CommittedOutput[];
  readonly certified: Certificate[];
  /** The committees this node switched to, in order. */
  readonly epochs: Committee[];
  readonly penalties: { readonly peer: string; readonly reason: string }[];
  /** Order in which effects came out: persist before broadcast is checked on it. */
  readonly effectTypes: string[];
  /**
   * Set before a restart: the new instance resumes from this point (with the committee of the
   * epoch it resumes in) instead of starting from the genesis ledger.
   */
  resumeFrom?: { readonly point: ValidatorResumePoint; readonly committee: Committee } | undefined;
};

type HarnessEvent = ValidatorEvent | { readonly type: 'restart'; readonly nowMs: number };
type Scheduled = { readonly atMs: number; readonly seq: number; readonly node: Node; readonly incarnation: number; readonly event: HarnessEvent };

/** A binary min-heap by (atMs, seq): the event loop's queue. */
function createQueue(): { push(e: Scheduled): void; pop(): Scheduled | undefined; size(): number } {
  const heap: Scheduled[] = [];
  const less = (a: Scheduled, b: Scheduled): boolean => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  return {
    push(e) {
      heap.push(e);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!less(heap[i] as Scheduled, heap[p] as Scheduled)) break;
        [heap[i], heap[p]] = [heap[p] as Scheduled, heap[i] as Scheduled];
        i = p;
      }
    },
    pop() {
      const top = heap[0];
      const last = heap.pop();
      if (heap.length > 0 && last !== undefined) {
        heap[0] = last;
        for (let i = 0; ; ) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && less(heap[l] as Scheduled, heap[m] as Scheduled)) m = l;
          if (r < heap.length && less(heap[r] as Scheduled, heap[m] as Scheduled)) m = r;
          if (m === i) break;
          [heap[i], heap[m]] = [heap[m] as Scheduled, heap[i] as Scheduled];
          i = m;
        }
      }
      return top;
    },
    size: () => heap.length,
  };
}

/** mulberry32: a tiny pinned PRNG for seeded latencies (integer state, one draw per message). */
export function mulberry32(seed: number): () => number {
  return createPrng(seed).nextFloat;
}

export type Network = {
  readonly nodes: readonly Node[];
  readonly trace: string[];
  /** Delivers raw bytes to node `to` as if sent by `from`, at `atMs` (relative to genesis). */
  inject(to: string, bytes: Uint8Array, from: string, atMs: number): void;
  /**
   * Runs until virtual time `untilMs` (relative to genesis) or the queue empties; or, when
   * `shouldStop` is given, until it returns true (asked before each event; benchmarks bound
   * wall time with it). A stopped run resumes with the next `run`.
   */
  run(untilMs: number, shouldStop?: () => boolean): Promise<void>;
  node(id: string): Node;
  eventsProcessed(): number;
  /** Virtual time reached, ms after genesis. */
  virtualTimeMs(): number;
  /**
   * From now on node `id` handles no event and answers no fetch (a node gone silent); unlike
   * `crashAtMs`, what it already sent still arrives.
   */
  stop(id: string): void;
};

export async function createNetwork(options: NetworkOptions): Promise<Network> {
  const { chain } = options;
  const pool = await verifyPool();
  const specs: readonly NodeSpec[] = options.nodes ?? chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index }));
  const latency = options.latency ?? 10;
  const draw = typeof latency === 'number' ? undefined : mulberry32(latency.seed);
  const linkDelayMs = (to: string): number => {
    const base = typeof latency === 'number' ? latency : latency.minMs + Math.floor((draw as () => number)() * (latency.maxMs - latency.minMs + 1));
    return base + (options.extraInboundMs?.[to] ?? 0);
  };
  const maxEvents = options.maxEvents ?? 200_000;
  const tracing = options.trace ?? true;
  const verifyBatch = options.instrument?.verifyBatch?.(pool.verifyBatch) ?? pool.verifyBatch;
  const metrics = options.instrument?.metrics;
  const queue = createQueue();
  const trace: string[] = [];
  let seq = 0;
  let processed = 0;
  let started = false;
  let nowMs = GENESIS_TIME_MS;

  const newMempool = (ledger: Ledger = chain.ledger): Mempool => {
    const accounts = { account: (address: Uint8Array) => getAccount(ledger, address) ?? undefined };
    return createMempool({ verifier: pool, accounts }, { chainId: chain.genesis.chainId });
  };
  const newValidator = (spec: NodeSpec, keys: KeyPair, mempool: Mempool, restart?: ValidatorInit['restart'], resumeFrom?: Node['resumeFrom']): Validator => {
    // A resumed node may sit at another index of a later committee: it is found by address.
    const self = spec.index === undefined || resumeFrom !== undefined ? { selfAddress: addressOf(keys) } : { selfIndex: spec.index };
    const start = resumeFrom === undefined
      ? { committee: chain.committee, ledger: chain.ledger, leaderSeed: chain.leaderSeed }
      : { committee: resumeFrom.committee, ledger: resumeFrom.point.ledger, leaderSeed: resumeFrom.point.leaderSeed };
    return createValidator(
      { committee: start.committee, ledger: start.ledger, mempool, ...(metrics === undefined ? {} : { metrics }) },
      {
        ...self, params: chain.genesis.params, leaderSeed: start.leaderSeed, genesisHash: chain.genesisHash, genesisTimeMs: GENESIS_TIME_MS,
        ...(restart === undefined ? {} : { restart }), ...(resumeFrom === undefined ? {} : { resume: resumeFrom.point }),
      },
    );
  };
  const keysOfSpec = (spec: NodeSpec): KeyPair => {
    const keys = spec.index === undefined ? spec.keys : chain.validatorKeys[spec.index];
    if (keys === undefined) throw new Error(`harness: node ${spec.id} needs an index or keys`);
    return keys;
  };
  const nodes: Node[] = specs.map((spec) => {
    const keys = keysOfSpec(spec);
    const mempool = newMempool();
    const validator = newValidator(spec, keys, mempool);
    const localSigner = createLocalSigner(noble, keys);
    const signer = options.instrument?.signer?.(localSigner) ?? localSigner;
    return { spec, validator, mempool, incarnation: 0, signer, persisted: new Map(), committed: [], certified: [], epochs: [], penalties: [], effectTypes: [] };
  });

  /** A new instance of a crashed node: its persisted own vertices kept or lost. */
  const restart = (node: Node): void => {
    node.incarnation++;
    const lost = node.spec.restartWith === 'store-lost';
    let lastOwnVertex: { epoch: bigint; round: number } | undefined;
    for (const key of node.persisted.keys()) {
      const [kind, epochText, roundText] = key.split('/');
      if (kind !== 'own-vertex') continue;
      const candidate = { epoch: BigInt(epochText as string), round: Number(roundText) };
      if (lastOwnVertex === undefined || candidate.epoch > lastOwnVertex.epoch || (candidate.epoch === lastOwnVertex.epoch && candidate.round > lastOwnVertex.round)) lastOwnVertex = candidate;
    }
    if (lost) node.persisted.clear();
    node.mempool = newMempool(node.resumeFrom?.point.ledger);
    node.validator = newValidator(node.spec, keysOfSpec(node.spec), node.mempool, lost ? { kind: 'store-lost' } : { kind: 'store-kept', lastOwnVertex }, node.resumeFrom);
    // The committed outputs of the new instance are compared from its first commit on.
    node.committed.length = 0;
  };
  const byId = new Map(nodes.map((n) => [n.spec.id, n] as const));
  const stopped = new Set<Node>();
  const aliveAt = (node: Node, atMs: number): boolean => {
    const t = atMs - GENESIS_TIME_MS;
    const { crashAtMs, restartAtMs } = node.spec;
    return crashAtMs === undefined || t < crashAtMs || (restartAtMs !== undefined && t >= restartAtMs);
  };
  const linked = (from: string, to: string): boolean => options.link?.(from, to) ?? true;
  const schedule = (node: Node, atMs: number, event: HarnessEvent): void => queue.push({ atMs, seq: seq++, node, incarnation: node.incarnation, event });

  const deliver = (from: Node, to: Node, bytes: Uint8Array, extraMs = 0): void => {
    if (!linked(from.spec.id, to.spec.id)) return;
    const atMs = nowMs + linkDelayMs(to.spec.id) + extraMs;
    schedule(to, atMs, { type: 'vertexReceived', nowMs: atMs, bytes, from: from.spec.id });
  };

  const carryOut = async (node: Node, effect: ValidatorEffect): Promise<void> => {
    node.effectTypes.push(effect.type === 'broadcast' && effect.resend === true ? 'broadcast-resend' : effect.type);
    if (tracing) for (const line of describe(chain, node.epochs[node.epochs.length - 1] ?? chain.committee, effect)) trace.push(`t=${nowMs - GENESIS_TIME_MS}ms ${node.spec.id} ${line}`);
    switch (effect.type) {
      case 'persist':
        node.persisted.set(effect.key, effect.bytes);
        return;
      case 'broadcast': {
        const bytes = options.rewriteBroadcast === undefined ? effect.bytes : await options.rewriteBroadcast(node, effect.bytes);
        for (const peer of nodes) if (peer !== node) deliver(node, peer, bytes);
        return;
      }
      case 'verify': {
        const results = await verifyBatch(effect.items);
        schedule(node, nowMs, { type: 'verified', nowMs, token: effect.token, results });
        return;
      }
      case 'sign': {
        const signature = await node.signer.sign(effect.message, effect.context);
        schedule(node, nowMs, { type: 'signed', nowMs, token: effect.token, signature });
        return;
      }
      case 'setTimer':
        schedule(node, Math.max(nowMs, effect.atMs), { type: 'timer', nowMs: Math.max(nowMs, effect.atMs), timerId: effect.timerId });
        return;
      case 'fetch':
        serveFetch(node, effect.from, effect.refs);
        return;
      case 'requestLatestVertices':
        for (const peer of reachablePeers(node)) {
          const bytes = peer.validator.latestOwnVertex();
          const atMs = nowMs + linkDelayMs(peer.spec.id) + linkDelayMs(node.spec.id);
          if (bytes !== undefined) schedule(node, atMs, { type: 'latestVertexReceived', nowMs: atMs, bytes, from: peer.spec.id, fromMember: peer.validator.status().selfIndex });
        }
        return;
      case 'requestCommitRange':
        for (const peer of reachablePeers(node)) {
          const bytes = peer.validator.commitRange(effect.fromIndex, effect.epoch);
          const atMs = nowMs + linkDelayMs(peer.spec.id) + linkDelayMs(node.spec.id);
          if (bytes !== undefined) schedule(node, atMs, { type: 'commitRangeReceived', nowMs: atMs, bytes, from: peer.spec.id });
        }
        return;
      case 'committed':
        node.committed.push(effect);
        return;
      case 'checkpointCertified':
        node.certified.push(effect.certificate);
        return;
      case 'epochChanged':
        node.epochs.push(effect.committee);
        return;
      case 'penalize':
        node.penalties.push({ peer: effect.peer, reason: effect.reason });
        return;
      default:
        return;
    }
  };

  /** Alive peers linked both ways (a request and its answer). */
  const reachablePeers = (node: Node): Node[] => nodes.filter((p) => p !== node && aliveAt(p, nowMs) && linked(node.spec.id, p.spec.id) && linked(p.spec.id, node.spec.id));

  /**
   * The asked peer answers from its store, if it is alive and linked both ways (a round trip);
   * a request to any peer is answered, per vertex, by the first such peer holding it.
   */
  const serveFetch = (node: Node, from: string | undefined, refs: readonly VertexRef[]): void => {
    const asked = from === undefined ? nodes.filter((p) => p !== node) : [byId.get(from)].filter((p) => p !== undefined);
    const reachable = asked.filter((p) => aliveAt(p, nowMs) && !stopped.has(p) && linked(node.spec.id, p.spec.id));
    for (const ref of refs) {
      for (const peer of reachable) {
        const bytes = peer.validator.vertexBytes(ref);
        if (bytes === undefined) continue;
        deliver(peer, node, bytes, linkDelayMs(peer.spec.id));
        break;
      }
    }
  };

  return {
    nodes,
    trace,
    node: (id) => byId.get(id) as Node,
    eventsProcessed: () => processed,
    virtualTimeMs: () => nowMs - GENESIS_TIME_MS,
    stop(id) {
      stopped.add(byId.get(id) as Node);
    },
    inject(to, bytes, from, atMs) {
      const node = byId.get(to) as Node;
      schedule(node, GENESIS_TIME_MS + atMs, { type: 'vertexReceived', nowMs: GENESIS_TIME_MS + atMs, bytes, from });
    },
    async run(untilMs, shouldStop) {
      if (!started) {
        for (const node of nodes) {
          schedule(node, GENESIS_TIME_MS, { type: 'start', nowMs: GENESIS_TIME_MS });
          const { restartAtMs } = node.spec;
          if (restartAtMs !== undefined) schedule(node, GENESIS_TIME_MS + restartAtMs, { type: 'restart', nowMs: GENESIS_TIME_MS + restartAtMs });
        }
      }
      started = true;
      const endMs = GENESIS_TIME_MS + untilMs;
      for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
        if (next.atMs > endMs) {
          queue.push(next);
          break;
        }
        if (shouldStop?.() === true) {
          queue.push(next);
          return;
        }
        if (++processed > maxEvents) throw new Error(`harness: more than ${maxEvents} events`);
        nowMs = next.atMs;
        if (!aliveAt(next.node, nowMs) || stopped.has(next.node)) continue;
        if (next.event.type === 'restart') {
          restart(next.node);
          schedule(next.node, nowMs, { type: 'start', nowMs });
          continue;
        }
        // Meant for an instance that has since crashed (a timer, an answer, a message).
        if (next.incarnation !== next.node.incarnation) continue;
        // A message from a node that crashed before it arrived is lost with the node.
        if (next.event.type === 'vertexReceived') {
          const sender = byId.get(next.event.from);
          if (sender !== undefined && !aliveAt(sender, nowMs)) continue;
        }
        for (const effect of next.node.validator.step(next.event)) await carryOut(next.node, effect);
      }
      nowMs = endMs;
    },
  };
}

/** Signed transfers from the chain's users, `perUser` each (nonces 0..perUser-1), round robin over `nodes`. */
export async function submitTransfers(chain: Chain, nodes: readonly Node[], perUser: number): Promise<number> {
  let admitted = 0;
  const sink = addressOf(keysOf('user-harness-sink'));
  for (let u = 0; u < chain.users.length; u++) {
    const keys = chain.users[u] as KeyPair;
    const signer = createLocalSigner(noble, keys);
    const node = nodes[u % nodes.length] as Node;
    for (let nonce = 0n; nonce < BigInt(perUser); nonce++) {
      const tx = { chainId: chain.genesis.chainId, sender: addressOf(keys), nonce, fee: 1000n, body: { kind: 'transfer' as const, value: { to: sink, amount: 10n + nonce } } };
      const result = await node.mempool.admitTx(await signTx(signer, tx, { includePublicKey: false }));
      if (!result.ok) throw new Error(`harness: transfer refused: ${result.error.code}`);
      admitted++;
    }
  }
  return admitted;
}

/** Submits one signed transaction of `body` from `keys` (nonce `nonce`, fee 1,000) to `node`'s mempool; its id. */
export async function submitBody(chain: Chain, node: Node, keys: KeyPair, body: TxBody, nonce = 0n): Promise<Uint8Array> {
  const tx = { chainId: chain.genesis.chainId, sender: addressOf(keys), nonce, fee: 1000n, body };
  const signed = await signTx(createLocalSigner(noble, keys), tx, { includePublicKey: false });
  const result = await node.mempool.admitTx(signed);
  if (!result.ok) throw new Error(`harness: ${body.kind} refused: ${result.error.code}`);
  return txId(signed.tx);
}

/** Short epochs for the epoch-change runs: 2 checkpoints of ≥ 150 ms each. */
export const EPOCH_TEST_PARAMS: ProtocolParams = Object.freeze({ ...TEST_PARAMS, epochLengthCheckpoints: 2, checkpointIntervalMs: 150 });

export type EpochScenario = { readonly chain: Chain; readonly net: Network; readonly joiner: Uint8Array; readonly leaver: Uint8Array };

/**
 * 4 validators (funded, so they can pay fees) and u0, an account without a seat that runs a
 * node as an observer. At the start u0 bonds 10,000,000 (a full seat) and v3 unbonds all its
 * stake; epoch 0 ends at checkpoint 2. `untilMs` default 1,100 (run: false builds only).
 */
export async function epochScenario(options: { readonly run: boolean; readonly untilMs?: number }): Promise<EpochScenario> {
  const chain = makeChain(4, 1, EPOCH_TEST_PARAMS, { fundValidators: true });
  const joinerKeys = chain.users[0] as KeyPair;
  const leaverKeys = chain.validatorKeys[3] as KeyPair;
  const nodes: NodeSpec[] = [...chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index })), { id: 'u0', keys: joinerKeys }];
  const net = await createNetwork({ chain, nodes });
  await submitBody(chain, net.node('v0'), joinerKeys, { kind: 'bond', value: { amount: VALIDATOR_STAKE } });
  await submitBody(chain, net.node('v1'), leaverKeys, { kind: 'unbond', value: { amount: VALIDATOR_STAKE } });
  if (options.run) await net.run(options.untilMs ?? 1100);
  return { chain, net, joiner: addressOf(joinerKeys), leaver: addressOf(leaverKeys) };
}

export { addressOf, keysOf, noble };
