/**
 * Page-side handle of the signer worker (`signer.worker.ts`, protocol in `signerProtocol.ts`).
 *
 * One worker, requests answered in any order and matched by `requestId`. The worker is created
 * on first use, so a page that never signs never downloads the worker or a backend.
 */
import { isSignerResponse, type SignedBatch, type SignerRequest } from './signerProtocol.ts';

export type SignerClient = {
  /** Generates a fresh key in the worker and signs `messages` with it. */
  signBatch(request: Omit<SignerRequest, 'type' | 'requestId'>): Promise<SignedBatch>;
  /** Stops the worker; pending requests are rejected. */
  terminate(): void;
};

type Pending = { resolve: (batch: SignedBatch) => void; reject: (error: Error) => void };

export function createSignerClient(): SignerClient {
  let worker: Worker | undefined;
  let nextRequestId = 1;
  const pending = new Map<number, Pending>();

  const failAll = (reason: string): void => {
    for (const p of pending.values()) p.reject(new Error(reason));
    pending.clear();
  };

  const started = (): Worker => {
    if (worker !== undefined) return worker;
    const created = new Worker(new URL('./signer.worker.ts', import.meta.url), { type: 'module', name: 'kaldrix-signer' });
    created.onmessage = (event: MessageEvent<unknown>) => {
      const response = event.data;
      if (!isSignerResponse(response)) return failAll('signer worker sent a malformed message');
      const waiting = pending.get(response.requestId);
      if (waiting === undefined) return;
      pending.delete(response.requestId);
      if (response.type === 'signed') waiting.resolve(response);
      else waiting.reject(new Error(response.reason));
    };
    created.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      failAll(`signer worker failed: ${event.message || 'could not load'}`);
    };
    worker = created;
    return created;
  };

  return Object.freeze({
    signBatch(request: Omit<SignerRequest, 'type' | 'requestId'>): Promise<SignedBatch> {
      const requestId = nextRequestId++;
      const message: SignerRequest = { type: 'sign-batch', requestId, ...request };
      return new Promise<SignedBatch>((resolve, reject) => {
        pending.set(requestId, { resolve, reject });
        started().postMessage(message);
      });
    },
    terminate(): void {
      worker?.terminate();
      worker = undefined;
      failAll('signer worker stopped');
    },
  });
}
