/**
 * The light-client worker's signature verifier: the browser verify pool (web/crypto
 * browserVerifyPool.ts) nested inside the worker — Chromium runs module workers inside
 * dedicated workers — with the liboqs WebAssembly backend, loaded lazily by each verify
 * worker. Should that pool fail as a whole (its workers cannot start here, or died past their
 * restarts), verification moves to the noble reference in this worker's own thread, loaded on
 * first need: slower, never wrong, and never a hang. A failure that says nothing about the
 * signatures (a `VerifyPoolError`) is retried once on the fallback; `false` is never retried.
 */
import { createVerifyPool, VerifyPoolError, type VerifyPool } from '../../core/crypto/verifyPool.ts';
import type { VerifyItem } from '../../core/crypto/types.ts';
import type { LightVerifier } from '../../core/light/index.ts';
import { loadBackend } from '../crypto/backendName.ts';
import { createBrowserVerifyPool } from '../crypto/browserVerifyPool.ts';

export type WorkerVerifier = LightVerifier & {
  /** Which code verifies now: the pool of liboqs workers, or noble in this thread. */
  readonly engine: () => 'liboqs-pool' | 'noble-in-worker';
  close(): Promise<void>;
};

/** Verify workers inside the light-client worker: a certificate's quorum is a few dozen signatures. */
const LIGHT_VERIFY_WORKERS = 2;

export function createWorkerVerifier(): WorkerVerifier {
  let pool: VerifyPool | undefined = typeof Worker === 'function' ? createBrowserVerifyPool({ backend: 'liboqs', workers: LIGHT_VERIFY_WORKERS }) : undefined;
  let fallback: Promise<VerifyPool> | undefined;

  const inThread = (): Promise<VerifyPool> => {
    fallback ??= loadBackend('noble').then((backend) => createVerifyPool({ fallback: backend }, { workers: 0 }));
    return fallback;
  };

  async function run<T>(task: (p: VerifyPool) => Promise<T>): Promise<T> {
    if (pool !== undefined) {
      try {
        return await task(pool);
      } catch (error) {
        if (!(error instanceof VerifyPoolError)) throw error;
        const failed = pool;
        pool = undefined;
        void failed.close();
      }
    }
    return task(await inThread());
  }

  const verifier: WorkerVerifier = {
    verifyBatch: (items: readonly VerifyItem[]) => run((p) => p.verifyBatch(items)),
    verifyUntilQuorum: <W extends number | bigint>(items: readonly VerifyItem[], weights: readonly W[], threshold: W) => run((p) => p.verifyUntilQuorum(items, weights, threshold)),
    engine: () => (pool === undefined ? 'noble-in-worker' : 'liboqs-pool'),
    async close() {
      await pool?.close();
      await (await fallback)?.close();
    },
  };
  return Object.freeze(verifier);
}
