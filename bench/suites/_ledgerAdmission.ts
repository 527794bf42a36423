/**
 * Mempool admission with real ML-DSA-44 verification, and the machine's signature-verify
 * ceiling it is read against; both for bench/suites/ledger.ts.
 *
 * The ceiling: the Node verify pool (infra/node/verifyWorkers.ts), liboqs backend, one worker
 * per core, cache off, verifying in one `verifyBatch` exactly the statements the mempool
 * verifies (the same method as the verify-pool suite's "N workers (liboqs)" figure). Admission
 * can at best reach it: every transfer costs one verification, plus decoding, checks and a
 * cache key on the main thread.
 *
 * Freshness: each timed admission run gets a NEW verify pool (a new, empty cache; thread start-up
 * is excluded by a warm-up admission of other statements), so every timed admission really
 * verifies. The cache-hit figure then re-admits the same transactions into a second, empty
 * mempool sharing that pool: the path of a transaction gossiped twice or re-admitted after
 * the pool dropped it. Ceiling and admission runs alternate, so both meet the same load; the
 * median run of each is reported.
 */
import { availableParallelism } from 'node:os';
import type { VerifyItem } from '../../core/crypto/index.ts';
import type { VerifyPool } from '../../core/crypto/verifyPool.ts';
import { getAccount, type Ledger } from '../../core/state/ledger.ts';
import { createMempool, type Mempool } from '../../core/state/mempool/index.ts';
import { checkSenderKey } from '../../core/state/txValidate.ts';
import { encodeSignedTx } from '../../core/state/txCodec.ts';
import { txSignatureItem } from '../../core/state/txSign.ts';
import type { SignedTx } from '../../core/state/types.ts';
import { createNodeVerifyPool } from '../../infra/node/verifyWorkers.ts';
import { median } from '../_harness.ts';
import type { Figure, SuiteContext } from '../_registry.ts';
import { BENCH_CHAIN_ID } from './_ledgerWorkload.ts';

/** Admissions in flight at once: enough to keep every worker's queue fed, bounded like a peer's inbox. */
const ADMISSION_LANES = 256;

export const ceilingName = (cores: number): string => `verify ceiling: ml-dsa-44, ${cores} workers (liboqs, no cache)`;
export const admissionName = (cores: number): string => `mempool admission, real verification (${cores} liboqs workers)`;
export const CACHE_HIT_NAME = 'mempool admission, verify-cache hits';

export type AdmissionInput = {
  readonly ledger: Ledger;
  /** The timed transactions (really signed, all admissible on `ledger`). */
  readonly timed: readonly SignedTx[];
  /** Other statements of the same senders, admitted untimed to start a fresh pool's threads. */
  readonly warmUp: readonly SignedTx[];
};

/** Admits every transaction through `ADMISSION_LANES` concurrent lanes; any refusal is a bench bug. */
async function admitAll(mempool: Mempool, encoded: readonly Uint8Array[]): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < encoded.length) {
      const result = await mempool.admit(encoded[next++] as Uint8Array);
      if (!result.ok) throw new Error(`ledger bench: admission refused a valid transfer (${result.error.code})`);
    }
  };
  await Promise.all(Array.from({ length: ADMISSION_LANES }, lane));
}

async function timedSeconds(op: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await op();
  return (performance.now() - start) / 1000;
}

/** The statements admission verifies: each transfer's signature under its sender's recorded key. */
function verifyItemsOf(ledger: Ledger, txs: readonly SignedTx[]): VerifyItem[] {
  return txs.map((signedTx) => {
    const key = checkSenderKey(getAccount(ledger, signedTx.tx.sender) ?? undefined, signedTx);
    if (!key.ok) throw new Error(`ledger bench: workload sender has no usable key (${key.error.code})`);
    return txSignatureItem(signedTx, key.value);
  });
}

type RunRates = { ceiling: number[]; fresh: number[]; hits: number[] };

/** One fresh pool: warm it up, time admission (all misses), then re-admission (all hits). */
async function admissionRun(input: AdmissionInput, encoded: readonly Uint8Array[], warmUp: readonly Uint8Array[], cores: number, rates: RunRates): Promise<void> {
  const pool = createNodeVerifyPool({ backend: 'liboqs', workers: cores });
  const mempoolOn = (verifier: VerifyPool): Mempool =>
    createMempool({ verifier, accounts: { account: (address) => getAccount(input.ledger, address) ?? undefined } }, { chainId: BENCH_CHAIN_ID });
  try {
    await admitAll(mempoolOn(pool), warmUp);
    const before = pool.stats();
    rates.fresh.push(encoded.length / (await timedSeconds(() => admitAll(mempoolOn(pool), encoded))));
    const middle = pool.stats();
    rates.hits.push(encoded.length / (await timedSeconds(() => admitAll(mempoolOn(pool), encoded))));
    const after = pool.stats();
    // Guards that each figure measured the path it names.
    if (middle.verified - before.verified < encoded.length) throw new Error('ledger bench: a timed admission skipped verification');
    if (after.cacheHits - middle.cacheHits < encoded.length) throw new Error('ledger bench: re-admission missed the verify cache');
  } finally {
    await pool.close();
  }
}

/**
 * Records the verify ceiling and the two admission figures (each with its ratio to the
 * ceiling); returns the ceiling figure for the suite's other ratios.
 */
export async function admissionFigures(ctx: SuiteContext, input: AdmissionInput): Promise<Figure> {
  const cores = availableParallelism();
  const encoded = input.timed.map(encodeSignedTx);
  const warmUp = input.warmUp.map(encodeSignedTx);
  const items = verifyItemsOf(input.ledger, input.timed);
  const ceilingPool = createNodeVerifyPool({ backend: 'liboqs', workers: cores, cacheEntries: 0 });
  const rates: RunRates = { ceiling: [], fresh: [], hits: [] };
  const wantsAdmission = ctx.enabled(admissionName(cores)) || ctx.enabled(CACHE_HIT_NAME);
  try {
    // Starts the threads and checks every signature of the workload once, untimed.
    const valid = await ceilingPool.verifyBatch(items);
    if (!valid.every(Boolean)) throw new Error(`ledger bench: ${valid.filter((v) => !v).length} workload signatures do not verify`);
    for (let run = 0; run < ctx.options.runs; run++) {
      rates.ceiling.push(items.length / (await timedSeconds(() => ceilingPool.verifyBatch(items))));
      if (wantsAdmission) await admissionRun(input, encoded, warmUp, cores, rates);
    }
  } finally {
    await ceilingPool.close();
  }
  const ceilingValue = median(rates.ceiling);
  const other = ctx.find('verify pool', `ml-dsa-44, ${cores} workers (liboqs)`);
  const ceiling = ctx.figure({
    name: ceilingName(cores),
    value: ceilingValue,
    unit: 'verifies/s',
    note:
      `measured in this suite, runs alternating with the admission runs; ${items.length} distinct tx signatures per run` +
      (other ? `; the verify-pool suite measured ${Math.round(other.value)}/s` : ''),
  });
  const ratio = (value: number): NonNullable<Figure['ratio']> => ({ value: value / ceilingValue, to: 'verify ceiling' });
  if (rates.fresh.length > 0 && ctx.enabled(admissionName(cores))) {
    const value = median(rates.fresh);
    ctx.figure({ name: admissionName(cores), value, unit: 'tx/s', ratio: ratio(value), note: `${input.timed.length} pre-signed ML-DSA-44 transfers as raw bytes, ${ADMISSION_LANES} in flight; fresh verify pool (empty cache) per run` });
  }
  if (rates.hits.length > 0 && ctx.enabled(CACHE_HIT_NAME)) {
    const value = median(rates.hits);
    ctx.figure({ name: CACHE_HIT_NAME, value, unit: 'tx/s', ratio: ratio(value), note: 'the same transactions into a second empty mempool sharing the pool: signatures answered by the cache' });
  }
  return ceiling;
}
