/**
 * When a node gossips the transactions its own clients submit (through the HTTP API).
 *
 * A node with a seat proposes its clients' transactions itself, in its next vertex (the
 * `local` rule of core/validator/_txChoice.ts), and that vertex carries them to every node.
 * Gossiping them as well sent every transfer's bytes over every link twice more (the batch
 * and gossipsub's relays of it) for a fallback that only matters when the node does not get
 * them into the DAG. So a seated node holds each one for `relayAfterMs` and gossips it only if
 * it is then still pooled here and rides in no accepted vertex (the node is catching up, its
 * vertices are not getting through, the transaction waits behind its sender's earlier nonce in
 * another validator's vertex). A node without a seat cannot propose: it gossips at once.
 *
 * What is given up: a transaction admitted by a seated node that crashes before its next vertex
 * is out (one round, ≈ 100 ms) is lost, where gossip 5 ms later might have saved it; its client
 * sees no commit and resubmits. docs/decisions.md "A seated node gossips its clients'
 * transactions only when its own vertex does not carry them".
 *
 * Bounded: at most `maxHeld` transactions wait (beyond it one is gossiped at once); one timer.
 */
import { toHex } from '../../core/crypto/index.ts';
import type { TxId } from '../../core/state/mempool/index.ts';

export type ClientRelayInit = {
  /** Gossips a transaction to every pool. */
  readonly publish: (bytes: Uint8Array) => void;
  /** Whether this node holds a seat in its current committee (it proposes its clients' transactions). */
  readonly proposes: () => boolean;
  /** Whether the transaction still needs carrying: pooled here and riding in no accepted vertex. */
  readonly waiting: (id: TxId) => boolean;
  /** How long a seated node lets its own vertices carry a transaction before it gossips it. */
  readonly relayAfterMs: number;
  /** Transactions held at once, at most. */
  readonly maxHeld: number;
};

export type ClientRelay = {
  /** A client's transaction was admitted to the pool (`id` is its transaction id). */
  admitted(bytes: Uint8Array, id: TxId): void;
  /** Transactions held now (for status and tests). */
  held(): number;
  /** Forgets every held transaction and the timer (the node stops). */
  stop(): void;
};

type Held = { readonly bytes: Uint8Array; readonly id: TxId; readonly dueMs: number };

export function createClientRelay(init: ClientRelayInit): ClientRelay {
  if (!Number.isFinite(init.relayAfterMs) || init.relayAfterMs < 0) throw new RangeError(`createClientRelay: relayAfterMs must be a non-negative number, got ${init.relayAfterMs}`);
  if (!Number.isSafeInteger(init.maxHeld) || init.maxHeld < 0) throw new RangeError(`createClientRelay: maxHeld must be a non-negative integer, got ${init.maxHeld}`);
  /** Keyed by hex id, in admission order: the due times ascend (one constant delay). */
  const held = new Map<string, Held>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const arm = (): void => {
    if (timer !== undefined || stopped) return;
    const first = held.values().next();
    if (first.done === true) return;
    timer = setTimeout(sweep, Math.max(0, first.value.dueMs - Date.now()));
  };

  function sweep(): void {
    timer = undefined;
    const nowMs = Date.now();
    for (const [key, entry] of held) {
      if (entry.dueMs > nowMs) break;
      held.delete(key);
      if (init.waiting(entry.id)) init.publish(entry.bytes);
    }
    arm();
  }

  return Object.freeze({
    admitted(bytes: Uint8Array, id: TxId): void {
      if (stopped) return;
      const key = toHex(id);
      if (held.has(key)) return;
      if (!init.proposes() || held.size >= init.maxHeld) {
        init.publish(bytes);
        return;
      }
      held.set(key, { bytes, id, dueMs: Date.now() + init.relayAfterMs });
      arm();
    },
    held: () => held.size,
    stop(): void {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      held.clear();
    },
  });
}
