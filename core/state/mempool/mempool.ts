/**
 * The mempool: admitted, verified transactions waiting for a vertex (DESIGN.md §2 Ledger).
 *
 * Bounded by count and bytes, prioritised by fee per byte (_price.ts), ordered by nonce per
 * sender (_senderQueue.ts): a contiguous run from the committed nonce is ready, the rest is
 * queued behind a gap. When full, the cheapest sender tail is evicted (_store.ts).
 *
 * Admission (`admit` / `admitTx`), cheapest checks first: size cap, canonical decode, stateless
 * validation (_candidate.ts); duplicate id and in-flight (sender, nonce); stale nonce, sender
 * key, replacement or per-sender bound, balance, fee floor and fullness (_admission.ts); then
 * the signatures through the shared verify pool, whose cache makes a signature cost one
 * verification per node however often its transaction re-enters.
 *
 * Concurrency: verification is awaited. Before awaiting, an admission reserves its id and its
 * (sender, nonce) slot, so a concurrent copy is DUPLICATE and a concurrent rival for the slot is
 * ADMISSION_IN_PROGRESS; the reservation is released whatever the outcome. After awaiting, the
 * state checks run again and entry is synchronous, so the bounds hold at every moment.
 *
 * Caveat: evidence transactions' evidence signatures need the offender's key from state and
 * are verified by execution, not here (txSign.ts).
 */
import { toHex } from '../../crypto/index.ts';
import { DEFAULT_PARAMS } from '../params.ts';
import { encodeSignedTx } from '../txCodec.ts';
import { txVerifyItems } from '../txSign.ts';
import type { Account, Address, SignedTx } from '../types.ts';
import { checkAdmission, enterPool, type AdmissionSettings } from './_admission.ts';
import { decodeCandidate, toEntry, type Candidate, type Entry } from './_candidate.ts';
import { applyCommitted, refreshSender } from './_committed.ts';
import { selectReady } from './_select.ts';
import { matchesAccount, sameKey } from './_senderQueue.ts';
import { createStore } from './_store.ts';
import type {
  AccountView,
  AdmitOptions,
  Admitted,
  AdmitStatus,
  MempoolComponents,
  MempoolInit,
  MempoolReject,
  MempoolRejectCode,
  MempoolStats,
  PooledTx,
  RemovalReason,
  SelectLimits,
  TxId,
  TxOrigin,
} from './types.ts';
import { err, ok, type Result } from '../../result.ts';

/** 64 pending transactions per sender: over six seconds of one tx per 100 ms round, yet 1/800 of the default pool. */
export const DEFAULT_MAX_PER_SENDER = 64;
/** A replacement pays at least 10% more per byte (the common wallet "speed up" bump). */
export const DEFAULT_REPLACE_BUMP_PERCENT = 10;
/** No node-local fee floor by default: fullness alone prices the pool. */
export const DEFAULT_MIN_FEE_PER_BYTE = 0n;

export type AdmitResult = Result<Admitted, MempoolReject>;

export interface Mempool {
  /** Raw bytes from a peer or a client (`options.origin`, default `local`). Never throws on any bytes. */
  admit(bytes: Uint8Array, options?: AdmitOptions): Promise<AdmitResult>;
  /** A signed transaction built locally; re-encoded and admitted as bytes. */
  admitTx(signedTx: SignedTx, options?: AdmitOptions): Promise<AdmitResult>;
  /** Transactions for a vertex, executable in the returned order; removes nothing. */
  select(limits: SelectLimits): readonly PooledTx[];
  /** A new committed state: drops committed, stale and now-invalid entries, promotes the rest. */
  onCommitted(accounts: AccountView, committedIds: Iterable<TxId>): void;
  get(id: TxId): PooledTx | undefined;
  has(id: TxId): boolean;
  readonly size: number;
  stats(): MempoolStats;
}

type Settings = AdmissionSettings & { readonly chainId: string; readonly maxTxBytes: number };

export function createMempool(components: MempoolComponents, init: MempoolInit): Mempool {
  const settings = checkInit(components, init);
  const { verifier, metrics, logger } = components;
  let accounts: AccountView = components.accounts;
  const accountOf = (address: Address): Account | undefined => accounts.account(address);
  const store = createStore(accountOf);
  const reservedIds = new Set<string>();
  const reservedSlots = new Set<string>();
  const counters = { admitted: 0, replaced: 0, evicted: 0, committed: 0, dropped: 0 };
  const rejects: Partial<Record<MempoolRejectCode, number>> = {};

  const reject = (error: MempoolReject): AdmitResult => {
    rejects[error.code] = (rejects[error.code] ?? 0) + 1;
    metrics?.rejected(error.code);
    return err(Object.freeze(error));
  };

  const removed = (reason: RemovalReason, entries: readonly Entry[]): void => {
    if (entries.length === 0) return;
    counters[reason] += entries.length;
    metrics?.removed(reason, entries.length);
    logger?.debug(`mempool: ${entries.length} ${reason}`, { ids: entries.map((e) => e.idHex.slice(0, 16)) });
  };

  /** The sender's account now; re-checks its queue first if the view moved under it. */
  const currentAccount = (candidate: Candidate): Account | undefined => {
    const account = accounts.account(candidate.sender);
    const queue = store.sender(candidate.senderHex);
    if (queue !== undefined && !matchesAccount(queue, account)) removed('dropped', refreshSender(store, queue, account));
    return account;
  };

  const admitCandidate = async (candidate: Candidate, origin: TxOrigin): Promise<AdmitResult> => {
    if (store.has(candidate.idHex) || reservedIds.has(candidate.idHex)) return reject({ code: 'DUPLICATE', id: candidate.id });
    const slot = `${candidate.senderHex}:${candidate.nonce}`;
    if (reservedSlots.has(slot)) return reject({ code: 'ADMISSION_IN_PROGRESS', nonce: candidate.nonce });
    const before = checkAdmission(store, candidate, currentAccount(candidate), settings);
    if (!before.ok) return reject(before.error);

    reservedIds.add(candidate.idHex);
    reservedSlots.add(slot);
    let valid: boolean[];
    try {
      valid = await verifier.verifyBatch(txVerifyItems(candidate.signedTx, before.value.senderKey));
    } catch (cause) {
      logger?.debug('mempool: verifier unavailable', { reason: String(cause) });
      return reject({ code: 'VERIFIER_UNAVAILABLE', reason: cause instanceof Error ? cause.message : String(cause) });
    } finally {
      reservedIds.delete(candidate.idHex);
      reservedSlots.delete(slot);
    }
    if (!valid.every((v) => v)) return reject({ code: 'BAD_SIGNATURE' });

    // The pool and the committed state may have moved while verification was awaited.
    const account = currentAccount(candidate);
    const after = checkAdmission(store, candidate, account, settings);
    if (!after.ok) return reject(after.error);
    if (!sameKey(after.value.senderKey, before.value.senderKey)) return reject({ code: 'SENDER_KEY_CHANGED' });
    const entry = toEntry(candidate, after.value.senderKey, origin);
    const entered = enterPool(store, entry, after.value, account, settings);
    if (!entered.ok) return reject(entered.error);
    return admitted(entry, after.value.replaces !== undefined, entered.value.evicted, entered.value.dropped);
  };

  const admitted = (entry: Entry, isReplacement: boolean, evicted: readonly Entry[], dropped: readonly Entry[]): AdmitResult => {
    removed('evicted', evicted);
    removed('dropped', dropped);
    const queue = store.sender(entry.senderHex);
    const isReady = queue !== undefined && entry.nonce < queue.accountNonce + BigInt(queue.readyCount);
    const status: AdmitStatus = isReplacement ? 'replaced' : isReady ? 'pending' : 'queued';
    counters.admitted++;
    if (isReplacement) counters.replaced++;
    metrics?.admitted(status);
    metrics?.size(store.count(), store.bytes());
    return ok(Object.freeze({ id: entry.id, status }));
  };

  const admit = async (bytes: Uint8Array, options: AdmitOptions = {}): Promise<AdmitResult> => {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('admit: bytes must be a Uint8Array');
    const origin = options.origin ?? 'local';
    if (origin !== 'local' && origin !== 'peer') throw new TypeError("admit: options.origin must be 'local' or 'peer'");
    const candidate = decodeCandidate(bytes, settings);
    if (!candidate.ok) return reject(candidate.error);
    return admitCandidate(candidate.value, origin);
  };

  const admitTx = async (signedTx: SignedTx, options: AdmitOptions = {}): Promise<AdmitResult> => {
    let bytes: Uint8Array;
    try {
      bytes = encodeSignedTx(signedTx);
    } catch (cause) {
      return reject({ code: 'UNENCODABLE', reason: cause instanceof Error ? cause.message : String(cause) });
    }
    return admit(bytes, options);
  };

  const select = (limits: SelectLimits): readonly PooledTx[] => {
    checkCount(limits.maxTxs, 'limits.maxTxs', 0);
    checkCount(limits.maxBytes, 'limits.maxBytes', 0);
    if (limits.choose !== undefined && typeof limits.choose !== 'function') throw new TypeError('limits.choose must be a function');
    return selectReady(store.senders(), limits);
  };

  const onCommitted = (next: AccountView, committedIds: Iterable<TxId>): void => {
    if (typeof next?.account !== 'function') throw new TypeError('onCommitted: accounts must be an AccountView');
    accounts = next;
    const sweep = applyCommitted(store, next, committedIds);
    removed('committed', sweep.committed);
    removed('dropped', sweep.dropped);
    metrics?.size(store.count(), store.bytes());
  };

  const stats = (): MempoolStats =>
    Object.freeze({
      count: store.count(),
      bytes: store.bytes(),
      ready: store.ready(),
      queued: store.count() - store.ready(),
      senders: store.senderCount(),
      inFlight: reservedIds.size,
      ...counters,
      rejects: Object.freeze({ ...rejects }),
    });

  return Object.freeze({
    admit,
    admitTx,
    select,
    onCommitted,
    get: (id: TxId) => store.get(toHex(id))?.view,
    has: (id: TxId) => store.has(toHex(id)),
    get size() {
      return store.count();
    },
    stats,
  });
}

function checkCount(value: number, name: string, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer ≥ ${min}`);
}

function checkInit(components: MempoolComponents, init: MempoolInit): Settings {
  if (typeof components?.verifier?.verifyBatch !== 'function') throw new TypeError('components.verifier must have verifyBatch');
  if (typeof components.accounts?.account !== 'function') throw new TypeError('components.accounts must be an AccountView');
  if (typeof init.chainId !== 'string' || init.chainId.length === 0) throw new TypeError('init.chainId must be a non-empty string');
  const settings: Settings = {
    chainId: init.chainId,
    maxTxs: init.maxTxs ?? DEFAULT_PARAMS.maxMempoolTxs,
    maxBytes: init.maxBytes ?? DEFAULT_PARAMS.maxMempoolBytes,
    maxTxBytes: init.maxTxBytes ?? DEFAULT_PARAMS.maxTxBytes,
    maxPerSender: init.maxPerSender ?? DEFAULT_MAX_PER_SENDER,
    minFeePerByte: init.minFeePerByte ?? DEFAULT_MIN_FEE_PER_BYTE,
    replaceBumpPercent: init.replaceBumpPercent ?? DEFAULT_REPLACE_BUMP_PERCENT,
  };
  checkCount(settings.maxTxs, 'init.maxTxs', 1);
  checkCount(settings.maxBytes, 'init.maxBytes', 1);
  checkCount(settings.maxTxBytes, 'init.maxTxBytes', 1);
  checkCount(settings.maxPerSender, 'init.maxPerSender', 1);
  checkCount(settings.replaceBumpPercent, 'init.replaceBumpPercent', 0);
  if (typeof settings.minFeePerByte !== 'bigint' || settings.minFeePerByte < 0n) throw new RangeError('init.minFeePerByte must be a bigint ≥ 0');
  // A transaction larger than the whole pool could never enter: refuse it as TOO_LARGE up front.
  return Object.freeze({ ...settings, maxTxBytes: Math.min(settings.maxTxBytes, settings.maxBytes) });
}
