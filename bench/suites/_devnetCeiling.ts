/**
 * The verify ceiling the devnet's committed throughput is read against: bare liboqs ML-DSA-44
 * verify threads, one per core, looping with nothing around them (bench/_cpuCeiling.ts) —
 * taken from the verify pool suite when it ran in this same run, measured here otherwise
 * (before the devnet starts, so the four nodes do not share the cores with it).
 */
import { availableParallelism } from 'node:os';
import { contextBytes, createNobleBackend, type VerifyItem } from '../../core/crypto/index.ts';
import { createVerifyThreads } from '../_cpuCeiling.ts';
import { median } from '../_harness.ts';
import type { SuiteContext } from '../_registry.ts';

/** `cores`: the threads the ceiling ran on (one per core). */
export type VerifyCeiling = { readonly verifiesPerSecond: number; readonly cores: number; readonly label: string; readonly source: string; readonly measuredHere: boolean };

/** Distinct signed statements the threads cycle through (noble signing ≈ 7 ms each). */
const CEILING_ITEMS = 8;
const CEILING_RUNS = 3;

function ceilingItems(): VerifyItem[] {
  const noble = createNobleBackend();
  const keys = noble.keygen('ml-dsa-44', new Uint8Array(32).fill(7));
  const context = contextBytes('kaldrix/tx/v1');
  return Array.from({ length: CEILING_ITEMS }, (_, n): VerifyItem => {
    const message = new Uint8Array(120).fill(n);
    return { scheme: 'ml-dsa-44', publicKey: keys.publicKey, message, signature: noble.sign('ml-dsa-44', keys.secretKey, message, context), context };
  });
}

/** The machine's verify ceiling in verifies per second, found or measured (`runMs` per run). */
export async function verifyCeiling(ctx: SuiteContext, runMs: number): Promise<VerifyCeiling> {
  const cores = availableParallelism();
  const label = `bare liboqs verify, ${cores} threads`;
  const recorded = ctx.find('verify pool', label);
  if (recorded !== undefined) return Object.freeze({ verifiesPerSecond: recorded.value, cores, label, source: 'the verify pool suite of this run', measuredHere: false });
  const threads = await createVerifyThreads('liboqs', cores, ceilingItems());
  try {
    await threads.all(runMs / 2);
    const runs: number[] = [];
    for (let run = 0; run < CEILING_RUNS; run++) runs.push(await threads.all(runMs));
    return Object.freeze({ verifiesPerSecond: median(runs), cores, label, source: `measured here before the devnet started: median of ${CEILING_RUNS} runs of ${runMs} ms`, measuredHere: true });
  } finally {
    await threads.close();
  }
}
