/**
 * worker_threads entry of the parallel executor (parallelExecution.ts): runs `executeGroup`
 * (core/state/parallel.ts) for each group of a request, against a read-set view of the block's
 * start ledger (core/state/groupInput.ts), and answers with the groups' results.
 *
 * Signatures: the executor only sends groups that read no signature verdict ('pre-verified'
 * transactions, no evidence), so the context's `verifyItem` here is never called; if it were,
 * that is a routing bug and it throws, which answers the request with `failed` (the main thread
 * then executes those groups itself).
 */
import { parentPort } from 'node:worker_threads';
import type { ExecutionContext, GroupResult } from '../../core/state/executeTypes.ts';
import { ledgerFromReadSet } from '../../core/state/groupInput.ts';
import { executeGroup } from '../../core/state/parallel.ts';
import { isExecuteRequest, requestReadSet, type ExecuteRequest, type ExecuteWorkerMessage } from './_executeProtocol.ts';

const port = parentPort;
if (port === null) throw new Error('execute.worker.ts must run as a worker thread');

const noVerdicts = (): boolean => {
  throw new Error('execute worker: a group that needs a signature verdict was sent to a worker');
};

function execute(request: ExecuteRequest): readonly GroupResult[] {
  const ledger = ledgerFromReadSet(requestReadSet(request));
  const ctx: ExecutionContext = { params: request.params, txSignatures: 'pre-verified', verifyItem: noVerdicts };
  return request.groups.map((group) => executeGroup(ledger, group, ctx));
}

port.on('message', (raw: unknown) => {
  let reply: ExecuteWorkerMessage;
  if (!isExecuteRequest(raw)) {
    const id = typeof raw === 'object' && raw !== null && Number.isSafeInteger((raw as { id?: unknown }).id) ? (raw as { id: number }).id : -1;
    reply = { type: 'failed', id, reason: 'malformed execute request' };
  } else {
    try {
      reply = { type: 'executed', id: raw.id, results: execute(raw) };
    } catch (cause) {
      reply = { type: 'failed', id: raw.id, reason: `execution threw: ${String(cause)}` };
    }
  }
  port.postMessage(reply);
});
