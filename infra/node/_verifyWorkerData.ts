/**
 * The `workerData` a verify worker thread starts with, shared by the spawning side
 * (verifyWorkers.ts) and the worker (verify.worker.ts), validated on arrival.
 */

/** Signature backends a Node verify worker can load. */
export type NodeVerifyBackendName = 'noble' | 'liboqs';
export const NODE_VERIFY_BACKENDS: readonly NodeVerifyBackendName[] = Object.freeze(['noble', 'liboqs']);

export type VerifyWorkerData = { readonly backend: NodeVerifyBackendName; readonly index: number };

/** Bad data here is the spawning code's bug, so it throws (and the thread dies, reported as fatal). */
export function parseVerifyWorkerData(data: unknown): VerifyWorkerData {
  if (typeof data !== 'object' || data === null) throw new TypeError('verify worker: workerData must be an object');
  const { backend, index } = data as { backend?: unknown; index?: unknown };
  if (!NODE_VERIFY_BACKENDS.includes(backend as NodeVerifyBackendName)) {
    throw new TypeError(`verify worker: workerData.backend must be one of ${NODE_VERIFY_BACKENDS.join(', ')}`);
  }
  if (!Number.isSafeInteger(index)) throw new TypeError('verify worker: workerData.index must be an integer');
  return Object.freeze({ backend: backend as NodeVerifyBackendName, index: index as number });
}
