/**
 * A small HTTP/1.1 client for the devnet bench: keep-alive connections to one node's API, binary
 * transaction submissions and JSON reads, each with a time limit.
 *
 * node:http instead of the global fetch: at a few thousand requests per second the load generator
 * shares two cores with four validators, and undici's fetch costs several times more CPU per
 * request than a plain keep-alive request. Lookups get their own connections (`lookupSockets`),
 * so a finality poll never queues behind a burst of submissions.
 */
import { Agent, request } from 'node:http';

export type HttpAnswer = { readonly status: number; readonly body: string };

export type ApiClient = {
  readonly apiUrl: string;
  /** POST /v1/transactions with the canonical bytes; status 0 = no answer (network error or time limit). */
  submit(bytes: Uint8Array): Promise<HttpAnswer>;
  /** GET of a path on the lookup connections; undefined without a 200 answer (any answer with `anyStatus`) or without JSON. */
  getJson(path: string, options?: { readonly anyStatus: boolean }): Promise<unknown>;
  close(): void;
};

export type ApiClientInit = {
  /** Concurrent submission connections. */
  readonly submitSockets: number;
  /** Concurrent lookup connections. */
  readonly lookupSockets: number;
  /** A request with no answer after this long counts as failed. */
  readonly timeoutMs: number;
};

/** Answer bodies above this size are cut (the bench reads small JSON objects only). */
const MAX_BODY_BYTES = 1 << 20;

function send(agent: Agent, url: URL, method: 'GET' | 'POST', body: Uint8Array | undefined, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = body === undefined ? {} : { 'content-type': 'application/octet-stream', 'content-length': body.length };
    const req = request(url, { method, agent, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body === undefined ? undefined : Buffer.from(body.buffer, body.byteOffset, body.length));
  });
}

export function createApiClient(apiUrl: string, init: ApiClientInit): ApiClient {
  const submitAgent = new Agent({ keepAlive: true, maxSockets: init.submitSockets });
  const lookupAgent = new Agent({ keepAlive: true, maxSockets: init.lookupSockets });
  const submitUrl = new URL('/v1/transactions', apiUrl);
  return Object.freeze({
    apiUrl,
    submit: (bytes: Uint8Array) => send(submitAgent, submitUrl, 'POST', bytes, init.timeoutMs),
    async getJson(path: string, options?: { readonly anyStatus: boolean }): Promise<unknown> {
      const answer = await send(lookupAgent, new URL(path, apiUrl), 'GET', undefined, init.timeoutMs);
      if (answer.status === 0 || (answer.status !== 200 && options?.anyStatus !== true)) return undefined;
      try {
        return JSON.parse(answer.body) as unknown;
      } catch {
        return undefined;
      }
    },
    close(): void {
      submitAgent.destroy();
      lookupAgent.destroy();
    },
  });
}

/** GET of a path answering text (Prometheus /metrics); undefined without a 200 answer. */
export async function getText(apiUrl: string, path: string, timeoutMs: number): Promise<string | undefined> {
  const agent = new Agent({ keepAlive: false });
  try {
    const answer = await send(agent, new URL(path, apiUrl), 'GET', undefined, timeoutMs);
    return answer.status === 200 ? answer.body : undefined;
  } finally {
    agent.destroy();
  }
}

/** The value of an unlabelled sample `name` in a Prometheus text answer. */
export function metricValue(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  const value = line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
  return Number.isFinite(value) ? value : undefined;
}
