/**
 * Test support: a real HTTP server on 127.0.0.1 that answers like a node's API
 * (infra/peer/api) for the routes `kaldrix tx` and `kaldrix status` use, and records what it was
 * sent. Submitted bytes are decoded with core/state like a mempool would, so the id it answers
 * is the real transaction id; what it answers otherwise is scripted by each test.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toHex } from '../../core/crypto/index.ts';
import { DEFAULT_PARAMS, decodeSignedTx, txId } from '../../core/state/index.ts';

export type Reply = { readonly httpStatus: number; readonly body: unknown };

export type ApiScript = {
  status: Record<string, unknown>;
  /** Account answers by kdx1… address; absent addresses answer `exists: false`. */
  accounts: Map<string, Record<string, unknown>>;
  /** The answer to a submit; undefined: 202 with the decoded transaction's id. */
  submitReply: Reply | undefined;
  /** Successive answers to GET /v1/transactions/:id; the last one repeats. */
  lookupReplies: Reply[];
};

export type TestApi = {
  readonly url: string;
  readonly script: ApiScript;
  /** Raw bodies POSTed to /v1/transactions, in order. */
  readonly submitted: Uint8Array[];
  /** Every request line seen, e.g. `GET /v1/status`. */
  readonly requests: string[];
  close(): Promise<void>;
};

export const TEST_CHAIN_ID = 'kaldrix-cli-test';

export function sampleStatus(): Record<string, unknown> {
  return {
    epoch: '2', selfIndex: 1, round: 57, highestRound: 58, committedLeaders: 40, skippedLeaders: 3, directCommits: 38, indirectCommits: 2,
    leaderTimeouts: 3, lastCommitIndex: '41', commitDigest: 'aa'.repeat(32), stateRoot: 'bb'.repeat(32), executedTransactions: 12,
    lastCheckpointSequence: '5', lastCertifiedSequence: '4', epochClosing: false, evidenceFound: 0, conflictingVotes: 0, pendingVertices: 0,
    rejects: {}, rangesAdopted: 0, rangeCommits: 0, recovering: false, chainId: TEST_CHAIN_ID, peerId: '12D3KooWtest', multiaddrs: [],
    version: '0.1.0', connectedPeers: 3, mempoolTransactions: 7,
  };
}

export async function startTestApi(): Promise<TestApi> {
  const script: ApiScript = { status: sampleStatus(), accounts: new Map(), submitReply: undefined, lookupReplies: [{ httpStatus: 200, body: { status: 'pending' } }] };
  const submitted: Uint8Array[] = [];
  const requests: string[] = [];
  const server = createServer((request, response) => {
    void handle(request, response, { script, submitted, requests });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, script, submitted, requests, close: () => closeServer(server) };
}

type State = { readonly script: ApiScript; readonly submitted: Uint8Array[]; readonly requests: string[] };

async function handle(request: IncomingMessage, response: ServerResponse, state: State): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const path = request.url ?? '';
  state.requests.push(`${request.method ?? ''} ${path}`);
  send(response, route(request.method ?? '', path, new Uint8Array(Buffer.concat(chunks)), request.headers['content-type'], state));
}

function route(method: string, path: string, body: Uint8Array, contentType: string | undefined, state: State): Reply {
  const { script } = state;
  if (method === 'GET' && path === '/v1/status') return { httpStatus: 200, body: script.status };
  const account = /^\/v1\/accounts\/([^/]+)$/.exec(path);
  if (method === 'GET' && account !== null) {
    const address = account[1] ?? '';
    const known = script.accounts.get(address);
    return { httpStatus: 200, body: known === undefined ? { address, exists: false, account: null } : { address, exists: true, account: known } };
  }
  if (method === 'POST' && path === '/v1/transactions') {
    if (contentType !== 'application/octet-stream') return { httpStatus: 415, body: { error: 'UNSUPPORTED_MEDIA_TYPE', message: 'send application/octet-stream' } };
    state.submitted.push(body);
    if (script.submitReply !== undefined) return script.submitReply;
    const decoded = decodeSignedTx(body, { chainId: TEST_CHAIN_ID, maxTxBytes: DEFAULT_PARAMS.maxTxBytes });
    if (!decoded.ok) return { httpStatus: 400, body: { error: 'TX_REJECTED', message: `the mempool refused the transaction: ${decoded.error.code}`, reject: { code: decoded.error.code } } };
    return { httpStatus: 202, body: { id: toHex(txId(decoded.value.tx)), status: 'pending' } };
  }
  if (method === 'GET' && path.startsWith('/v1/transactions/')) {
    const reply = script.lookupReplies.length > 1 ? script.lookupReplies.shift() : script.lookupReplies[0];
    return reply ?? { httpStatus: 200, body: { status: 'unknown' } };
  }
  return { httpStatus: 404, body: { error: 'NOT_FOUND', message: `no route ${method} ${path}` } };
}

function send(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.httpStatus, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(reply.body));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((e) => (e === undefined ? resolve() : reject(e))));
}
