/**
 * Which pooled transactions this validator proposes, so that a transaction rides in one vertex
 * rather than in every validator's.
 *
 * Every node's pool holds every relayed transaction (so that any validator can propose one
 * whose first node failed), and all pools rank alike: left alone, all n validators would put the
 * same transactions in their next vertices — n times the bytes, verification and execution for
 * one effect (the copies are dropped at execution). The rule (docs/protocol.md "Proposing"):
 *
 * - a transaction in an accepted vertex of this epoch that is not committed yet is not proposed
 *   again: it executes there. In an own vertex it is passed over (`skip`: the sender's next
 *   nonces may follow, since every own vertex has the previous own one in its history and
 *   executes after it); in another validator's vertex it puts its sender off (`later`) — that
 *   vertex need not be in the history of ours, so a later nonce proposed here could execute
 *   first and fail. If that vertex falls below the gc round uncommitted, it is forgotten here
 *   and may be proposed again;
 * - a `local` one (a client of this node submitted it) is proposed at once: the node a client
 *   chooses is the one expected to propose;
 * - a relayed one waits, from when this validator first found it ready: `designatedWaitMs` for
 *   the sender's designated validator (a fixed function of sender and epoch; it proposes for
 *   clients of nodes without a seat), `anyoneWaitMs` for the others. The waits are long enough
 *   for the proposing node's vertex to arrive, and bound what a crashed or censoring node adds.
 *
 * A proposal only ever takes fewer transactions than the pool offers, never different ones:
 * the rule is local policy, not validity (any vertex's transactions are valid to others).
 * Bounded: `riding` by the uncommitted DAG above the gc round, `firstReady` by what the last
 * selection reached.
 */
import { decodeSignedTx, txId, type Address, type ProtocolParams } from '../state/index.ts';
import type { Choice, PooledTx } from '../state/mempool/index.ts';
import type { Hash32 } from '../crypto/index.ts';

export type TxChoiceWaits = {
  /** A relayed transaction's wait before its designated validator proposes it. */
  readonly designatedWaitMs: number;
  /** A relayed transaction's wait before any validator proposes it. */
  readonly anyoneWaitMs: number;
};

export type TxChooser = (tx: PooledTx) => Choice;

export type TxChoice = {
  /** An accepted vertex's transactions now ride in the DAG at `round` (`own`: in this validator's vertex). */
  sawVertex(transactions: readonly Uint8Array[], round: number, own: boolean): void;
  /** Executed: never proposed again (the pool drops them too). */
  committed(ids: readonly Hash32[]): void;
  /** Vertices below `gcRound` are gone: their uncommitted transactions may be proposed again. */
  gc(gcRound: number): void;
  /** A new epoch: the old DAG is gone. */
  clear(): void;
  /** The `choose` of one selection at `nowMs` by member `self` of a committee of `members` in `epoch`. */
  chooser(nowMs: number, self: number, members: number, epoch: bigint): TxChooser;
  /** Transactions known to ride in the DAG (for status and tests). */
  riding(): number;
  /** Whether transaction `id` rides in an accepted, uncommitted vertex of this epoch (above the gc round). */
  rides(id: Hash32): boolean;
};

/** The sender's designated validator in `epoch`: spread evenly (addresses are hashes), rotating per epoch. */
export function designatedProposer(sender: Address, epoch: bigint, members: number): number {
  const word = ((sender[0] ?? 0) << 24 | (sender[1] ?? 0) << 16 | (sender[2] ?? 0) << 8 | (sender[3] ?? 0)) >>> 0;
  return Number((BigInt(word) + epoch) % BigInt(members));
}

export function createTxChoice(params: ProtocolParams, waits: TxChoiceWaits, toHex: (b: Uint8Array) => string): TxChoice {
  /** Hex id → the vertex it rides in: its round (the highest seen) and whether it is an own one. */
  const riding = new Map<string, { round: number; own: boolean }>();
  /** Hex id → when a selection first found it ready (relayed ones only). */
  let firstReady = new Map<string, number>();

  return Object.freeze({
    sawVertex(transactions: readonly Uint8Array[], round: number, own: boolean): void {
      for (const bytes of transactions) {
        const decoded = decodeSignedTx(bytes, params);
        if (!decoded.ok) continue;
        const id = toHex(txId(decoded.value.tx));
        const known = riding.get(id);
        riding.set(id, { round: Math.max(round, known?.round ?? round), own: own || known?.own === true });
        firstReady.delete(id);
      }
    },
    committed(ids: readonly Hash32[]): void {
      for (const id of ids) riding.delete(toHex(id));
    },
    gc(gcRound: number): void {
      for (const [id, at] of riding) if (at.round < gcRound) riding.delete(id);
    },
    clear(): void {
      riding.clear();
      firstReady.clear();
    },
    chooser(nowMs: number, self: number, members: number, epoch: bigint): TxChooser {
      // The clocks of transactions this selection does not reach are dropped (evicted,
      // committed, or beyond the vertex's budget: the latter start again, later).
      const previous = firstReady;
      const reached = new Map<string, number>();
      firstReady = reached;
      return (tx: PooledTx): Choice => {
        const id = toHex(tx.id);
        const rides = riding.get(id);
        if (rides !== undefined) return rides.own ? 'skip' : 'later';
        if (tx.origin === 'local') return 'take';
        const since = previous.get(id) ?? nowMs;
        reached.set(id, since);
        const waitMs = designatedProposer(tx.signedTx.tx.sender, epoch, members) === self ? waits.designatedWaitMs : waits.anyoneWaitMs;
        return nowMs - since >= waitMs ? 'take' : 'later';
      };
    },
    riding: () => riding.size,
    rides: (id: Hash32) => riding.has(toHex(id)),
  });
}
