/**
 * Sends a signed transaction to a full peer's HTTP API: `POST /v1/transactions` with the
 * canonical bytes as `application/octet-stream` (infra/peer/api/_routesTx.ts). 202 means the
 * peer's mempool admitted it — NOT that it is final; finality is what the light client later
 * verifies (the sender's verified nonce moving past it). Errors come back as the API's JSON
 * `{error, message, reject?}` (infra/peer/api/_errors.ts) and are shown as they are.
 */
import { err, ok, type Result } from '../../core/result.ts';
import type { WalletError } from './errors.ts';

export type SubmitAnswer = { readonly idHex: string; readonly status: string };

/** Longest error text shown from a peer: enough for any message, not a page of HTML. */
const MAX_PEER_TEXT_CHARS = 300;

/** The API's base URL, or why not: http(s) only, no credentials, no query. */
export function parseApiUrl(text: string): Result<URL, WalletError> {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return err({ code: 'BAD_API_URL', reason: 'is not a URL (e.g. http://127.0.0.1:9012)' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return err({ code: 'BAD_API_URL', reason: 'must start with http:// or https://' });
  if (url.username !== '' || url.password !== '') return err({ code: 'BAD_API_URL', reason: 'must not carry credentials' });
  return ok(url);
}

export async function submitTransaction(fetchText: typeof fetch, apiUrlText: string, bytes: Uint8Array): Promise<Result<SubmitAnswer, WalletError>> {
  const base = parseApiUrl(apiUrlText);
  if (!base.ok) return base;
  const endpoint = new URL('v1/transactions', base.value.href.endsWith('/') ? base.value : `${base.value.href}/`);
  let response: Response;
  try {
    response = await fetchText(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Blob([bytes.slice()]),
    });
  } catch (error) {
    return err({ code: 'PEER_UNREACHABLE', message: error instanceof Error ? error.message : String(error) });
  }
  const body = await readJson(response);
  if (!response.ok) return err(refusal(response.status, body));
  const id = field(body, 'id');
  const status = field(body, 'status');
  if (id === undefined) return err({ code: 'PEER_REFUSED', httpStatus: response.status, apiCode: 'BAD_ANSWER', message: 'the answer has no transaction id', rejectCode: undefined });
  return ok(Object.freeze({ idHex: id, status: status ?? 'pending' }));
}

function refusal(httpStatus: number, body: unknown): WalletError {
  const reject = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['reject'] : undefined;
  return {
    code: 'PEER_REFUSED',
    httpStatus,
    apiCode: field(body, 'error') ?? 'HTTP_ERROR',
    message: field(body, 'message') ?? `HTTP ${httpStatus}`,
    rejectCode: field(reject, 'code'),
  };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text());
  } catch {
    return undefined;
  }
}

/** A string field of an untrusted JSON value, cut to a readable length. */
function field(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found = (value as Record<string, unknown>)[name];
  return typeof found === 'string' ? found.slice(0, MAX_PEER_TEXT_CHARS) : undefined;
}
