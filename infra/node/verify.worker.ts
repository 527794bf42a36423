/**
 * worker_threads entry of the Node verify pool: loads the signature backend named in
 * `workerData.backend` and answers `verify` requests (core/crypto/verifyProtocol.ts).
 *
 * 'liboqs' pairs the WebAssembly backend with the reference noble backend behind it, so a
 * scheme liboqs does not cover (SLH-DSA, Falcon, hybrid) is still verified, by noble.
 * The backend loads asynchronously; requests that arrive meanwhile wait for it, in order.
 * A backend that fails to load answers every request with `failed` and the reason.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { loadLiboqsBackend } from '../../core/crypto/backends/liboqs.ts';
import type { SignatureBackend } from '../../core/crypto/types.ts';
import { answerVerifyRequest, parseVerifyRequest, type VerifyFailed, type VerifyResult } from '../../core/crypto/verifyProtocol.ts';
import { parseVerifyWorkerData } from './_verifyWorkerData.ts';

const port = parentPort;
if (port === null) throw new Error('verify.worker.ts must run as a worker thread');

const data = parseVerifyWorkerData(workerData);
const backends: Promise<readonly SignatureBackend[]> =
  data.backend === 'liboqs' ? loadLiboqsBackend().then((fast) => [fast, createNobleBackend()]) : Promise.resolve([createNobleBackend()]);
// Keep a load failure from becoming an unhandled rejection before the first request arrives.
backends.catch(() => undefined);

port.on('message', (raw: unknown) => {
  const request = parseVerifyRequest(raw);
  if (!request.ok) {
    const id = typeof raw === 'object' && raw !== null && Number.isSafeInteger((raw as { id?: unknown }).id) ? (raw as { id: number }).id : -1;
    return reply({ type: 'failed', id, reason: request.error.reason });
  }
  backends.then(
    (loaded) => reply(answer(loaded, request.value)),
    (cause: unknown) => reply({ type: 'failed', id: request.value.id, reason: `backend ${data.backend} failed to load: ${String(cause)}` }),
  );
});

function answer(loaded: readonly SignatureBackend[], request: Parameters<typeof answerVerifyRequest>[1]): VerifyResult | VerifyFailed {
  try {
    return answerVerifyRequest(loaded, request);
  } catch (cause) {
    // Backends are total on bad bytes; reaching this is a bug, reported rather than fatal.
    return { type: 'failed', id: request.id, reason: `verification threw: ${String(cause)}` };
  }
}

function reply(message: VerifyResult | VerifyFailed): void {
  if (message.type === 'result') port?.postMessage(message, [message.valid.buffer as ArrayBuffer]);
  else port?.postMessage(message);
}
