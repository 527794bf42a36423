/**
 * Creating and re-creating validator instances (folder-private): the real `core/validator`
 * with its own mempool; after a crash, a new instance from the genesis ledger with its
 * persisted own vertices kept or lost (`init.restart`, docs/protocol.md "Restart"), exactly as
 * the core's restart tests do.
 */
import { getAccount } from '../../core/state/index.ts';
import { createMempool, type Mempool } from '../../core/state/mempool/index.ts';
import { createValidator, type Validator, type ValidatorInit, type ValidatorMetrics } from '../../core/validator/index.ts';
import type { SimChain } from './chain.ts';
import type { Instance } from './_context.ts';
import type { SimCrypto } from './crypto/simCrypto.ts';
import type { InstanceKind } from './types.ts';

export function newMempool(chain: SimChain, crypto: SimCrypto): Mempool {
  const accounts = { account: (address: Uint8Array) => getAccount(chain.ledger, address) ?? undefined };
  return createMempool({ verifier: crypto.txVerifier, accounts }, { chainId: chain.genesis.chainId });
}

function newValidator(chain: SimChain, index: number, mempool: Mempool, metrics: ValidatorMetrics, restart?: ValidatorInit['restart']): Validator {
  return createValidator(
    { committee: chain.committee, ledger: chain.ledger, mempool, metrics },
    {
      selfIndex: index,
      params: chain.params,
      leaderSeed: chain.leaderSeed,
      genesisHash: chain.genesisHash,
      genesisTimeMs: chain.genesis.genesisTimeMs,
      ...(restart === undefined ? {} : { restart }),
    },
  );
}

/** Metrics hook: only `vertexAccepted` matters to the simulation (it tells when to look for accepted refs). */
function metricsFor(instRef: { inst: Instance | undefined }): ValidatorMetrics {
  const noop = (): void => undefined;
  return {
    vertexRejected: noop,
    vertexAccepted: () => {
      if (instRef.inst !== undefined) instRef.inst.acceptedInStep = true;
    },
    leaderDecided: noop,
    leaderTimeout: noop,
    committedTransactions: noop,
  };
}

export function createInstance(chain: SimChain, crypto: SimCrypto, index: number, kind: InstanceKind, dormant: boolean): Instance {
  const mempool = newMempool(chain, crypto);
  const holder: { inst: Instance | undefined } = { inst: undefined };
  const inst: Instance = {
    index,
    kind,
    peerId: String(index),
    validator: newValidator(chain, index, mempool, metricsFor(holder)),
    mempool,
    incarnation: 0,
    alive: true,
    persisted: new Map(),
    lastLocalMs: -Infinity,
    cpuFreeAtMs: 0,
    dormant,
    world: undefined,
    lastBroadcast: undefined,
    highestCommit: -1,
    unaccepted: new Map(),
    acceptedInStep: false,
  };
  holder.inst = inst;
  return inst;
}

/** The last own vertex slot in `persisted` (keys `own-vertex/<epoch>/<round>`). */
export function lastPersistedOwnVertex(persisted: ReadonlyMap<string, Uint8Array>): { epoch: bigint; round: number } | undefined {
  let last: { epoch: bigint; round: number } | undefined;
  for (const key of persisted.keys()) {
    const [kind, epochText, roundText] = key.split('/');
    if (kind !== 'own-vertex') continue;
    const slot = { epoch: BigInt(epochText as string), round: Number(roundText) };
    if (last === undefined || slot.epoch > last.epoch || (slot.epoch === last.epoch && slot.round > last.round)) last = slot;
  }
  return last;
}

/** Replaces the instance's validator by a restarted one (store kept or wiped); the caller schedules `start`. */
export function restartInstance(chain: SimChain, crypto: SimCrypto, inst: Instance, store: 'keep' | 'wipe'): void {
  inst.incarnation++;
  inst.alive = true;
  const restart: ValidatorInit['restart'] = store === 'wipe' ? { kind: 'store-lost' } : { kind: 'store-kept', lastOwnVertex: lastPersistedOwnVertex(inst.persisted) };
  if (store === 'wipe') inst.persisted.clear();
  inst.mempool = newMempool(chain, crypto);
  inst.validator = newValidator(chain, inst.index, inst.mempool, metricsFor({ inst }), restart);
  inst.unaccepted.clear();
  inst.highestCommit = -1;
}

/** A twin made live from the primary's persisted store: it restarts as a copy that knows its own last slot. */
export function twinFromStore(chain: SimChain, crypto: SimCrypto, primary: Instance): Instance {
  const twin = createInstance(chain, crypto, primary.index, 'twin', false);
  for (const [key, bytes] of primary.persisted) twin.persisted.set(key, bytes);
  restartInstance(chain, crypto, twin, 'keep');
  return twin;
}
