/**
 * Read-only routes: probes (/healthz, /readyz, /metrics), node status, checkpoints with their
 * certificates, vertices and the current validators.
 */
import type { FastifyInstance } from 'fastify';
import { toHex } from '../../../core/crypto/index.ts';
import { U64_MAX } from '../../../core/state/index.ts';
import type { ApiBackend } from './backend.ts';
import { sendError } from './_errors.ts';
import { toJson } from './_json.ts';
import { checkpointsQuery, sequenceParams, vertexParams, vertexQuery } from './_schemas.ts';
import { checkpointDetail, checkpointSummary, committeeJson, vertexDetail } from './_summaries.ts';

/** Checkpoints per page when the client does not say (capped by api.max_page_items). */
const DEFAULT_PAGE_ITEMS = 20;

export function registerChainRoutes(app: FastifyInstance, backend: ApiBackend, maxPageItems: number): void {
  app.get('/healthz', async () => ({ live: true }));

  app.get('/readyz', async (_request, reply) => {
    const r = backend.readiness();
    const ready = r.started && r.caughtUp && r.connectedPeers >= r.minPeers;
    return reply.code(ready ? 200 : 503).send({ ready, ...r });
  });

  app.get('/metrics', async (_request, reply) => {
    const { contentType, text } = await backend.metrics();
    return reply.type(contentType).send(text);
  });

  app.get('/v1/status', async () => toJson(backend.status()));

  app.get<{ Querystring: { before?: string; limit?: number } }>('/v1/checkpoints', { schema: { querystring: checkpointsQuery(maxPageItems) } }, async (request, reply) => {
    const before = request.query.before === undefined ? undefined : BigInt(request.query.before);
    if (before !== undefined && before > U64_MAX) return sendError(reply, 400, 'BAD_REQUEST', 'query.before must be at most 2^64 - 1', { field: 'query.before' });
    const limit = request.query.limit ?? Math.min(DEFAULT_PAGE_ITEMS, maxPageItems);
    const page = (await backend.certificatesBefore(before, limit)).slice(0, limit).map(checkpointSummary);
    const last = page[page.length - 1];
    // A full page may have more behind it: the cursor is the oldest sequence shown.
    const next = page.length === limit && last !== undefined ? last.sequence : null;
    return toJson({ checkpoints: page, next });
  });

  app.get<{ Params: { sequence: string } }>('/v1/checkpoints/:sequence', { schema: { params: sequenceParams } }, async (request, reply) => {
    const sequence = BigInt(request.params.sequence);
    if (sequence > U64_MAX) return sendError(reply, 400, 'BAD_REQUEST', 'params.sequence must be at most 2^64 - 1', { field: 'params.sequence' });
    const encoded = await backend.certificate(sequence);
    if (encoded === undefined) return sendError(reply, 404, 'NOT_FOUND', `no certificate ${sequence} held`);
    return toJson(checkpointDetail(encoded));
  });

  app.get<{ Params: { round: number; author: number }; Querystring: { digest?: string } }>(
    '/v1/vertices/:round/:author',
    { schema: { params: vertexParams, querystring: vertexQuery } },
    async (request, reply) => {
      const { round, author } = request.params;
      const digest = request.query.digest?.toLowerCase();
      const all = (await backend.vertices(round, author)).map(vertexDetail);
      const wanted = digest === undefined ? all : all.filter((v) => toHex(v.digest) === digest);
      if (wanted.length === 0) return sendError(reply, 404, 'NOT_FOUND', `no vertex held for round ${round}, author ${author}${digest === undefined ? '' : ' with that digest'}`);
      return toJson({ vertices: wanted });
    },
  );

  app.get('/v1/validators', async () => toJson(committeeJson(backend.validators())));
}
