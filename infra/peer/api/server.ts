/**
 * `createApiServer(backend, options)`: the full peer's HTTP API on fastify 5 (DESIGN.md §3).
 *
 *   GET  /healthz                          200 { live: true } while the process serves
 *   GET  /readyz                           200 / 503 { ready, started, connectedPeers, minPeers, caughtUp }
 *   GET  /metrics                          Prometheus text (metrics.ts)
 *   GET  /v1/status                        validator status, peer id, multiaddrs, version
 *   GET  /v1/checkpoints?before=&limit=    certified checkpoints, newest first; `next` is the cursor
 *   GET  /v1/checkpoints/:sequence         one checkpoint with its certificate (hex, base64, decoded)
 *   GET  /v1/vertices/:round/:author?digest=   signed vertices held for that slot
 *   POST /v1/transactions                  { hex } | { base64 } | octet-stream → 202 { id } or 400 TX_REJECTED
 *   GET  /v1/transactions/:id              pending | committed (with commit index, receipt) | unknown
 *   GET  /v1/accounts/:address             account (or its absence) with its Merkle proof
 *   GET  /v1/validators                    the current epoch's committee
 *
 * bigints are decimal strings and bytes lower-case hex in every answer (_json.ts); errors are
 * JSON with a stable code (_errors.ts). The server is returned unstarted: the runtime calls
 * `listen({ host, port })` with api.listen and `close()` on shutdown.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiBackend } from './backend.ts';
import { installCors } from './_cors.ts';
import { installErrorHandlers } from './_errors.ts';
import { registerChainRoutes } from './_routesChain.ts';
import { registerTxRoutes } from './_routesTx.ts';

export type ApiServerOptions = {
  /** Largest request body. Default 262,144 bytes (config api.body_limit_bytes). */
  readonly bodyLimitBytes?: number;
  /** Origins allowed by CORS (`*` for any). Default none. */
  readonly corsOrigins?: readonly string[];
  /** Most items per page of a list. Default 100. */
  readonly maxPageItems?: number;
  /** fastify's request log (pino). Default off; the runtime passes its logger settings. */
  readonly logger?: boolean;
};

export const API_SERVER_DEFAULTS = Object.freeze({ bodyLimitBytes: 256 * 1024, corsOrigins: Object.freeze([] as string[]), maxPageItems: 100, logger: false });

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`createApiServer: options.${name} must be a positive integer, got ${value}`);
  return value;
}

export function createApiServer(backend: ApiBackend, options: ApiServerOptions = {}): FastifyInstance {
  const bodyLimitBytes = positive('bodyLimitBytes', options.bodyLimitBytes ?? API_SERVER_DEFAULTS.bodyLimitBytes);
  const maxPageItems = positive('maxPageItems', options.maxPageItems ?? API_SERVER_DEFAULTS.maxPageItems);
  const app = Fastify({
    bodyLimit: bodyLimitBytes,
    logger: options.logger ?? API_SERVER_DEFAULTS.logger,
    // Unknown fields are errors, not silently dropped; query numbers are coerced from text.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
  });
  installErrorHandlers(app);
  installCors(app, options.corsOrigins ?? API_SERVER_DEFAULTS.corsOrigins);
  registerChainRoutes(app, backend, maxPageItems);
  registerTxRoutes(app, backend, bodyLimitBytes);
  return app;
}
