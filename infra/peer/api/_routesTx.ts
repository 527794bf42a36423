/**
 * Transactions (submit, look up) and accounts with Merkle proofs.
 *
 * A transaction arrives as JSON `{ "hex": … }` or `{ "base64": … }`, or as the raw bytes with
 * `Content-Type: application/octet-stream`; the server only unwraps it, the mempool decodes,
 * checks and verifies it and answers with a typed reject (core/state mempool). Accepted
 * answers are 202: admitted to the pool, not yet committed; poll GET /v1/transactions/:id.
 */
import type { FastifyInstance } from 'fastify';
import { base64 } from '@scure/base';
import { parseAddress, parseHex } from '../../../core/crypto/index.ts';
import type { ApiBackend } from './backend.ts';
import { sendError } from './_errors.ts';
import { toJson } from './_json.ts';
import { addressParams, submitTxBody, txIdParams } from './_schemas.ts';
import { accountJson } from './_summaries.ts';

type SubmitBody = { readonly hex?: string; readonly base64?: string } | Uint8Array;

/** The transaction bytes of a submit body, or the field that is wrong and why. */
function unwrapBody(body: SubmitBody): { bytes: Uint8Array } | { field: string; why: string } {
  if (body instanceof Uint8Array) return body.length > 0 ? { bytes: new Uint8Array(body) } : { field: 'body', why: 'is empty' };
  if (body.hex !== undefined) {
    const r = parseHex(body.hex);
    return r.ok ? { bytes: r.value } : { field: 'body.hex', why: r.error.reason };
  }
  if (body.base64 !== undefined) {
    try {
      return { bytes: base64.decode(body.base64) };
    } catch {
      return { field: 'body.base64', why: 'is not canonical padded base64' };
    }
  }
  return { field: 'body', why: 'must have hex or base64' };
}

export function registerTxRoutes(app: FastifyInstance, backend: ApiBackend, bodyLimitBytes: number): void {
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: bodyLimitBytes }, (_request, body, done) => done(null, body));

  app.post<{ Body: SubmitBody }>(
    '/v1/transactions',
    { schema: { body: { content: { 'application/json': { schema: submitTxBody }, 'application/octet-stream': { schema: {} } } } } },
    async (request, reply) => {
      const unwrapped = unwrapBody(request.body);
      if ('field' in unwrapped) return sendError(reply, 400, 'BAD_REQUEST', `${unwrapped.field} ${unwrapped.why}`, { field: unwrapped.field });
      const admitted = await backend.submitTransaction(unwrapped.bytes);
      if (!admitted.ok) return sendError(reply, 400, 'TX_REJECTED', `the mempool refused the transaction: ${admitted.error.code}`, { reject: toJson(admitted.error) });
      return reply.code(202).send(toJson({ id: admitted.value, status: 'pending' }));
    },
  );

  app.get<{ Params: { id: string } }>('/v1/transactions/:id', { schema: { params: txIdParams } }, async (request) => {
    const id = parseHex(request.params.id.toLowerCase());
    if (!id.ok) throw new Error('transaction id passed the schema but is not hex');
    // "unknown" is an answer, not an error: the transaction may live on another node or be pruned here.
    return toJson({ id: id.value, ...(await backend.transaction(id.value)) });
  });

  app.get<{ Params: { address: string } }>('/v1/accounts/:address', { schema: { params: addressParams } }, async (request, reply) => {
    const address = parseAddress(request.params.address);
    if (!address.ok) {
      return sendError(reply, 400, 'BAD_ADDRESS', `params.address is not a kdx1… bech32m address (${address.error.code})`, { field: 'params.address', reason: toJson(address.error) });
    }
    const proven = await backend.account(address.value);
    return toJson({
      address: request.params.address,
      exists: proven.account !== null,
      account: proven.account === null ? null : accountJson(proven.account),
      proof: proven.proof,
      stateRoot: proven.stateRoot,
      commitIndex: proven.commitIndex,
      certifiedSequence: proven.certifiedSequence,
    });
  });
}
