/**
 * infra/peer/api — the full peer's HTTP API (fastify): probes, Prometheus metrics and the
 * /v1 JSON endpoints, over the `ApiBackend` the runtime implements.
 */
export { API_SERVER_DEFAULTS, createApiServer, type ApiServerOptions } from './server.ts';
export type { ApiAccountProof, ApiBackend, ApiReadiness, ApiStatus, ApiTransactionStatus } from './backend.ts';
export type { ApiErrorCode } from './_errors.ts';
