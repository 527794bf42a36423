/**
 * `tx transfer --wait`: polls GET /v1/transactions/:id (infra/peer/api/_routesTx.ts) until the
 * node reports the transaction committed, or the wait times out.
 *
 * The API's states are `pending` (in the pool), `committed` (ordered and executed, with its
 * receipt: applied, or rejected by execution) and `unknown` (not held: not yet gossiped to
 * this node, evicted, or pruned). Only `committed` ends the wait; a commit in this protocol is
 * final (PBFT on the DAG, DESIGN.md §2), so there is no later state to wait for. A request that
 * fails on the way is retried until the deadline: a node restarting mid-wait is not an answer.
 * Polls back off from 100 ms to 1 s, so a fast devnet answers quickly and a slow one is not
 * flooded; the deadline bounds their number.
 */
import { err, ok, type Result } from '../../core/result.ts';
import { asObject, objectField, textField, u64Field, type JsonObject } from './_apiJson.ts';
import { apiErrorOf, apiRequest, shownNodeText } from './_http.ts';
import type { CliFailure } from './failure.ts';
import type { CliIo } from './io.ts';

const FIRST_POLL_DELAY_MS = 100;
const MAX_POLL_DELAY_MS = 1000;

export type CommittedTx = {
  readonly commitIndex: bigint;
  readonly applied: boolean;
  /** Execution's reject code when not applied (core/state ExecReject). */
  readonly rejectCode: string | undefined;
  readonly feeCharged: bigint | undefined;
  /** The API's answer as sent, for --json. */
  readonly answer: JsonObject;
};

export type WaitFailure = {
  /** The last state the node reported, if any answer came. */
  readonly lastStatus: string | undefined;
  /** true: the node answered the lookup with an error (not retried); false: timed out. */
  readonly refused: boolean;
  readonly failure: CliFailure;
};

export type WaitRequest = {
  readonly api: URL;
  readonly idHex: string;
  readonly timeoutMs: number;
  /** Prefix of progress and failure lines, e.g. `kaldrix tx transfer`. */
  readonly label: string;
};

export async function waitForCommit(io: CliIo, request: WaitRequest): Promise<Result<CommittedTx, WaitFailure>> {
  const startMs = Date.now();
  const deadlineMs = startMs + request.timeoutMs;
  const progress = createProgress(io, request, startMs);
  let lastStatus: string | undefined;
  let lastProblem = 'no answer yet';
  for (let delayMs = FIRST_POLL_DELAY_MS; ; delayMs = Math.min(MAX_POLL_DELAY_MS, delayMs * 2)) {
    const remainingMs = deadlineMs - Date.now();
    if (remainingMs <= 0) break;
    const answer = await apiRequest(request.api, `v1/transactions/${request.idHex}`, { method: 'GET', timeoutMs: remainingMs });
    if (!answer.ok) {
      // A poll the deadline cut short says nothing new about the node: what it last said stands.
      if (lastStatus === undefined || Date.now() < deadlineMs) lastProblem = answer.error.what;
    } else if (answer.value.httpStatus !== 200) {
      const { code, message } = apiErrorOf(answer.value);
      progress.end();
      return err({ lastStatus, refused: true, failure: { what: `the node answered the lookup with ${code}: ${message}`, hint: `look the transaction up later: GET /v1/transactions/${request.idHex}` } });
    } else {
      const read = readTransactionAnswer(answer.value.body);
      if (read.committed !== undefined) {
        progress.end();
        return ok(read.committed);
      }
      lastStatus = read.status;
      lastProblem = `the node reports it ${shownNodeText(read.status)}`;
    }
    progress.show(lastStatus ?? 'no answer');
    await sleep(Math.min(delayMs, Math.max(0, deadlineMs - Date.now())));
  }
  progress.end();
  return err({
    lastStatus,
    refused: false,
    failure: { what: `not committed within ${request.timeoutMs / 1000} s (${lastProblem})`, hint: `wait longer with --timeout, or look it up: GET /v1/transactions/${request.idHex}` },
  });
}

/** The committed transaction, or the state the node reported instead. */
function readTransactionAnswer(body: unknown): { readonly committed?: CommittedTx; readonly status: string } {
  const object = asObject(body);
  const status = object === undefined ? undefined : textField(object, 'status');
  if (object === undefined || status === undefined) return { status: 'an answer that is not a transaction status' };
  if (status !== 'committed') return { status };
  const commitIndex = u64Field(object, 'commitIndex');
  const receipt = objectField(object, 'receipt');
  const outcome = receipt === undefined ? undefined : textField(receipt, 'status');
  if (commitIndex === undefined || receipt === undefined || (outcome !== 'applied' && outcome !== 'rejected')) return { status: 'committed without a readable receipt' };
  const reason = objectField(receipt, 'reason');
  const committed: CommittedTx = Object.freeze({
    commitIndex,
    applied: outcome === 'applied',
    rejectCode: reason === undefined ? undefined : textField(reason, 'code'),
    feeCharged: u64Field(receipt, 'feeCharged'),
    answer: object,
  });
  return { committed, status };
}

type Progress = { show(status: string): void; end(): void };

/**
 * On a terminal: one line rewritten in place with the state and the time waited. Elsewhere
 * (logs, CI): a single line saying what is awaited, so a log shows why the command sat still.
 */
function createProgress(io: CliIo, request: WaitRequest, startMs: number): Progress {
  if (!io.stderrIsTerminal) {
    io.stderr(`${request.label}: waiting up to ${request.timeoutMs / 1000} s for ${request.idHex} to commit\n`);
    return { show: () => undefined, end: () => undefined };
  }
  let shown = false;
  return {
    show: (status) => {
      shown = true;
      const seconds = ((Date.now() - startMs) / 1000).toFixed(1);
      io.stderr(`\r${request.label}: waiting for the commit: ${shownNodeText(status)} (${seconds} s)\u001b[K`);
    },
    end: () => {
      if (shown) io.stderr('\n');
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
