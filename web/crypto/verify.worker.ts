/**
 * Browser verify worker: answers the verify pool's protocol (`core/crypto/verifyProtocol.ts`)
 * with one signature backend.
 *
 * Which backend is named by the worker's `name` (set by `browserVerifyPool.ts`), so the worker
 * needs no set-up message before its first batch. The backend is imported on the first
 * request: a page that never verifies never downloads it, and the liboqs WebAssembly module
 * is compiled inside the worker, off the page's thread. Exactly one backend answers, so a
 * self-test of liboqs measures liboqs and never silently falls back to the reference.
 */
import { answerVerifyRequest, parseVerifyRequest, type VerifyFailed, type VerifyResult } from '../../core/crypto/verifyProtocol.ts';
import { isBackendName, loadBackend } from './backendName.ts';
import { verifyWorkerBackend } from './_verifyWorkerName.ts';
import { workerScope } from './_workerScope.ts';

const scope = workerScope();
const backendName = verifyWorkerBackend(self.name);

scope.onmessage = (event) => {
  const parsed = parseVerifyRequest(event.data);
  if (!parsed.ok) {
    // Without a readable id there is no one to answer; the pool's own timeout or the page's
    // error report covers it. A readable id gets a `failed` answer.
    const id = readId(event.data);
    if (id !== undefined) post({ type: 'failed', id, reason: parsed.error.reason });
    return;
  }
  const request = parsed.value;
  if (!isBackendName(backendName)) {
    post({ type: 'failed', id: request.id, reason: `verify worker started without a known backend name: ${String(self.name)}` });
    return;
  }
  loadBackend(backendName).then(
    (backend) => post(answerVerifyRequest([backend], request)),
    (error: unknown) => post({ type: 'failed', id: request.id, reason: `loading the ${backendName} backend failed: ${error instanceof Error ? error.message : String(error)}` }),
  );
};

function post(answer: VerifyResult | VerifyFailed): void {
  scope.postMessage(answer, answer.type === 'result' ? [answer.valid.buffer as ArrayBuffer] : []);
}

function readId(message: unknown): number | undefined {
  if (typeof message !== 'object' || message === null || !('id' in message)) return undefined;
  return Number.isSafeInteger(message.id) ? (message.id as number) : undefined;
}
