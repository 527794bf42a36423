/**
 * Every API failure is JSON `{ error, message, ... }` with a stable `error` code, so clients
 * branch on codes and people read messages:
 *   400 BAD_REQUEST        a param, query field or body field failed validation; `field` names it
 *   400 TX_REJECTED        the mempool refused the transaction; `reject` is its typed reason
 *   400 BAD_ADDRESS        not a kdx1… bech32m address; `reason` is core's AddressError code
 *   404 NOT_FOUND          no such route, or nothing held under that key
 *   413 PAYLOAD_TOO_LARGE  the body exceeds api.body_limit_bytes
 *   415 UNSUPPORTED_MEDIA_TYPE
 *   500 INTERNAL           a bug; details go to the log, not to the client
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

export type ApiErrorCode = 'BAD_REQUEST' | 'TX_REJECTED' | 'BAD_ADDRESS' | 'NOT_FOUND' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'INTERNAL';

export function sendError(reply: FastifyReply, status: number, error: ApiErrorCode, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error, message, ...extra });
}

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

/** `params.round`, `query.limit`, `body.hex`: the field a validation issue is about. */
export function issueField(context: string | undefined, issue: ValidationIssue): string {
  const where = context === 'querystring' ? 'query' : (context ?? 'request');
  const segments = issue.instancePath.split('/').filter((s) => s !== '');
  const params = issue.params as Record<string, unknown>;
  const named = params['missingProperty'] ?? params['additionalProperty'];
  if (typeof named === 'string') segments.push(named);
  return [where, ...segments].join('.');
}

/** Why, in words: ajv's message, made specific where it is vague. */
function issueMessage(issue: ValidationIssue): string {
  const params = issue.params as Record<string, unknown>;
  if (issue.keyword === 'additionalProperties') return 'is not a known field';
  if (issue.keyword === 'required') return 'is required';
  if (issue.keyword === 'pattern' && typeof params['pattern'] === 'string') return `must match ${params['pattern']}`;
  if (issue.keyword === 'maxProperties' || issue.keyword === 'minProperties') return 'must have exactly one of the allowed fields';
  return issue.message ?? 'is invalid';
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const issue = error.validation?.[0];
    if (issue !== undefined) {
      const field = issueField(error.validationContext, issue);
      return sendError(reply, 400, 'BAD_REQUEST', `${field} ${issueMessage(issue)}`, { field });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 413, 'PAYLOAD_TOO_LARGE', `the body exceeds ${app.initialConfig.bodyLimit ?? 0} bytes`, { limitBytes: app.initialConfig.bodyLimit });
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/json or application/octet-stream');
    const status = error.statusCode ?? 500;
    // Content-type parser failures (malformed JSON, empty JSON body) are about the body as a whole.
    if (status >= 400 && status < 500) return sendError(reply, status, 'BAD_REQUEST', error.message, error.code.startsWith('FST_ERR_CTP') ? { field: 'body' } : {});
    request.log.error({ err: error }, 'api handler failed');
    return sendError(reply, 500, 'INTERNAL', 'internal error');
  });
}
