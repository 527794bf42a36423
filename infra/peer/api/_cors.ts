/**
 * CORS for the configured origins (api.cors_origins): the web app's light client reads this
 * API from another origin. Simple requests get `Access-Control-Allow-Origin`; preflights
 * (OPTIONS with Access-Control-Request-Method) are answered here with 204. An origin not in the
 * list gets no CORS headers, so the browser refuses the answer; non-browser clients are unaffected.
 */
import type { FastifyInstance } from 'fastify';

/** Browsers may cache a preflight this long (Chromium caps it at 2 hours anyway). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export function installCors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const any = origins.includes('*');
  const allowed = new Set(origins);
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined || (!any && !allowed.has(origin))) return;
    reply.header('access-control-allow-origin', any ? '*' : origin);
    // The answer differs by Origin: caches must keep one per origin.
    if (!any) reply.header('vary', 'Origin');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      reply.header('access-control-allow-methods', 'GET, POST');
      reply.header('access-control-allow-headers', 'content-type');
      reply.header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
      await reply.code(204).send();
    }
  });
}
